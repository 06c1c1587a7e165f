import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { PARENT_DISCONNECT } from '../core/parent-port';
import { UtilityChild, type UtilityLike } from './utility-child';

/**
 * Electron's UtilityProcess as far as the handle sees it, over a real process: `kill()` sends
 * SIGTERM and `exit` carries only a number, as in Electron. Messages are recorded, not sent.
 */
class Stand extends EventEmitter implements UtilityLike {
  readonly posted: unknown[] = [];
  constructor(readonly child: ChildProcess) {
    super();
    child.on('exit', (code, signal) => this.emit('exit', code ?? (signal === 'SIGKILL' ? 137 : 143)));
  }
  get pid(): number | undefined {
    return this.child.pid;
  }
  kill(): boolean {
    return this.child.kill('SIGTERM');
  }
  postMessage(message: unknown): void {
    this.posted.push(message);
  }
}

/** A real process that ignores SIGTERM, so only SIGKILL ends it. */
const stubborn = (): ChildProcess =>
  spawn(
    process.execPath,
    ['-e', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000); console.log('up')"],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
const up = (c: ChildProcess): Promise<void> =>
  new Promise((resolve) => c.stdout?.once('data', () => resolve()));

const started: ChildProcess[] = [];
afterEach(() => {
  for (const c of started.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

describe('UtilityChild', () => {
  it('sends SIGTERM through the utility process and other signals to its pid, until it has exited', async () => {
    const proc = stubborn();
    started.push(proc);
    await up(proc);
    const child = new UtilityChild(new Stand(proc), 'test');
    expect(child.pid).toBe(proc.pid);
    const exited = new Promise<[number | null, string | null]>((resolve) =>
      child.once('exit', (code, signal) => resolve([code, signal])),
    );
    expect(child.kill()).toBe(true); // SIGTERM: ignored by this process
    expect(child.kill('SIGKILL')).toBe(true);
    expect(await exited).toEqual([137, null]);
    expect(proc.signalCode).toBe('SIGKILL');
    expect(child.connected).toBe(false);
    expect(child.kill('SIGKILL')).toBe(false);
  });

  it('closes the channel with the disconnect message, once, and refuses sends after it', async () => {
    const proc = stubborn();
    started.push(proc);
    const stand = new Stand(proc);
    const child = new UtilityChild(stand, 'test');
    expect(child.send({ t: 'spawn' })).toBe(true);
    child.disconnect();
    child.disconnect();
    expect(child.connected).toBe(false);
    expect(child.send({ t: 'late' })).toBe(false);
    expect(stand.posted).toEqual([{ t: 'spawn' }, PARENT_DISCONNECT]);
  });

  it('passes messages on and reports a fatal error without throwing when nobody listens', () => {
    const proc = stubborn();
    started.push(proc);
    const stand = new Stand(proc);
    const child = new UtilityChild(stand, 'test');
    const got: unknown[] = [];
    child.on('message', (m) => got.push(m));
    stand.emit('message', { t: 'ready', pid: 1 });
    expect(got).toEqual([{ t: 'ready', pid: 1 }]);
    const quiet = console.error;
    console.error = () => {};
    try {
      expect(() => stand.emit('error', 'FatalError', 'v8', '{}')).not.toThrow();
    } finally {
      console.error = quiet;
    }
    const errors: Error[] = [];
    child.on('error', (e) => errors.push(e));
    stand.emit('error', 'FatalError', 'v8', '{}');
    expect(errors[0]?.message).toBe('test: FatalError at v8');
  });
});
