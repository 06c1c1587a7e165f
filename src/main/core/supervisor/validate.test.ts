import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kit, nodeDef, waitState } from './fixtures/test-kit';

const k = kit();
afterAll(() => k.done());

async function launchError(def: Parameters<typeof k.sup.launch>[0]): Promise<{ code: string; ms: number }> {
  const t0 = performance.now();
  const err = await k.sup.launch(def).then(
    () => null,
    (e: { code: string }) => e,
  );
  const ms = performance.now() - t0;
  if (!err) throw new Error('launch succeeded');
  return { code: err.code, ms };
}

describe('validation before spawn', () => {
  it('names each problem with its code within 100 ms and stores nothing', async () => {
    const notExec = join(k.dir, 'script.sh');
    writeFileSync(notExec, '#!/bin/sh\necho hi\n');
    chmodSync(notExec, 0o644);
    const dir = join(k.dir, 'adir');
    mkdirSync(dir);
    const cases: [string, Parameters<typeof k.sup.launch>[0]][] = [
      ['ENOENT_EXEC', { name: 'a', stages: [{ command: 'no-such-program-xyz' }] }],
      ['ENOENT_EXEC', { name: 'a', stages: [{ command: './missing' }], cwd: k.dir }],
      ['EACCES_EXEC', { name: 'a', stages: [{ command: notExec }] }],
      ['EISDIR_EXEC', { name: 'a', stages: [{ command: dir }] }],
      ['ENOENT_CWD', { name: 'a', stages: [{ command: 'true' }], cwd: join(k.dir, 'nope') }],
      ['EINVAL_ENV', { name: 'a', stages: [{ command: 'true' }], env: { set: { 'BAD-NAME': 'x' } } }],
      ['EINVAL_ENV', { name: 'a', stages: [{ command: 'true' }], env: { unset: ['A=B'] } }],
      ['ENOENT_EXEC', { name: 'a', stages: [{ command: 'true' }, { command: 'nope-xyz' }] }],
    ];
    for (const [code, def] of cases) {
      // The bound is checked on the median of five, so one stall of a loaded machine is not a failure.
      const runs: number[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await launchError(def);
        expect(r.code, JSON.stringify(def)).toBe(code);
        runs.push(r.ms);
      }
      expect(runs.sort((a, b) => a - b)[2]).toBeLessThan(100);
    }
    expect(k.sup.list()).toEqual([]);
  });

  it('refuses NUL bytes in arguments at the contract', async () => {
    const r = await launchError({ name: 'a', stages: [{ command: 'echo', args: ['a\0b'] }] });
    expect(r.code).toBe('EINVAL_ARG');
  });

  it('a definition that goes bad later is fatal with its code, with no restart loop', async () => {
    const prog = join(k.dir, 'prog.sh');
    writeFileSync(prog, '#!/bin/sh\nexit 1\n');
    chmodSync(prog, 0o755);
    // A 10 ms backoff, so a restart loop would show many times over in the window below.
    const s = await k.sup.launch(
      {
        name: 'b',
        stages: [{ command: prog }],
        restart: 'always',
        backoff: { initialMs: 10, factor: 1, maxMs: 10 },
      },
      false,
    );
    chmodSync(prog, 0o644);
    await expect(k.sup.start(s.id)).rejects.toMatchObject({ code: 'EACCES_EXEC' });
    // Nothing to await: the claim is that nothing happens, so it is checked after a window.
    await new Promise((r) => setTimeout(r, 300));
    const after = k.sup.list().find((m) => m.id === s.id)!;
    expect(after.state).toBe('fatal');
    expect(after.error?.code).toBe('EACCES_EXEC');
    expect(after.timeline.filter((e) => e.kind === 'start')).toHaveLength(0);
    // A retry fails before its 'start' entry, so the loop would show in these two only.
    expect(after.restarts).toBe(0);
    expect(after.timeline.filter((e) => e.kind === 'error')).toHaveLength(1);
  });

  it('runs a valid one (sanity)', async () => {
    const s = await k.sup.launch(nodeDef('ok', 'process.exit(0)'));
    expect((await waitState(k.sup, s.id, 'exited')).lastExit?.code).toBe(0);
  });
});
