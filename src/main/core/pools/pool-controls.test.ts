import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../../../test-utils/until';
import { poolOptions, type PoolOptions } from '../../../shared/contract/pools';
import { Pool } from './pool';

const pools: Pool[] = [];
const make = (o: Partial<PoolOptions>): Pool => {
  const p = new Pool(`c${pools.length}`, 'controls', poolOptions.parse({ kind: 'threads', size: 1, ...o }));
  pools.push(p);
  return p;
};
afterEach(() => {
  for (const p of pools.splice(0)) p.terminate();
});
const live = (p: Pool): number => p.view().workers.filter((w) => w.state !== 'dead').length;

describe('pool controls', () => {
  it('pause holds the queue, resume lets it run', async () => {
    const p = make({});
    await p.whenReady();
    p.pause();
    for (let i = 0; i < 5; i++) p.submit({ kind: 'noop' }, i);
    // Submits dispatch in a microtask: once a macrotask has passed, that dispatch has run (and held).
    await new Promise(setImmediate);
    expect(p.queued).toBe(5);
    p.resume();
    await p.whenIdle();
    expect(p.stats.completed).toBe(5);
  });

  it('drain finishes what is queued and refuses new work until resumed', async () => {
    const p = make({});
    for (let i = 0; i < 3; i++) p.submit({ kind: 'sleep', ms: 20 }, i);
    p.drain();
    expect(() => p.submit({ kind: 'noop' }, 9)).toThrow(/draining/);
    await until(() => p.state === 'drained');
    expect(p.stats.completed).toBe(3);
    p.resume();
    p.submit({ kind: 'noop' }, 9);
    await p.whenIdle();
    expect(p.stats.completed).toBe(4);
  });

  it('resizes live: grows at once, shrinks idle workers first', async () => {
    const p = make({ size: 1 });
    p.resize(3);
    await p.whenReady();
    expect(live(p)).toBe(3);
    p.resize(1);
    expect(live(p)).toBe(1);
    expect(p.view().workers.filter((w) => w.reason === 'resized')).toHaveLength(2);
  });

  it('an idle timeout retires workers, and work brings them back', async () => {
    const p = make({ size: 2, idleTimeoutMs: 150 });
    await p.whenReady();
    await until(() => live(p) === 0);
    p.submit({ kind: 'noop' }, 1);
    await p.whenIdle();
    expect(p.stats.completed).toBe(1);
    expect(live(p)).toBeGreaterThan(0);
  });

  it('cancel queued settles every waiting task as cancelled', async () => {
    const p = make({});
    for (let i = 0; i < 10; i++) p.submit({ kind: 'sleep', ms: 50 }, i);
    await until(() => p.active === 1);
    expect(p.cancelQueued()).toBe(9);
    await p.whenIdle();
    expect(p.stats).toMatchObject({ completed: 1, cancelled: 9 });
  });
});
