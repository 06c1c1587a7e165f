import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { requests, type AuditEntry, type ControlMethod } from '../../../shared/contract';
import type { Result } from '../../../shared/result';
import { Core } from '../core';
import { ProcIdentities } from '../processes/proc-identity';

const ids = new ProcIdentities();
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** A `sleep` child and its ProcRow key, once it runs sleep (not still forking). */
async function sleeper(): Promise<{ pid: number; key: string }> {
  const child = spawn('sleep', ['987100'], { stdio: 'ignore' });
  children.push(child);
  await new Promise((resolve, reject) => child.once('spawn', resolve).once('error', reject));
  for (;;) {
    const id = ids.read(child.pid!);
    if (id && id.name === 'sleep') return { pid: child.pid!, key: id.key };
    await new Promise((r) => setImmediate(r));
  }
}

/** One control request, its params (from earlier results), and the outcome its audit entry must say. */
interface Step {
  method: ControlMethod;
  params: () => unknown;
  outcome: string;
  /** What the entry's target must hold. */
  target?: () => Record<string, unknown>;
}

// The areas whose every control request this test drives; an area added later adds its own test.
const AREAS = ['processes', 'supervisor', 'pools', 'stats'];

describe('audit in dispatch', () => {
  it('each control request of each area leaves exactly one audit entry with its outcome', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spindle-audit-'));
    const core = new Core({ dataDir: dir });
    const s = core.openSession({ transport: 'web', readOnly: false, label: 'auditor' }, () => {});
    const got: Record<string, unknown> = {};
    const procs = { a: await sleeper(), b: await sleeper(), c: await sleeper(), d: await sleeper() };
    const poolId = () => ({ poolId: (got['pools.create'] as { id: string }).id });
    const managedId = () => ({ id: (got['supervisor.launch'] as { id: string }).id });
    const sleepStage = { command: 'sleep', args: ['987101'] };
    const steps: Step[] = [
      { method: 'stats.configure', params: () => ({ topN: 20 }), outcome: 'ok' },
      // processes: refusals keep their code, successes name the process they acted on.
      {
        method: 'processes.signal',
        params: () => ({ key: '1:0', signal: 'TERM' }),
        outcome: 'EPROTECTED_INIT',
      },
      {
        method: 'processes.renice',
        params: () => ({ key: procs.a.key, nice: 5 }),
        outcome: 'ok',
        target: () => ({ pid: procs.a.pid, name: 'sleep' }),
      },
      {
        method: 'processes.signal',
        params: () => ({ key: procs.a.key, signal: 'STOP' }),
        outcome: 'ok',
        target: () => ({ pid: procs.a.pid, name: 'sleep' }),
      },
      {
        method: 'processes.end',
        params: () => ({ key: procs.a.key, timeoutMs: 2000 }),
        outcome: 'ok',
        target: () => ({ pid: procs.a.pid, name: 'sleep' }),
      },
      {
        method: 'processes.kill',
        params: () => ({ key: procs.b.key }),
        outcome: 'ok',
        target: () => ({ pid: procs.b.pid, name: 'sleep' }),
      },
      {
        method: 'processes.end-tree',
        params: () => ({ key: procs.c.key, timeoutMs: 2000 }),
        outcome: 'ok',
        target: () => ({ pid: procs.c.pid, name: 'sleep' }),
      },
      // An old start time: the PID now names another program, refused.
      {
        method: 'processes.kill',
        params: () => ({ key: `${procs.d.pid}:${Number(procs.d.key.split(':')[1]) - 1}` }),
        outcome: 'EPID_REUSED',
      },
      // supervisor
      {
        method: 'supervisor.launch',
        params: () => ({ definition: { name: 'napper', stages: [sleepStage] }, start: false }),
        outcome: 'ok',
        target: () => ({ name: 'napper' }),
      },
      {
        method: 'supervisor.update',
        params: () => ({ ...managedId(), definition: { name: 'napper', stages: [sleepStage] } }),
        outcome: 'ok',
      },
      { method: 'supervisor.start', params: managedId, outcome: 'ok', target: () => ({ name: 'napper' }) },
      { method: 'supervisor.restart', params: managedId, outcome: 'ok' },
      { method: 'supervisor.stop', params: managedId, outcome: 'ok' },
      { method: 'supervisor.remove', params: managedId, outcome: 'ok', target: () => ({ name: 'napper' }) },
      { method: 'supervisor.start', params: managedId, outcome: 'ENOENT_MANAGED' },
      {
        method: 'supervisor.import',
        params: () => ({ json: '{"version":1,"processes":[]}', mode: 'merge' }),
        outcome: 'ok',
      },
      {
        method: 'supervisor.import',
        params: () => ({ json: '{', mode: 'merge' }),
        outcome: 'EBAD_DEFINITIONS',
      },
      // pools
      { method: 'pools.create', params: () => ({ name: 'p', kind: 'threads', size: 1 }), outcome: 'ok' },
      {
        method: 'pools.pause',
        params: poolId,
        outcome: 'ok',
        target: () => ({ id: poolId().poolId, name: 'p' }),
      },
      {
        method: 'pools.submit',
        params: () => ({ ...poolId(), workload: { kind: 'sleep', ms: 1 }, count: 2 }),
        outcome: 'ok',
      },
      {
        method: 'pools.submit',
        params: () => ({ ...poolId(), workload: { kind: 'sleep', ms: 1 }, count: 1, rate: 1 }),
        outcome: 'ok',
      },
      { method: 'pools.stopProducers', params: poolId, outcome: 'ok' },
      { method: 'pools.cancelQueued', params: poolId, outcome: 'ok' },
      { method: 'pools.resize', params: () => ({ ...poolId(), size: 2 }), outcome: 'ok' },
      { method: 'pools.resume', params: poolId, outcome: 'ok' },
      { method: 'pools.drain', params: poolId, outcome: 'ok' },
      { method: 'pools.terminate', params: poolId, outcome: 'ok' },
      {
        method: 'pools.remove',
        params: poolId,
        outcome: 'ok',
        target: () => ({ id: poolId().poolId, name: 'p' }),
      },
      { method: 'pools.pause', params: () => ({ poolId: 'no-such-pool' }), outcome: 'ENO_POOL' },
      {
        method: 'pools.pipeline',
        params: () => ({
          stages: ['a', 'b'].map((name) => ({
            name,
            kind: 'threads',
            size: 1,
            maxQueue: 10,
            workload: { kind: 'sleep', ms: 1 },
          })),
          count: 1,
        }),
        outcome: 'ok',
      },
      {
        method: 'pools.pipelineStop',
        params: () => ({ id: (got['pools.pipeline'] as { id: string }).id }),
        outcome: 'ok',
      },
      {
        method: 'pools.lab',
        params: () => ({ maxWorkers: 1, rounds: 1, kinds: ['threads'] }),
        outcome: 'ok',
      },
      { method: 'pools.labCancel', params: () => ({}), outcome: 'ok' },
    ];
    try {
      for (const step of steps) {
        const before = core.audit.list().length;
        const res = (await s.request({ method: step.method, params: step.params() })) as Result<unknown>;
        if (res.ok) got[step.method] = res.value;
        const added: AuditEntry[] = core.audit.list().slice(before);
        const what = `${step.method} → ${res.ok ? 'ok' : `${res.error.code} ${res.error.message}`}`;
        expect(added, what).toHaveLength(1);
        expect(added[0], what).toMatchObject({ client: 'auditor', outcome: step.outcome });
        expect(added[0]!.action, what).toBeTruthy();
        if (!res.ok) expect(added[0]!.detail, what).toBe(res.error.message);
        if (step.target) expect(added[0]!.target, what).toMatchObject(step.target());
      }
      const control = Object.entries(requests)
        .filter(([m, d]) => d.control && AREAS.includes(m.split('.')[0]!))
        .map(([m]) => m);
      expect(new Set(steps.map((st) => st.method))).toEqual(new Set(control));
      // Requests that change nothing leave no entry.
      const before = core.audit.list().length;
      await s.request({ method: 'supervisor.list' });
      await s.request({ method: 'pools.subscribe' });
      await s.request({ method: 'processes.details', params: { key: procs.d.key } });
      expect(core.audit.list()).toHaveLength(before);
    } finally {
      s.close();
      await core.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
