import { describe, expect, it } from 'vitest';
import { QueueWatch } from './queue-watch';
import type { PollResult } from './poll-script';

const poll = (waiting: number, done: number | null): PollResult => ({
  counts: {
    waiting,
    prioritized: 0,
    delayed: 0,
    active: 1,
    'waiting-children': 0,
    completed: 0,
    failed: 0,
    paused: 0,
  },
  paused: false,
  completed: { n: done, wait: [5], run: [10], cursor: '1' },
  failed: { n: 0, wait: [], run: [], cursor: '0' },
  members: [],
  reports: [],
  eventsCursor: '1-0',
});

describe('a watched queue', () => {
  it('keeps history bounded, marks a failed poll as a gap, and rates restart after it', () => {
    const w = new QueueWatch('c', 'q');
    for (let i = 0; i < 700; i++) w.record(1000 * i, poll(i, i === 0 ? null : 20), []);
    expect(w.history().t).toHaveLength(600);
    expect(w.stats.completedPerSec).toBe(20);
    w.gap(700_000);
    expect(w.stats.ok).toBe(false);
    expect(w.cursors).toEqual({ completed: '', failed: '', events: '' });
    w.record(701_000, poll(5, null), []);
    expect(w.stats.completedPerSec).toBeNull();
    const h = w.history(80);
    expect(h.t).toHaveLength(80);
    expect(h.t.at(-1)).toBe(701_000);
    expect(h.waiting.at(-2)).toBeNull(); // the gap
    expect(h.waiting.at(-1)).toBe(5);
    expect(h.runP95).toHaveLength(80);
    expect(w.stats.run).toMatchObject({ p50: 10, n: 701 });
  });

  it('an extra poll after a control updates counts but no rate or history point', () => {
    const w = new QueueWatch('c', 'q');
    w.record(0, poll(1, null), []);
    w.record(1000, poll(2, 10), []);
    w.record(1500, poll(3, 99), [], false);
    expect(w.stats.counts.waiting).toBe(3);
    expect(w.stats.completedPerSec).toBe(10);
    expect(w.history().t).toEqual([0, 1000]);
  });
});
