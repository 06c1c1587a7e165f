import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../../../test-utils/until';
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
    const c = p.view().counts;
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
    const failedItems = p.view().recent.filter((r) => !r.ok);
    for (const r of failedItems) expect(crashes.has(Number(r.item.split('|')[1]))).toBe(true);
  }, 120_000);
});

describe('a process worker killed outright (SIGKILL, no last words)', () => {
  it('fails the task it was running, reruns none it ran, and requeues those it never started', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spindle-runs-'));
    dirs.push(dir);
    const log = join(dir, 'runs.log');
    const p = new Pool('k', 'kill', poolOptions.parse({ kind: 'processes', size: 1, module: fixture }));
    pools.push(p);
    // Tiny tasks first, so the worker holds up to 16 at once and reports them in batches.
    for (let i = 0; i < 300; i++) p.submit({ kind: 'module' }, `${log}|${i}${i === 250 ? '|hang' : ''}`);
    const ran = (): Map<number, number> => {
      try {
        return runsPerItem(log);
      } catch {
        return new Map();
      }
    };
    await until(() => ran().has(250), { timeout: 60_000 });
    const pid = p.view().workers.find((w) => w.state !== 'dead')!.pid!;
    process.kill(pid, 'SIGKILL');
    await p.whenIdle();
    const s = p.view();
    expect(s.counts.submitted).toBe(s.counts.completed + s.counts.failed);
    const runs = runsPerItem(log);
    for (let i = 0; i < 300; i++) expect(runs.get(i), `item ${i}`).toBe(1);
    const failed = s.recent.filter((r) => !r.ok);
    const hung = failed.find((r) => r.item.endsWith('|250|hang'));
    expect(hung?.text).toMatch(/ended \(signal SIGKILL\) while running this task/);
    // Results the kill swallowed (finished just before, not yet sent) are failures that say so.
    for (const r of failed.filter((f) => f !== hung))
      expect(r.text).toMatch(/before this task's result arrived/);
    expect(failed.length).toBe(s.counts.failed);
    expect(s.counts.failed).toBeLessThan(16);
  }, 120_000);
});
