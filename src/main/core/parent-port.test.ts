import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { adoptParentPort, PARENT_DISCONNECT, type ParentPortLike } from './parent-port';

/** Electron's ParentPort as the utility child sees it: `{ data }` events, queued until listened to. */
class Port extends EventEmitter implements ParentPortLike {
  readonly posted: unknown[] = [];
  readonly #queue: unknown[] = [];
  postMessage(message: unknown): void {
    this.posted.push(message);
  }
  deliver(data: unknown): void {
    if (this.listenerCount('message') > 0) this.emit('message', { data });
    else this.#queue.push(data);
  }
  override on(event: 'message', listener: (e: { data: unknown }) => void): this {
    super.on(event, listener);
    for (const data of this.#queue.splice(0)) this.emit('message', { data });
    return this;
  }
}

/** A process object without Node's IPC channel, as in a utility process. */
const bareProcess = (): NodeJS.Process => new EventEmitter() as unknown as NodeJS.Process;

describe('adoptParentPort', () => {
  it('leaves a Node child with its own IPC channel alone', () => {
    const proc = bareProcess();
    const send = (): boolean => true;
    proc.send = send;
    expect(adoptParentPort(proc, new Port())).toBe(false);
    expect(proc.send).toBe(send);
    expect(adoptParentPort(bareProcess(), undefined)).toBe(false);
  });

  it('delivers the parent messages, including those sent before anyone listened', async () => {
    const proc = bareProcess();
    const port = new Port();
    adoptParentPort(proc, port);
    port.deliver({ t: 'spawn', runId: 1 });
    const got: unknown[] = [];
    proc.on('message', (m) => got.push(m));
    port.deliver({ t: 'shutdown' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(got).toEqual([{ t: 'spawn', runId: 1 }, { t: 'shutdown' }]);
  });

  it('sends through the port and calls the completion callback', async () => {
    const proc = bareProcess();
    const port = new Port();
    adoptParentPort(proc, port);
    expect(proc.connected).toBe(true);
    const done = new Promise<Error | null>((resolve) => proc.send?.({ t: 'ready' }, (err) => resolve(err)));
    expect(await done).toBeNull();
    expect(port.posted).toEqual([{ t: 'ready' }]);
  });

  it("turns the parent's disconnect into Node's disconnect event, after which sends fail", async () => {
    const proc = bareProcess();
    const port = new Port();
    adoptParentPort(proc, port);
    const disconnected = new Promise<void>((resolve) => proc.on('disconnect', resolve));
    const got: unknown[] = [];
    proc.on('message', (m) => got.push(m));
    port.deliver(PARENT_DISCONNECT);
    await disconnected;
    expect(proc.connected).toBe(false);
    expect(got).toEqual([]);
    const err = await new Promise<Error | null>((resolve) => proc.send?.({ t: 'late' }, (e) => resolve(e)));
    expect(err?.message).toMatch(/closed/);
    expect(port.posted).toEqual([]);
  });
});
