import { afterEach, describe, expect, it } from 'vitest';
import {
  forkEntry,
  nodeLauncher,
  useChildLauncher,
  type ChildLauncher,
  type EntryName,
  type ForkOptions,
} from './launcher';
import { openChannel } from './pools/channel';
import type { FromWorker } from './pools/protocol';
import { HelperClient } from './supervisor/helper-client';
import type { FromHelper } from './supervisor/helper-protocol';

/** The Node launcher, recording what it starts: stands in for the adapter's launcher. */
function recording(): { launcher: ChildLauncher; started: { name: EntryName; pid: number | undefined }[] } {
  const started: { name: EntryName; pid: number | undefined }[] = [];
  return {
    started,
    launcher: {
      fork: <In>(name: EntryName, args?: readonly string[], options?: ForkOptions) => {
        const child = nodeLauncher.fork<In>(name, args, options);
        started.push({ name, pid: child.pid });
        return child;
      },
    },
  };
}

afterEach(() => useChildLauncher(nodeLauncher));

describe('child launcher', () => {
  it('starts an entry as a real child that talks over the channel and ends on disconnect', async () => {
    const child = forkEntry<FromHelper>('supervisor-helper');
    const ready = await new Promise<FromHelper>((resolve) => child.on('message', resolve));
    expect(ready).toEqual({ t: 'ready', pid: child.pid });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.disconnect();
    expect(await exited).toBe(0);
    expect(child.connected).toBe(false);
  });

  it('is what the supervisor helper client starts its helper with', async () => {
    const rec = recording();
    useChildLauncher(rec.launcher);
    const client = new HelperClient();
    const exit = new Promise<{ code: number | null }[]>((resolve) => {
      void client.spawn(
        { stages: [{ file: '/bin/true', args: [] }], cwd: '/', env: {} },
        { maxLineBytes: 1024, maxPendingLines: 16 },
        { lines: () => {}, bytes: () => {}, exit: (stages) => resolve(stages) },
      );
    });
    expect((await exit)[0]?.code).toBe(0);
    expect(rec.started).toEqual([{ name: 'supervisor-helper', pid: client.pid }]);
    await client.close();
  });

  it('is what a process pool starts its workers with', async () => {
    const rec = recording();
    useChildLauncher(rec.launcher);
    const channel = openChannel('processes', {});
    const first = await new Promise<FromWorker>((resolve) => channel.onMessage(resolve));
    expect(first.t).toBe('ready');
    expect(rec.started).toEqual([{ name: 'pool-process', pid: first.t === 'ready' ? first.pid : -1 }]);
    const gone = new Promise<string>((resolve) => channel.onExit(resolve));
    channel.kill();
    expect(await gone).toMatch(/SIGTERM|exit 143/);
  });
});
