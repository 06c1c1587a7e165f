import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { Core } from '../core/core';
import { startWebServer, type WebServer } from './server';
import { tokenFromEnv, tokenMatches } from './security';
import { call, codeOf, exchange, openWs, postJson, send } from './test-client';

const TOKEN = 'test-token-0123456789abcdefXYZ';
let core: Core;
let server: WebServer;
let other: WebServer;
let ro: WebServer;
let dir: string;
let wsUrl: string;
let origin: string;

const bearer = (c: string): Record<string, string> => ({ Authorization: `Bearer ${c}` });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spindle-web-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Spindle</title>');
  core = new Core();
  server = await startWebServer({ core, staticDir: dir, token: TOKEN, port: 0 });
  other = await startWebServer({ core, staticDir: dir, token: TOKEN + 'other', port: 0 });
  ro = await startWebServer({ core, staticDir: dir, token: TOKEN, port: 0, readOnly: true });
  wsUrl = `ws://127.0.0.1:${server.port}/ws`;
  origin = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await Promise.all([server.close(), other.close(), ro.close()]);
  await core.stop();
});

describe('web mode: the session scheme', () => {
  it('prints a loopback URL with a one-time code, never the token', () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?code=[\\w-]{32}$`));
    expect(server.url).not.toContain(TOKEN);
  });

  it('serves the app itself to anyone on an allowed Host, with strict headers and no cookie', async () => {
    const page = await send(server.port, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('Spindle');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['cross-origin-resource-policy']).toBe('same-origin');
    expect(page.headers['access-control-allow-origin']).toBeUndefined();
    expect(page.headers['set-cookie']).toBeUndefined();
  });

  it('trades the code once for a session credential that works on HTTP and the WebSocket', async () => {
    const fresh = await postJson(server.port, '/api/code', {}, bearer(TOKEN));
    const code = (JSON.parse(fresh.body) as { value: { code: string } }).value.code;
    const session = await exchange(server.port, code);
    expect(session).toMatch(/^[\w-]{32}$/);
    expect(await exchange(server.port, code)).toBeNull(); // dead after first use
    expect((await send(server.port, '/api/ping', { headers: bearer(session!) })).status).toBe(204);
    const ws = await openWs(wsUrl, { session: session!, origin });
    expect(ws).toBeInstanceOf(WebSocket);
    expect((ws as WebSocket).protocol).toBe('spindle.v1'); // the credential is never echoed
    expect(await call(ws as WebSocket, { id: 7, method: 'app.info', params: {} })).toMatchObject({
      id: 7,
      ok: true,
      value: { transport: 'web', readOnly: false },
    });
    (ws as WebSocket).close();
  });

  it('the printed code works exactly once', async () => {
    const first = await exchange(other.port, codeOf(other.url));
    expect(first).not.toBeNull();
    expect(await exchange(other.port, codeOf(other.url))).toBeNull();
  });

  it('accepts the long-lived token only as a Bearer header — never in the URL or a cookie', async () => {
    expect((await send(server.port, '/api/ping', { headers: bearer(TOKEN) })).status).toBe(204);
    expect((await send(server.port, `/api/ping?token=${TOKEN}`)).status).toBe(401);
    expect(
      (await send(server.port, '/api/ping', { headers: { Cookie: `spindle_token=${TOKEN}` } })).status,
    ).toBe(401);
    expect((await send(server.port, '/api/ping')).status).toBe(401);
    expect((await send(server.port, '/api/ping', { headers: bearer('wrong') })).status).toBe(401);
    expect(await openWs(`${wsUrl}?token=${TOKEN}`, { origin })).toBe(401);
    expect(await openWs(wsUrl, { bearer: TOKEN })).toBeInstanceOf(WebSocket);
  });

  it('a malformed cookie never throws, and the server keeps serving', async () => {
    for (const cookie of ['spindle_token=%', 'spindle_token=%E0%A4%A', '=; ;=%%']) {
      expect((await send(server.port, '/api/ping', { headers: { Cookie: cookie } })).status).toBe(401);
      expect((await send(server.port, '/', { headers: { Cookie: cookie } })).status).toBe(200);
    }
    expect((await send(server.port, '/api/ping', { headers: bearer(TOKEN) })).status).toBe(204);
  });

  it('two instances on one machine keep their sessions apart', async () => {
    const a = await exchange(server.port, server.credentials.newCode());
    const b = await exchange(other.port, other.credentials.newCode());
    expect((await send(other.port, '/api/ping', { headers: bearer(a!) })).status).toBe(401);
    expect((await send(server.port, '/api/ping', { headers: bearer(b!) })).status).toBe(401);
    expect((await send(server.port, '/api/ping', { headers: bearer(a!) })).status).toBe(204);
    // A code of one instance is not a code of the other, and trying it does not spend it.
    const code = server.credentials.newCode();
    expect(await exchange(other.port, code)).toBeNull();
    expect(await exchange(server.port, code)).not.toBeNull();
  });

  it('refuses a code exchange posted as a form or from another origin', async () => {
    const code = server.credentials.newCode();
    const form = await send(server.port, '/api/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `code=${code}`,
    });
    expect(form.status).toBe(403);
    const foreign = await postJson(server.port, '/api/session', { code }, { Origin: 'http://127.0.0.1:1' });
    expect(foreign.status).toBe(403);
    expect(await exchange(server.port, code)).not.toBeNull(); // refused before it was looked at
  });

  it('downloads a snapshot through a short-lived single-use link', async () => {
    const session = await exchange(server.port, server.credentials.newCode());
    expect((await send(server.port, '/api/snapshot?format=json')).status).toBe(401);
    const link = await postJson(
      server.port,
      '/api/snapshot-link',
      { format: 'csv-series' },
      bearer(session!),
    );
    const { href } = (JSON.parse(link.body) as { value: { href: string } }).value;
    expect(href).toMatch(/^\/api\/snapshot\?ticket=[\w-]+$/);
    const first = await send(server.port, href);
    expect(first.status).toBe(200);
    expect(String(first.headers['content-disposition'])).toMatch(/attachment; filename=".*\.csv"/);
    expect((await send(server.port, href)).status).toBe(401);
  });
});

describe('web mode: checks', () => {
  it('refuses a foreign Host header even with the token (DNS rebinding)', async () => {
    const r = await send(server.port, '/api/ping', {
      headers: { Host: `evil.example:${server.port}`, ...bearer(TOKEN) },
    });
    expect(r.status).toBe(421);
    expect((await send(server.port, '/', { headers: { Host: `evil.example:${server.port}` } })).status).toBe(
      421,
    );
  });

  it('never serves files outside the renderer folder', async () => {
    const r = await send(server.port, '/../../etc/passwd');
    expect(r.body).not.toContain('root:');
  });

  it('refuses a foreign Origin on the WebSocket (cross-site socket) and a foreign Host', async () => {
    const session = await exchange(server.port, server.credentials.newCode());
    expect(await openWs(wsUrl, { session: session!, origin: 'http://evil.example' })).toBe(403);
    const host = `evil.example:${server.port}`;
    expect(await openWs(wsUrl, { session: session!, host, origin: `http://${host}` })).toBe(421);
    expect(await openWs(wsUrl, { origin })).toBe(401);
  });

  it('answers malformed and unknown messages with typed errors', async () => {
    const ws = (await openWs(wsUrl, { bearer: TOKEN })) as WebSocket;
    expect(await call(ws, 'not json')).toMatchObject({
      id: null,
      ok: false,
      error: { code: 'EBAD_MESSAGE' },
    });
    expect(await call(ws, { id: 1, method: 'rm.rf' })).toMatchObject({
      id: 1,
      ok: false,
      error: { code: 'EUNKNOWN_METHOD' },
    });
    ws.close();
  });

  it('closes a connection that sends an oversized message', async () => {
    const ws = (await openWs(wsUrl, { bearer: TOKEN })) as WebSocket;
    const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
    ws.send(JSON.stringify({ id: 1, method: 'app.info', params: { pad: 'x'.repeat(400_000) } }));
    expect(await closed).toBe(1009);
  });

  it('read-only mode refuses every control request', async () => {
    const { requests } = await import('../../shared/contract');
    const control = Object.entries(requests).filter(([, d]) => d.control);
    expect(control.length).toBeGreaterThan(0);
    const session = await exchange(ro.port, codeOf(ro.url));
    const ws = (await openWs(`ws://127.0.0.1:${ro.port}/ws`, {
      session: session!,
      origin: `http://127.0.0.1:${ro.port}`,
    })) as WebSocket;
    for (const [method] of control) {
      expect(await call(ws, { id: 2, method, params: {} })).toMatchObject({
        ok: false,
        error: { code: 'EREADONLY' },
      });
    }
    ws.close();
  });
});

describe('tokens', () => {
  it('compares in constant time and accepts only the exact token', () => {
    expect(tokenMatches(TOKEN, TOKEN)).toBe(true);
    expect(tokenMatches(TOKEN.slice(0, -1), TOKEN)).toBe(false);
    expect(tokenMatches(null, TOKEN)).toBe(false);
  });

  it('makes at least 128 random bits, or takes SPINDLE_TOKEN when long enough', () => {
    expect(tokenFromEnv({}).length).toBeGreaterThanOrEqual(22);
    expect(tokenFromEnv({})).not.toBe(tokenFromEnv({}));
    expect(tokenFromEnv({ SPINDLE_TOKEN: TOKEN })).toBe(TOKEN);
    expect(() => tokenFromEnv({ SPINDLE_TOKEN: 'short' })).toThrow(/128 bits/);
  });
});
