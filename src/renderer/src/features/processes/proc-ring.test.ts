import { describe, expect, it } from 'vitest';
import { PROC_RING_MAX, ProcRing } from './proc-ring';

describe('ProcRing', () => {
  it('seeds from a store series, appends new ticks once, and stays bounded', () => {
    const ring = new ProcRing('5:1');
    ring.seed([1000, 2000, 3000], {
      name: 'x',
      cpu: [null, 10, 20],
      rss: [null, 1024 ** 2, 2 * 1024 ** 2],
      threads: [],
    });
    ring.push(3000, 99, 0);
    ring.push(4000, 30, 3 * 1024 ** 2);
    expect(ring.rows()).toEqual([
      { t: -2, cpu: 10, rss: 1 },
      { t: -1, cpu: 20, rss: 2 },
      { t: 0, cpu: 30, rss: 3 },
    ]);
    for (let i = 0; i < PROC_RING_MAX + 50; i++) ring.push(5000 + i * 1000, 1, 1);
    expect(ring.length).toBe(PROC_RING_MAX);
  });
});
