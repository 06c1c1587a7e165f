import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../core/core';
import { startWebServer, type WebServer } from './server';
import { machineAddresses } from './security';
import { raw, send } from './test-client';

const TOKEN = 'test-token-0123456789abcdefXYZ';
let core: Core;
let server: WebServer;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spindle-web-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Spindle</title>');
  core = new Core();
  server = await startWebServer({ core, staticDir: dir, token: TOKEN, port: 0 });
});

afterAll(async () => {
  await server.close();
  await core.stop();
});

const stillServes = async (s: WebServer = server): Promise<number> =>
  (await send(s.port, '/api/ping', { headers: { Authorization: `Bearer ${TOKEN}` } })).status;

const UPGRADE =
  'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n';

describe('no request ends the process', () => {
  const targets = [
    '//[',
    'http://[',
    '//evil.example/',
    'http://evil.example/',
    '*',
    '/%',
    '/%E0%A4%A',
    '/\u00ff',
  ];

  it('answers unparseable request targets with 400, with and without a Host, then keeps serving', async () => {
    const host = `Host: 127.0.0.1:${server.port}\r\n`;
    for (const t of targets) {
      for (const h of [host, '']) {
        const got = await raw(server.port, `GET ${t} HTTP/1.1\r\n${h}\r\n`);
        // Host is checked first: without one the answer is 421 (or 400 when Node cannot parse it).
        expect(got, `GET ${t} ${h ? 'with' : 'without'} Host`).toMatch(
          h ? /^HTTP\/1\.1 400 / : /^HTTP\/1\.1 (400|421) /,
        );
        expect(await stillServes()).toBe(204);
      }
    }
  });

  it('does the same for WebSocket upgrades', async () => {
    for (const t of [...targets, '/ws?%']) {
      const got = await raw(
        server.port,
        `GET ${t} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n${UPGRADE}\r\n`,
      );
      expect(got, `upgrade ${t}`).toMatch(/^HTTP\/1\.1 (400|401|404) /);
      expect(await stillServes()).toBe(204);
    }
  });

  it('survives garbage bytes, a bad method and a reset mid-upgrade', async () => {
    expect(await raw(server.port, '\x00\x01\x02 \r\n\r\n')).toMatch(/^HTTP\/1\.1 400 /);
    expect(await raw(server.port, 'GE\x7fT / HTTP/1.1\r\n\r\n')).toMatch(/^HTTP\/1\.1 400 /);
    await raw(server.port, `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n${UPGRADE}`);
    expect(await stillServes()).toBe(204);
  });
});

describe('smaller checks', () => {
  it('never redirects to another host (no open redirect)', async () => {
    const r = await send(server.port, `/.//evil.example/?token=${TOKEN}`);
    expect(r.headers.location ?? '').not.toMatch(/^\/\//);
    expect([200, 400]).toContain(r.status);
    const r2 = await send(server.port, `/?token=${TOKEN}`);
    expect(r2.headers.location).toBeUndefined();
  });

  it('sends Cross-Origin-Resource-Policy: same-origin and refuses Sec-Fetch-Site: cross-site', async () => {
    const page = await send(server.port, '/');
    expect(page.headers['cross-origin-resource-policy']).toBe('same-origin');
    const headers = { 'Sec-Fetch-Site': 'cross-site', Authorization: `Bearer ${TOKEN}` };
    expect((await send(server.port, '/', { headers })).status).toBe(403);
    expect((await send(server.port, '/api/ping', { headers })).status).toBe(403);
    const same = { 'Sec-Fetch-Site': 'same-origin', Authorization: `Bearer ${TOKEN}` };
    expect((await send(server.port, '/api/ping', { headers: same })).status).toBe(204);
  });

  it('a wildcard bind accepts the machine addresses and a --public-host name as Host, nothing else', async () => {
    const wide = await startWebServer({
      core,
      staticDir: dir,
      token: TOKEN,
      host: '0.0.0.0',
      port: 0,
      publicHost: 'spindle.example',
    });
    try {
      const ok = (h: string): Promise<number> =>
        send(wide.port, '/', { headers: { Host: `${h}:${wide.port}` } }).then((r) => r.status);
      const addrs = machineAddresses().filter((a) => !a.includes(':'));
      for (const a of addrs) expect(await ok(a), a).toBe(200);
      expect(await ok('spindle.example')).toBe(200);
      expect(await ok('localhost')).toBe(200);
      expect(await ok('evil.example')).toBe(421);
      const shown = new URL(wide.url).hostname;
      expect(shown).toBe('spindle.example');
      // The loop above checked something: loopback is always a machine address.
      expect(addrs).toContain('127.0.0.1');
      // An address literal that is not this machine's is refused like any other name.
      expect(addrs).not.toContain('192.0.2.1');
      expect(await ok('192.0.2.1')).toBe(421);
    } finally {
      await wide.close();
    }
  });
});
