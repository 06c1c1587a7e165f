import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { poolOptions, type PoolKind } from '../../../shared/contract/pools';
import { Pool } from './pool';

const fixture = join(import.meta.dirname, 'fixtures', 'count-runs.mjs');
const pools: Pool[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const p of pools.splice(0)) p.terminate();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Runs per item, as the workload itself recorded them. */
const runsPerItem = (log: string): Map<number, number> => {
  const runs = new Map<number, number>();
  for (const line of readFileSync(log, 'utf8').split('\n'))
    if (line) runs.set(Number(line), (runs.get(Number(line)) ?? 0) + 1);
  return runs;
};

describe.each([
  ['threads', 0],
  ['threads', 1],
  ['processes', 0],
  ['processes', 1],
] as [PoolKind, number][])('a %s pool with retries %i', (kind, retries) => {
  it('runs each of 1,000 items at most 1 + retries times; only the crashing ones fail, none is lost', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spindle-runs-'));
    dirs.push(dir);
    const log = join(dir, 'runs.log');
    const N = 1000;
    const crashes = new Set([3, 250, 251, 640, 998]);
    const p = new Pool(
      'r',
      'retries',
      poolOptions.parse({ kind, size: 3, retries, module: fixture, maxQueue: N }),
    );
    pools.push(p);
    for (let i = 0; i < N; i++) p.submit({ kind: 'module' }, `${log}|${i}${crashes.has(i) ? '|crash' : ''}`);
    await p.whenIdle();
    const c = p.snapshot().counts;
    expect(c.submitted).toBe(N);
    expect(c.submitted).toBe(c.completed + c.failed);
    expect(c.failed).toBe(crashes.size);
    expect(c.retried).toBe(crashes.size * retries);
    const runs = runsPerItem(log);
    const wrong: string[] = [];
    for (let i = 0; i < N; i++) {
      const want = crashes.has(i) ? 1 + retries : 1;
      if (runs.get(i) !== want) wrong.push(`item ${i} ran ${runs.get(i) ?? 0}× (want ${want})`);
    }
    expect(wrong).toEqual([]);
    const failedItems = p.snapshot().recent.filter((r) => !r.ok);
    for (const r of failedItems) expect(crashes.has(Number(r.item.split('|')[1]))).toBe(true);
  }, 120_000);
});
