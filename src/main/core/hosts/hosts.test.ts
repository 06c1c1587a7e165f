import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName, HostRow, HostsState } from '../../../shared/contract';
import type { Result } from '../../../shared/result';
import { until } from '../../../test-utils/until';
import { startWebServer, type WebServer } from '../../web/server';
import { Core, type Session } from '../core';
import { freePort, startRedis } from '../../../test-utils/redis-server';

const TOKEN_A = 'host-a-token-0123456789abcdefXYZ';
const TOKEN_B = 'host-b-token-0123456789abcdefXYZ';

let tmp: string;
let local: Core;
let a: Core;
let b: Core;
let serverA: WebServer;
let serverB: WebServer;
let portA: number;
let session: Session;
const events: { event: EventName; payload: unknown; host?: string }[] = [];
let latest: HostsState | null = null;
let hostsTicks = 0;
/** A second session, as a window that shows only the host picker: `hosts.list` with 'changes'. */
let watcher: Session;
const watched: { event: EventName; payload: HostsState }[] = [];

const req = <T>(method: string, params?: unknown, host?: string): Promise<Result<T>> =>
  session.request({ method, params, ...(host ? { host } : {}) }) as Promise<Result<T>>;
const row = (id: string): HostRow | undefined => latest?.hosts.find((h) => h.id === id);

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'spindle-hosts-'));
  writeFileSync(join(tmp, 'index.html'), '<!doctype html><title>Spindle</title>');
  local = new Core({ dataDir: join(tmp, 'local'), intervalMs: 250 });
  a = new Core({ dataDir: join(tmp, 'a'), intervalMs: 250 });
  b = new Core({ dataDir: join(tmp, 'b'), intervalMs: 250 });
  for (const c of [local, a, b]) c.start();
  portA = await freePort();
  serverA = await startWebServer({ core: a, staticDir: tmp, token: TOKEN_A, port: portA });
  serverB = await startWebServer({ core: b, staticDir: tmp, token: TOKEN_B, port: 0, readOnly: true });
  session = local.openSession(
    { transport: 'web', readOnly: false, label: 'test' },
    (event, payload, host) => {
      if (event === 'hosts') {
        latest = payload as HostsState;
        hostsTicks++;
      } else if (events.length < 5000) events.push({ event, payload, host });
    },
  );
  await req('hosts.list', { subscribe: true });
  watcher = local.openSession({ transport: 'web', readOnly: false, label: 'picker' }, (event, payload) =>
    watched.push({ event, payload: payload as HostsState }),
  );
  await watcher.request({ method: 'hosts.list', params: { subscribe: 'changes' } });
}, 60_000);

afterAll(async () => {
  session?.close();
  watcher?.close();
  await Promise.all([serverA?.close(), serverB?.close()]);
  await Promise.all([local?.stop(), a?.stop(), b?.stop()]);
  rmSync(tmp, { recursive: true, force: true });
}, 60_000);

describe('hosts: one window over several Spindle servers', () => {
  it('adds remotes, keeps their credentials in a 0600 file and never in a row', async () => {
    const ra = await req<HostRow>('hosts.add', {
      url: `http://127.0.0.1:${portA}/`,
      token: TOKEN_A,
      name: 'Alpha',
    });
    const rb = await req<HostRow>('hosts.add', {
      url: `http://127.0.0.1:${serverB.port}`,
      token: TOKEN_B,
      name: 'beta',
    });
    expect(ra.ok && ra.value.id).toBe('alpha');
    expect(rb.ok && rb.value.id).toBe('beta');
    const file = join(tmp, 'local', 'hosts.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain(TOKEN_A);
    await until(() => row('alpha')?.state === 'up' && row('beta')?.state === 'up');
    expect(JSON.stringify(latest)).not.toContain(TOKEN_A);
    expect(JSON.stringify(latest)).not.toContain(TOKEN_B);
    expect(row('beta')?.readOnly).toBe(true);
    expect(row('alpha')?.readOnly).toBe(false);
    expect(latest?.hosts[0]?.id).toBe('local');
    // Sparklines fill from the remote's own ticks.
    await until(() => (row('alpha')?.series.cpuBusy ?? []).some((v) => v !== null));
    const dup = await req('hosts.add', { url: `http://127.0.0.1:${portA}`, token: TOKEN_A });
    expect(!dup.ok && dup.error.code).toBe('EHOST_EXISTS');
  });

  it('tells a session that shows only the list of changes, not of each tick, until it asks for ticks', async () => {
    // Hosts were added and connected: each step came as `hosts.changed`, the last with both up
    // and beta's read-only flag (the banner's), and no tick came as `hosts`.
    const last = (): HostRow[] | undefined => watched.at(-1)?.payload.hosts;
    await until(() => last()?.find((h) => h.id === 'beta')?.readOnly === true);
    expect(last()?.map((h) => [h.id, h.state])).toEqual([
      ['local', 'up'],
      ['alpha', 'up'],
      ['beta', 'up'],
    ]);
    expect(watched.every((e) => e.event === 'hosts.changed')).toBe(true);
    // Asking for ticks replaces the mode: `hosts` comes each tick, with the sparklines.
    await watcher.request({ method: 'hosts.list', params: { subscribe: 'ticks' } });
    const n = watched.length;
    await until(() => watched.slice(n).filter((e) => e.event === 'hosts').length >= 2);
    // And back: once the first session has seen three more ticks, the watcher has seen none.
    await watcher.request({ method: 'hosts.list', params: { subscribe: 'changes' } });
    const m = watched.length;
    const ticks = hostsTicks;
    await until(() => hostsTicks >= ticks + 3);
    expect(watched.slice(m).filter((e) => e.event === 'hosts')).toEqual([]);
  });

  it('forwards a request to the chosen host and tags its events with the host', async () => {
    const info = await req<{ hostname: string }>('system.info', undefined, 'alpha');
    expect(info.ok).toBe(true);
    const sub = await req<{ seq?: number }>('stats.subscribe', undefined, 'alpha');
    expect(sub.ok).toBe(true);
    await until(() => events.some((e) => e.event === 'stats' && e.host === 'alpha'));
    // The local server's own stats are not sent to this session (it did not subscribe locally).
    expect(events.some((e) => e.event === 'stats' && e.host === undefined)).toBe(false);
    const unknown = await req('system.info', undefined, 'nope');
    expect(!unknown.ok && unknown.error.code).toBe('ENOT_FOUND');
  });

  it('refuses control on a read-only host with EREADONLY, and audits the attempt here', async () => {
    const res = await req('processes.signal', { pid: process.pid, startTime: 0, signal: 'SIGCONT' }, 'beta');
    expect(!res.ok && res.error.code).toBe('EREADONLY');
    const audit = await req<{ action: string; outcome: string }[]>('audit.list');
    expect(
      audit.ok &&
        audit.value.some((e) => e.action === 'processes.signal on beta' && e.outcome === 'EREADONLY'),
    ).toBe(true);
  });

  it('shows a host that goes away as down with a gap, and reconnects by itself', async () => {
    await serverA.close();
    await until(() => row('alpha')?.state === 'down' || row('alpha')?.state === 'reconnecting');
    expect(row('alpha')?.error?.code).toMatch(/^EHOST_/);
    await until(() => (row('alpha')?.series.cpuBusy.slice(-2) ?? []).every((v) => v === null));
    const down = await req('system.info', undefined, 'alpha');
    expect(!down.ok && down.error.code).toBe('EHOST_DOWN');
    serverA = await startWebServer({ core: a, staticDir: tmp, token: TOKEN_A, port: portA });
    await until(() => row('alpha')?.state === 'up', { timeout: 30_000 });
    await until(() => (row('alpha')?.series.cpuBusy.at(-1) ?? null) !== null);
    // The session's subscription was made again on the new connection.
    const before = events.length;
    await until(() => events.slice(before).some((e) => e.event === 'stats' && e.host === 'alpha'));
  }, 60_000);

  it('shows the queue backlog of a host, from its own queue engine', async () => {
    const redis = await startRedis();
    try {
      const conn = await req<{ id: string }>('queues.connect', { url: redis.url, save: false }, 'alpha');
      expect(conn.ok).toBe(true);
      const connectionId = conn.ok ? conn.value.id : '';
      // A paused queue keeps what it is given: 7 jobs wait.
      await req('queues.pause', { connectionId, queue: 'hosts-test' }, 'alpha');
      const added = await req('queues.add', { connectionId, queue: 'hosts-test', count: 7 }, 'alpha');
      expect(added.ok).toBe(true);
      await until(() => row('alpha')?.queueBacklog === 7);
      expect(row('local')?.queueBacklog).toBeNull(); // this server watches no queue
      await req('queues.disconnect', { connectionId }, 'alpha');
    } finally {
      await redis.stop();
    }
  });

  it("stops forwarding a host's events once the session releases it", async () => {
    expect((await req('hosts.release', { id: 'alpha' })).ok).toBe(true);
    const after = events.length;
    const ticks = hostsTicks;
    // Several of the remote's ticks pass (it ticks as often as the local one).
    await until(() => hostsTicks >= ticks + 4 && (row('alpha')?.series.cpuBusy.at(-1) ?? null) !== null);
    expect(events.slice(after).filter((e) => e.host === 'alpha')).toEqual([]);
  });

  it('gives a wrong credential and a closed port their codes, and removes a host', async () => {
    const bad = await req<HostRow>('hosts.add', {
      url: `http://127.0.0.1:${serverB.port}/x`,
      token: 'wrong',
      name: 'bad',
    });
    expect(!bad.ok && bad.error.code).toBe('EHOST_EXISTS'); // the URL's path does not make it another server
    const port = await freePort();
    await req('hosts.add', { url: `http://127.0.0.1:${port}`, token: 'x', name: 'closed' });
    await until(() => row('closed')?.error?.code === 'EHOST_UNREACHABLE');
    await req('hosts.remove', { id: 'closed' });
    const other = await startWebServer({ core: b, staticDir: tmp, token: TOKEN_B, port: 0 });
    try {
      await req('hosts.add', { url: `http://127.0.0.1:${other.port}`, token: 'wrong', name: 'wrong' });
      await until(() => row('wrong')?.error?.code === 'EHOST_AUTH');
      await req('hosts.remove', { id: 'wrong' });
    } finally {
      await other.close();
    }
    expect(row('closed')).toBeUndefined();
    const gone = await req('hosts.remove', { id: 'closed' });
    expect(!gone.ok && gone.error.code).toBe('ENOT_FOUND');
  });

  it('keeps an unreadable hosts file and refuses to write over it', async () => {
    const dir = join(tmp, 'broken');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir);
    writeFileSync(join(dir, 'hosts.json'), '{ not json', { mode: 0o600 });
    const c = new Core({ dataDir: dir });
    c.hosts.start();
    const s = c.openSession({ transport: 'web', readOnly: false, label: 't' }, () => {});
    const res = (await s.request({
      method: 'hosts.add',
      params: { url: 'http://127.0.0.1:9', token: 't' },
    })) as Result<unknown>;
    expect(!res.ok && res.error.code).toBe('EHOSTS_FILE');
    expect(readFileSync(join(dir, 'hosts.json'), 'utf8')).toBe('{ not json');
    s.close();
    await c.stop();
  });
});
