import { mkdtempSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { Core } from '../core/core';
import { startWebServer, type WebServer } from './server';
import { tokenFromEnv, tokenMatches } from './security';

const TOKEN = 'test-token-0123456789abcdefXYZ';
let core: Core;
let server: WebServer;
let ro: WebServer;
let base: string;

function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Open a WebSocket; resolves 'open' or the HTTP status of the refused upgrade. */
function tryWs(
  port: number,
  opts: { token?: string; origin?: string; host?: string },
): Promise<WebSocket | number> {
  return new Promise((resolve) => {
    const q = opts.token === undefined ? '' : `?token=${opts.token}`;
    const headers: Record<string, string> = {};
    if (opts.host) headers.Host = opts.host;
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws${q}`, { headers, origin: opts.origin });
    ws.on('open', () => resolve(ws));
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(-1));
  });
}

function call(ws: WebSocket, msg: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMsg = (data: Buffer): void => {
      const m = JSON.parse(String(data)) as Record<string, unknown>;
      if ('event' in m) return;
      ws.off('message', onMsg);
      resolve(m);
    };
    ws.on('message', onMsg);
    ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  });
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'spindle-web-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Spindle</title>');
  core = new Core();
  server = await startWebServer({ core, staticDir: dir, token: TOKEN, port: 0 });
  ro = await startWebServer({ core, staticDir: dir, token: TOKEN, port: 0, readOnly: true });
  base = `127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server.close();
  await ro.close();
  await core.stop();
});

describe('web mode HTTP', () => {
  it('prints a URL on loopback with the token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${TOKEN}`);
  });

  it('refuses a request without a token', async () => {
    expect((await get(server.port, '/')).status).toBe(401);
  });

  it('refuses a wrong token', async () => {
    expect((await get(server.port, '/?token=wrong')).status).toBe(401);
    expect((await get(server.port, '/', { Cookie: 'spindle_token=wrong' })).status).toBe(401);
  });

  it('trades the URL token for an HttpOnly cookie, then serves the app', async () => {
    const first = await get(server.port, `/?token=${TOKEN}`);
    expect(first.status).toBe(302);
    expect(String(first.headers['set-cookie'])).toMatch(/spindle_token=.*HttpOnly; SameSite=Strict/);
    const page = await get(server.port, '/', { Cookie: `spindle_token=${TOKEN}` });
    expect(page.status).toBe(200);
    expect(page.body).toContain('Spindle');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a foreign Host header even with the token (DNS rebinding)', async () => {
    const r = await get(server.port, `/?token=${TOKEN}`, { Host: `evil.example:${server.port}` });
    expect(r.status).toBe(421);
  });

  it('never serves files outside the renderer folder', async () => {
    const r = await get(server.port, '/../../etc/passwd', { Cookie: `spindle_token=${TOKEN}` });
    expect(r.body).not.toContain('root:');
  });
});

describe('web mode WebSocket', () => {
  it('accepts the token with the served Origin and answers requests', async () => {
    const ws = await tryWs(server.port, { token: TOKEN, origin: `http://${base}` });
    expect(ws).toBeInstanceOf(WebSocket);
    const r = await call(ws as WebSocket, { id: 7, method: 'app.info', params: {} });
    expect(r).toMatchObject({ id: 7, ok: true, value: { transport: 'web', readOnly: false } });
    (ws as WebSocket).close();
  });

  it('refuses an upgrade without a token', async () => {
    expect(await tryWs(server.port, { origin: `http://${base}` })).toBe(401);
  });

  it('refuses an upgrade with a wrong token', async () => {
    expect(await tryWs(server.port, { token: 'nope', origin: `http://${base}` })).toBe(401);
  });

  it('refuses a foreign Origin (cross-site WebSocket)', async () => {
    expect(await tryWs(server.port, { token: TOKEN, origin: 'http://evil.example' })).toBe(403);
  });

  it('refuses a missing Origin', async () => {
    expect(await tryWs(server.port, { token: TOKEN })).toBe(403);
  });

  it('refuses a foreign Host on the upgrade', async () => {
    const host = `evil.example:${server.port}`;
    expect(await tryWs(server.port, { token: TOKEN, host, origin: `http://${host}` })).toBe(421);
  });

  it('answers malformed and unknown messages with typed errors', async () => {
    const ws = (await tryWs(server.port, { token: TOKEN, origin: `http://${base}` })) as WebSocket;
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
    const ws = (await tryWs(server.port, { token: TOKEN, origin: `http://${base}` })) as WebSocket;
    const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
    ws.send(JSON.stringify({ id: 1, method: 'app.info', params: { pad: 'x'.repeat(400_000) } }));
    expect(await closed).toBe(1009);
  });

  it('read-only mode refuses every control request', async () => {
    const { requests } = await import('../../shared/contract');
    const control = Object.entries(requests).filter(([, d]) => d.control);
    expect(control.length).toBeGreaterThan(0);
    const ws = (await tryWs(ro.port, { token: TOKEN, origin: `http://127.0.0.1:${ro.port}` })) as WebSocket;
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
