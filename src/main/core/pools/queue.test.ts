import { describe, expect, it } from 'vitest';
import { Histogram } from './histogram';
import { BoundedQueue } from './queue';

describe('BoundedQueue', () => {
  it('keeps FIFO order across growth, refuses past capacity, takes put-backs at the front', () => {
    const q = new BoundedQueue<number>(40);
    for (let i = 0; i < 40; i++) expect(q.offer(i)).toBe(true);
    expect(q.offer(40)).toBe(false);
    expect(q.poll()).toBe(0);
    q.pushFront(-1);
    expect(q.size).toBe(40);
    expect(q.clear()).toEqual([-1, ...Array.from({ length: 39 }, (_, i) => i + 1)]);
    expect(q.poll()).toBeUndefined();
  });
});

describe('Histogram', () => {
  it('reports percentiles within its 4% resolution', () => {
    const h = new Histogram();
    for (let i = 1; i <= 1000; i++) h.record(i);
    const p = h.percentiles();
    expect(p.n).toBe(1000);
    expect(p.p50 / 500).toBeGreaterThan(0.96);
    expect(p.p50 / 500).toBeLessThan(1.05);
    expect(p.p99 / 990).toBeGreaterThan(0.96);
    expect(p.p99 / 990).toBeLessThan(1.05);
  });
});
