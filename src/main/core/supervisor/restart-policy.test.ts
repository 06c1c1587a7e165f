import { describe, expect, it } from 'vitest';
import { definitionInput } from '../../../shared/contract';
import { pipelineStatus, RestartPolicy } from './restart-policy';

const crash = { code: 1, signal: null };
const clean = { code: 0, signal: null };
const settings = {
  restart: 'always' as const,
  backoff: { initialMs: 100, factor: 2, maxMs: 500 },
  startLimit: { count: 5, minUptimeMs: 1_000 },
  stableMs: 1_000,
};

/** Run a crash loop: each run lasts `uptime` ms; the kinds of the decisions, at most `n`. */
function loop(
  p: RestartPolicy,
  uptime: number,
  n: number,
): { kinds: string[]; delays: number[]; at: number } {
  const kinds: string[] = [];
  const delays: number[] = [];
  let now = 0;
  for (let i = 0; i < n; i++) {
    const d = p.exited(crash, now, now + uptime);
    kinds.push(d.kind);
    now += uptime;
    if (d.kind !== 'restart') break;
    delays.push(d.delayMs);
    now += d.delayMs;
  }
  return { kinds, delays, at: now };
}

describe('RestartPolicy', () => {
  it('backs off exponentially up to the cap', () => {
    const p = new RestartPolicy({ ...settings, startLimit: { count: 100, minUptimeMs: 1_000 } });
    expect(loop(p, 10, 6).delays).toEqual([100, 200, 400, 500, 500, 500]);
  });

  it('goes fatal after `count` failed starts in a row, however far apart they are', () => {
    const p = new RestartPolicy({
      ...settings,
      backoff: { initialMs: 100_000, factor: 2, maxMs: 3_600_000 },
    });
    const { kinds } = loop(p, 5, 10);
    expect(kinds).toEqual(['restart', 'restart', 'restart', 'restart', 'fatal']);
    expect(p.failedStarts).toBe(5);
  });

  it('with the default settings a crash loop reaches fatal (a time window never filled)', () => {
    const defaults = definitionInput.parse({ name: 'x', stages: [{ command: 'false' }], restart: 'always' });
    const { kinds, at } = loop(new RestartPolicy(defaults), 20, 100);
    expect(kinds.at(-1)).toBe('fatal');
    expect(kinds).toHaveLength(defaults.startLimit.count);
    // 1 + 2 + 4 + 8 s of backoff: the loop ends within a quarter of a minute.
    expect(at).toBeLessThan(16_000);
  });

  it('a run that stays up for the minimum uptime clears the count', () => {
    const p = new RestartPolicy({ ...settings, startLimit: { count: 2, minUptimeMs: 1_000 } });
    expect(p.exited(crash, 0, 10).kind).toBe('restart');
    expect(p.failedStarts).toBe(1);
    expect(p.exited(crash, 1_000, 2_000).kind).toBe('restart');
    expect(p.failedStarts).toBe(0);
    expect(p.exited(crash, 3_000, 3_010).kind).toBe('restart');
    expect(p.exited(crash, 4_000, 4_010).kind).toBe('fatal');
    p.reset();
    expect(p.failedStarts).toBe(0);
  });

  it('minUptimeMs 0 never gives up', () => {
    const p = new RestartPolicy({ ...settings, startLimit: { count: 1, minUptimeMs: 0 } });
    expect(loop(p, 0, 50).kinds.every((k) => k === 'restart')).toBe(true);
  });

  it('resets the delay after a stable run', () => {
    const p = new RestartPolicy({ ...settings, startLimit: { count: 100, minUptimeMs: 10 } });
    p.exited(crash, 0, 1);
    expect(p.exited(crash, 101, 102)).toEqual({ kind: 'restart', delayMs: 200 });
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
