import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { SpindleError } from '../../../shared/result';
import { prepareFixtureAs } from '../../../test-utils/run-as';
import { until } from '../../../test-utils/until';
import { ProcIdentities } from './proc-identity';
import { ProcessControl } from './process-control';

const ids = new ProcIdentities();
const started: ChildProcess[] = [];

afterEach(() => {
  for (const c of started.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** Start a child from argv and wait until it is running its program (not still forking). */
async function start(cmd: string, args: string[], ready?: RegExp): Promise<ChildProcess & { pid: number }> {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  started.push(child);
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    if (!ready) child.once('spawn', () => resolve());
    else {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d;
        if (ready.test(out)) resolve();
      });
    }
  });
  return child as ChildProcess & { pid: number };
}

const keyOf = (pid: number): string => {
  const id = ids.read(pid);
  if (!id) throw new Error(`no process ${pid}`);
  return id.key;
};

const isGone = (pid: number): boolean => {
  const id = ids.read(pid);
  return !id || id.state === 'Z';
};

async function codeOf(p: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    if (err instanceof SpindleError) return err.code;
    throw err;
  }
  return 'no error';
}

describe('ProcessControl', () => {
  const control = new ProcessControl();

  it('ends a child that ignores TERM by killing it at the timeout', async () => {
    const child = await start(
      process.execPath,
      ['-e', 'process.on("SIGTERM",()=>{});console.log("ready");setInterval(()=>{},1000)'],
      /ready/,
    );
    const out = await control.end(keyOf(child.pid), 300);
    expect(out.result).toBe('gone');
    expect(out.message).toMatch(/ignored SIGTERM for 300 ms; killed, gone after \d+ ms/);
    expect(out.goneAfterMs).toBeGreaterThanOrEqual(300);
    expect(isGone(child.pid)).toBe(true);
  });

  it('ends a well-behaved child with TERM alone and says how long it took', async () => {
    const child = await start('sleep', ['987001']);
    const out = await control.end(keyOf(child.pid), 3000);
    expect(out).toMatchObject({ result: 'gone', target: { pid: child.pid, name: 'sleep' } });
    expect(out.message).toMatch(/^gone after \d+ ms \(SIGTERM\)$/);
    expect(out.goneAfterMs).toBeLessThan(3000);
  });

  it('refuses PID 0 and 1, Spindle itself and its parent', async () => {
    expect(await codeOf(control.signal(keyOf(1), 'TERM'))).toBe('EPROTECTED_INIT');
    expect(await codeOf(control.end('0:0'))).toBe('EPROTECTED_INIT');
    expect(await codeOf(control.kill(keyOf(process.pid)))).toBe('EPROTECTED_SELF');
    expect(await codeOf(control.signal(keyOf(process.ppid), 'KILL'))).toBe('EPROTECTED_PARENT');
    expect(await codeOf(control.renice(keyOf(process.pid), 5))).toBe('EPROTECTED_SELF');
  });

  it('refuses a PID whose start time does not match (the PID now names another program)', async () => {
    const child = await start('sleep', ['987002']);
    const [pid, st] = keyOf(child.pid).split(':');
    const err = await control.end(`${pid}:${Number(st) - 1}`).catch((e: SpindleError) => e);
    expect(err).toMatchObject({ code: 'EPID_REUSED' });
    expect((err as Error).message).toContain('now belongs to another program (sleep)');
    expect(isGone(child.pid)).toBe(false);
  });

  it('reports "already exited" for a process that is gone', async () => {
    const child = await start('sleep', ['987003']);
    const key = keyOf(child.pid);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const err = await control.signal(key, 'TERM').catch((e: SpindleError) => e);
    expect(err).toMatchObject({ code: 'ESRCH_GONE' });
    expect((err as Error).message).toMatch(/already exited/);
  });

  it('sends STOP and CONT and reports them as done, the process still running', async () => {
    const child = await start('sleep', ['987004']);
    const key = keyOf(child.pid);
    expect(await control.signal(key, 'STOP')).toMatchObject({
      result: 'done',
      message: 'sent SIGSTOP',
    });
    await until(() => ids.read(child.pid)?.state === 'T');
    await control.signal(key, 'CONT');
    await until(() => ids.read(child.pid)?.state !== 'T');
    const out = await control.signal(key, 'USR1');
    expect(out.result).toBe('gone'); // sleep does not handle USR1: the default action ends it
  });

  it('ends a three-level tree, all of it', async () => {
    const root = await start('sh', ['-c', "sh -c 'sleep 987005 & wait' & sleep 987006 & wait"]);
    const key = keyOf(root.pid);
    await until(() => control.treeSize(key).total === 4);
    const before = control.details(key);
    expect(before.descendants).toBe(3);
    const all = [root.pid, ...before.children.map((c) => c.pid)];
    for (const c of before.children) all.push(...control.details(c.key).children.map((g) => g.pid));
    expect(all).toHaveLength(4);
    // Should the tree end fail, the grandchildren are not ours to reap: kill them by pid.
    onTestFinished(() => all.forEach((pid) => void (isGone(pid) || process.kill(pid, 'SIGKILL'))));
    const out = await control.endTree(key, 2000);
    expect(out).toMatchObject({ result: 'gone', total: 4, gone: 4, remaining: [] });
    expect(out.message).toMatch(/all 4 processes gone/);
    for (const pid of all) expect(isGone(pid)).toBe(true);
  });

  it('renices its own child up and, as root, back down', async () => {
    const child = await start('sleep', ['987007']);
    const key = keyOf(child.pid);
    expect(await control.renice(key, 7)).toMatchObject({ result: 'done' });
    expect(ids.read(child.pid)?.nice).toBe(7);
    if (process.getuid?.() === 0) {
      await control.renice(key, -3);
      expect(ids.read(child.pid)?.nice).toBe(-3);
    }
  });

  it('reads details: argv, exe, cwd, threads and open files', async () => {
    const child = await start(
      process.execPath,
      ['-e', 'console.log("ready");setInterval(()=>{},1000)', 'unique-arg-4711'],
      /ready/,
    );
    const d = control.details(keyOf(child.pid));
    expect(d.argv.at(-1)).toBe('unique-arg-4711');
    expect(d.exe).toMatch(/node/);
    expect(d.cwd).toBe(process.cwd());
    expect(d.threadCount).toBeGreaterThan(1);
    expect(d.threads[0]!.name).toBe(d.target.name);
    expect(d.openFiles).toBeGreaterThan(2);
  });

  // Needs root to drop to `nobody`; elsewhere the EPERM path cannot be reached. The fixture runs
  // from a world-readable temp bundle, as the checkout may be in a folder `nobody` cannot enter.
  it('tells an unprivileged user "not permitted" and names the owner', async (ctx) => {
    const fixture = await prepareFixtureAs(
      fileURLToPath(new URL('./fixtures/unprivileged-signal.ts', import.meta.url)),
    );
    if (!fixture.ok) {
      console.warn(`skipped "not permitted" test: ${fixture.reason}`);
      return ctx.skip(fixture.reason);
    }
    onTestFinished(fixture.cleanup);
    const child = await start('sleep', ['987008']);
    const res = JSON.parse(fixture.run([keyOf(child.pid)])) as Record<
      string,
      { code: string; message: string }
    >;
    expect(res.end).toEqual({
      code: 'EPERM',
      message: `not permitted: sleep (${child.pid}) is owned by root`,
    });
    expect(res.renice!.code).toBe('EPERM');
    expect(isGone(child.pid)).toBe(false);
  });
});
