import { describe, expect, it } from 'vitest';
import { pipelineStatus, RestartPolicy } from './restart-policy';

const crash = { code: 1, signal: null };
const clean = { code: 0, signal: null };
const settings = {
  restart: 'always' as const,
  backoff: { initialMs: 100, factor: 2, maxMs: 500 },
  startLimit: { count: 5, windowMs: 10_000 },
  stableMs: 1_000,
};

describe('RestartPolicy', () => {
  it('backs off exponentially up to the cap', () => {
    const p = new RestartPolicy({ ...settings, startLimit: { count: 100, windowMs: 10_000 } });
    const delays: number[] = [];
    let now = 0;
    for (let i = 0; i < 6; i++) {
      p.started(now);
      const d = p.exited(crash, now, now + 10);
      if (d.kind !== 'restart') throw new Error(d.kind);
      delays.push(d.delayMs);
      now += 10 + d.delayMs;
    }
    expect(delays).toEqual([100, 200, 400, 500, 500, 500]);
  });

  it('goes fatal at the start limit within the window', () => {
    const p = new RestartPolicy(settings);
    let now = 0;
    const kinds: string[] = [];
    for (let i = 0; i < 5; i++) {
      p.started(now);
      const d = p.exited(crash, now, now + 5);
      kinds.push(d.kind);
      now += 5 + (d.kind === 'restart' ? d.delayMs : 0);
    }
    expect(kinds).toEqual(['restart', 'restart', 'restart', 'restart', 'fatal']);
  });

  it('does not count starts older than the window', () => {
    const p = new RestartPolicy({ ...settings, startLimit: { count: 2, windowMs: 1_000 } });
    p.started(0);
    expect(p.exited(crash, 0, 10).kind).toBe('restart');
    p.started(5_000);
    expect(p.exited(crash, 5_000, 5_010).kind).toBe('restart');
  });

  it('resets the delay after a stable run', () => {
    const p = new RestartPolicy({ ...settings, startLimit: { count: 100, windowMs: 10 } });
    p.started(0);
    p.exited(crash, 0, 1);
    p.started(101);
    expect(p.exited(crash, 101, 102)).toEqual({ kind: 'restart', delayMs: 200 });
    p.started(400);
    expect(p.exited(crash, 400, 400 + 1_000)).toEqual({ kind: 'restart', delayMs: 100 });
  });

  it('follows the policy: never stays, on-failure restarts only failures', () => {
    expect(new RestartPolicy({ ...settings, restart: 'never' }).exited(crash, 0, 1).kind).toBe('stay');
    const onFail = new RestartPolicy({ ...settings, restart: 'on-failure' });
    expect(onFail.exited(clean, 0, 1).kind).toBe('stay');
    expect(onFail.exited({ code: null, signal: 'SIGKILL' }, 0, 1).kind).toBe('restart');
    expect(new RestartPolicy(settings).exited(clean, 0, 1).kind).toBe('restart');
  });

  it('pipefail: a pipeline reports its last failing stage, else the last stage', () => {
    expect(pipelineStatus([crash, clean, clean])).toEqual(crash);
    expect(pipelineStatus([{ code: null, signal: 'SIGPIPE' }, { code: 2, signal: null }, clean])).toEqual({
      code: 2,
      signal: null,
    });
    expect(pipelineStatus([clean, clean])).toEqual(clean);
  });
});
