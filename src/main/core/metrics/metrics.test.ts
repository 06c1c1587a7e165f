import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poolOptions } from '../../../shared/contract/pools';
import { until } from '../../../test-utils/until';
import { Core } from '../core';
import { parseExposition, pick, valueOf, type SampleLine } from './fixtures/exposition';
import { Metrics } from './metrics';

let dir: string;
let core: Core;
let metrics: Metrics;
const lines = async (m = metrics): Promise<SampleLine[]> => parseExposition(await m.scrape());

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'spindle-metrics-'));
  core = new Core({ dataDir: dir, intervalMs: 250 });
  metrics = new Metrics(core);
});

afterAll(async () => {
  metrics.close();
  await core.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('metrics: the latest sample, read at scrape time', () => {
  it('reports nothing machine-wide before the first sample: a scrape takes no reading itself', async () => {
    const before = await lines();
    expect(pick(before, 'spindle_cpu_seconds_total')).toHaveLength(0);
    expect(valueOf(before, 'spindle_load1')).toBeUndefined();
    expect(valueOf(before, 'spindle_memory_total_bytes')).toBeUndefined();
    expect(valueOf(before, 'spindle_sampler_ticks_total')).toBe(0);
    expect(valueOf(before, 'spindle_build_info', {})).toBe(1);
  });

  it('N scrapes between two ticks leave the sampler tick count and the sample where they were', async () => {
    let ticks = 0; // counted here, from the sampler's own events
    const off = core.sampler.onSample(() => ticks++);
    core.start();
    await until(async () => (valueOf(await lines(), 'spindle_sampler_ticks_total') ?? 0) >= 2);
    // Slow the sampler down: it ticks once more at once (the new interval applies now), then 10 s later.
    core.sampler.configure({ intervalMs: 10_000 });
    const before = ticks;
    await until(() => ticks > before);
    const seen = ticks;
    const first = await lines();
    for (let i = 0; i < 50; i++) await metrics.scrape();
    const last = await lines();
    // Ticks arrive only from the sampler thread: a scrape that read /proc itself would not show here,
    // but one that asked the sampler for a fresh reading would.
    expect(ticks).toBe(seen);
    off();
    expect(valueOf(last, 'spindle_sampler_ticks_total')).toBe(valueOf(first, 'spindle_sampler_ticks_total'));
    expect(valueOf(last, 'spindle_last_sample_timestamp_seconds')).toBe(
      valueOf(first, 'spindle_last_sample_timestamp_seconds'),
    );
    expect(pick(last, 'spindle_cpu_seconds_total')).toEqual(pick(first, 'spindle_cpu_seconds_total'));
    core.sampler.configure({ intervalMs: 250 });
  });

  it('counts CPU seconds in base units: per core, the modes add up to the time sampled', async () => {
    const t0 = await lines();
    const ticks0 = valueOf(t0, 'spindle_sampler_ticks_total')!;
    const stamp0 = valueOf(t0, 'spindle_last_sample_timestamp_seconds')!;
    await until(async () => (valueOf(await lines(), 'spindle_sampler_ticks_total') ?? 0) >= ticks0 + 8);
    const t1 = await lines();
    const wall = valueOf(t1, 'spindle_last_sample_timestamp_seconds')! - stamp0;
    const cores = new Set(pick(t1, 'spindle_cpu_seconds_total').map((l) => l.labels.cpu));
    expect(cores.size).toBeGreaterThan(0);
    for (const cpu of cores) {
      const sum = (ls: SampleLine[]): number =>
        pick(ls, 'spindle_cpu_seconds_total', { cpu: cpu! }).reduce((a, l) => a + l.value, 0);
      // Percent read as a ratio would be 100 times this; milliseconds 1000 times.
      expect((sum(t1) - sum(t0)) / wall).toBeGreaterThan(0.8);
      expect((sum(t1) - sum(t0)) / wall).toBeLessThan(1.2);
    }
    expect(valueOf(t1, 'spindle_context_switches_total')!).toBeGreaterThan(
      valueOf(t0, 'spindle_context_switches_total')!,
    );
    expect(valueOf(t1, 'spindle_memory_total_bytes')!).toBeGreaterThan(64 * 1024 * 1024);
    expect(valueOf(t1, 'spindle_processes')!).toBeGreaterThan(1);
    expect(valueOf(t1, 'spindle_self_cpu_seconds_total')!).toBeGreaterThan(0);
    expect(pick(t1, 'spindle_sampler_cpu_seconds_total')).toHaveLength(2);
  });

  it('reports a managed process: up, CPU seconds, memory, threads, its exit code and restarts', async () => {
    const spin = await core.supervisor.launch({
      name: 'spinner',
      stages: [{ command: process.execPath, args: ['-e', 'for (;;) {}'] }],
    });
    const id = { id: spin.id, name: 'spinner' };
    const up = await until(
      async () => {
        const l = await lines();
        return (valueOf(l, 'spindle_managed_cpu_seconds_total', id) ?? 0) > 0.3 ? l : null;
      },
      { message: 'the spinner accrues CPU seconds' },
    );
    expect(valueOf(up, 'spindle_managed_up', id)).toBe(1);
    expect(valueOf(up, 'spindle_managed_resident_memory_bytes', id)!).toBeGreaterThan(1024 * 1024);
    expect(valueOf(up, 'spindle_managed_threads', id)!).toBeGreaterThanOrEqual(1);
    expect(valueOf(up, 'spindle_managed_last_exit_code', id)).toBeUndefined();
    const pid = String(core.supervisor.list().find((m) => m.id === spin.id)!.stages[0]!.pid);
    expect(valueOf(up, 'spindle_process_cpu_usage_ratio', { pid })!).toBeGreaterThan(0.1);
    await core.supervisor.stop(spin.id);
    const stopped = await lines();
    expect(valueOf(stopped, 'spindle_managed_up', id)).toBe(0);
    expect(valueOf(stopped, 'spindle_managed_last_exit_code', id)).toBe(128 + 15); // SIGTERM
    expect(valueOf(stopped, 'spindle_managed_cpu_seconds_total', id)!).toBeGreaterThanOrEqual(
      valueOf(up, 'spindle_managed_cpu_seconds_total', id)!,
    );

    const flaky = await core.supervisor.launch({
      name: 'flaky',
      stages: [{ command: 'sh', args: ['-c', 'exit 3'] }],
      restart: 'on-failure',
      backoff: { initialMs: 10, factor: 1, maxMs: 10 },
      startLimit: { count: 1000, minUptimeMs: 0 },
    });
    const f = { id: flaky.id, name: 'flaky' };
    const l = await until(async () => {
      const l = await lines();
      return (valueOf(l, 'spindle_managed_restarts_total', f) ?? 0) >= 2 ? l : null;
    });
    expect(valueOf(l, 'spindle_managed_last_exit_code', f)).toBe(3);
    await core.supervisor.stop(flaky.id);
  });

  it('reports pools: backlog, settled totals and wait/run histograms from the pool’s own figures', async () => {
    const { id } = core.pools.create(poolOptions.parse({ kind: 'threads', size: 2, maxQueue: 1000 }));
    core.pools.submit(id, { kind: 'spin', ms: 3 }, 40, null, null);
    await until(() => core.pools.get(id).stats.completed === 40);
    const l = await lines();
    const p = { pool: id };
    expect(valueOf(l, 'spindle_pool_tasks_completed_total', p)).toBe(40);
    expect(valueOf(l, 'spindle_pool_tasks_failed_total', p)).toBe(0);
    expect(valueOf(l, 'spindle_pool_queued_tasks', p)).toBe(0);
    expect(valueOf(l, 'spindle_pool_workers', p)).toBe(2);
    const run = pick(l, 'spindle_pool_task_run_seconds_bucket', p);
    const counts = run.map((b) => b.value);
    expect(counts).toEqual([...counts].sort((a, b) => a - b)); // cumulative
    expect(run.at(-1)).toMatchObject({ labels: { le: '+Inf' }, value: 40 });
    expect(valueOf(l, 'spindle_pool_task_run_seconds_count', p)).toBe(40);
    // 40 tasks of ~3 ms each: about 0.12 s of run time, and none of them under 2.5 ms.
    expect(valueOf(l, 'spindle_pool_task_run_seconds_sum', p)!).toBeGreaterThan(0.1);
    expect(valueOf(l, 'spindle_pool_task_run_seconds_bucket', { ...p, le: '0.0025' })).toBe(0);
    expect(valueOf(l, 'spindle_pool_task_wait_seconds_count', p)).toBe(40);
    core.pools.terminate(id);
  });
});

describe('metrics: bounded per-process series', () => {
  it('top:N reports at most N busy processes plus managed ones; none reports none', async () => {
    const top2 = new Metrics(core, { processes: { kind: 'top', n: 2 } });
    const none = new Metrics(core, { processes: { kind: 'none' } });
    try {
      const busy = await core.supervisor.launch({
        name: 'busy',
        stages: [{ command: process.execPath, args: ['-e', 'for (;;) {}'] }],
      });
      const pid = String(busy.stages[0]!.pid);
      // The managed stage shows once a tick has read it; until then only the busiest are there.
      const pids = await until(async () => {
        const ps = new Set(
          pick(await lines(top2), 'spindle_process_cpu_usage_ratio').map((l) => l.labels.pid),
        );
        return ps.has(pid) ? ps : null;
      });
      expect(pids.size).toBeLessThanOrEqual(3); // the 2 busiest + the managed one
      expect(pick(await lines(none), 'spindle_process_cpu_usage_ratio')).toHaveLength(0);
      expect(pick(await lines(none), 'spindle_managed_up', { id: busy.id })).toHaveLength(1);
      await core.supervisor.stop(busy.id);
    } finally {
      top2.close();
      none.close();
    }
  });
});

describe('metrics: queues through the hook', () => {
  it('reports any source of queue figures as counts by state and completion totals', async () => {
    const m = new Metrics(core, {
      queues: () => [
        {
          connection: 'local',
          queue: 'mail',
          counts: { waiting: 7, active: 2, failed: 1 },
          completed: 40,
          failed: 3,
        },
      ],
    });
    try {
      const l = await lines(m);
      const q = { connection: 'local', queue: 'mail' };
      expect(valueOf(l, 'spindle_queue_jobs', { ...q, state: 'waiting' })).toBe(7);
      expect(valueOf(l, 'spindle_queue_jobs', { ...q, state: 'active' })).toBe(2);
      expect(valueOf(l, 'spindle_queue_completed_total', q)).toBe(40);
      expect(valueOf(l, 'spindle_queue_failed_total', q)).toBe(3);
      expect(pick(await lines(), 'spindle_queue_jobs')).toHaveLength(0);
    } finally {
      m.close();
    }
  });
});
