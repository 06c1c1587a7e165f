import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { selfSigned } from '../../test-utils/self-signed';
import { Core } from '../core/core';
import { checkBind } from './bind-policy';
import { startWebServer, type WebServer } from './server';
import { call, codeOf, openWs, send } from './test-client';

const TOKEN = 'test-token-0123456789abcdefXYZ';
let core: Core;
let server: WebServer;
let ca: string;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'spindle-tls-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Spindle</title>');
  // A self-signed certificate made now, for this test only.
  const { cert, key, pem } = selfSigned(dir);
  ca = pem;
  core = new Core();
  server = await startWebServer({ core, staticDir: dir, token: TOKEN, port: 0, tls: { cert, key } });
});

afterAll(async () => {
  await server.close();
  await core.stop();
});

describe('TLS', () => {
  it('serves https and wss with the same session scheme', async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/\?code=/);
    const page = await send(server.port, '/', { ca });
    expect(page.status).toBe(200);
    const r = await send(server.port, '/api/session', {
      ca,
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: server.origin },
      body: JSON.stringify({ code: codeOf(server.url) }),
    });
    expect(r.status).toBe(200);
    const session = (JSON.parse(r.body) as { value: { session: string } }).value.session;
    const ws = await openWs(`wss://127.0.0.1:${server.port}/ws`, { session, origin: server.origin, ca });
    expect(ws).toBeInstanceOf(WebSocket);
    expect(await call(ws as WebSocket, { id: 1, method: 'app.info' })).toMatchObject({ ok: true });
    (ws as WebSocket).close();
    // An http:// origin is another origin: refused on the wss upgrade.
    expect(
      await openWs(`wss://127.0.0.1:${server.port}/ws`, {
        session,
        origin: `http://127.0.0.1:${server.port}`,
        ca,
      }),
    ).toBe(403);
  });

  it('does not answer plain http on the TLS port', async () => {
    await expect(send(server.port, '/')).rejects.toThrow();
  });
});

describe('binding beyond loopback', () => {
  it('is refused without TLS unless --insecure, which warns', () => {
    expect(checkBind({ host: '127.0.0.1', tls: false, insecure: false, readOnly: false })).toEqual({
      ok: true,
    });
    expect(checkBind({ host: '0.0.0.0', tls: false, insecure: false, readOnly: false }).ok).toBe(false);
    const insecure = checkBind({ host: '0.0.0.0', tls: false, insecure: true, readOnly: false });
    expect(insecure.ok && insecure.warning).toMatch(/WITHOUT TLS/);
    const tls = checkBind({ host: '0.0.0.0', tls: true, insecure: false, readOnly: true });
    expect(tls.ok && tls.warning).toMatch(/can watch this machine/);
  });

  it('the spindle command exits with the reason instead of listening', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/main/cli.ts', 'web', '--host', '0.0.0.0', '--port', '0'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (out += d));
    const code = await new Promise<number | null>((r) => {
      child.on('exit', (c) => r(c));
      child.stdout.on('data', () => /Spindle web UI/.test(out) && child.kill()); // old behaviour: it listened
    });
    expect(out).toMatch(/refusing to bind 0\.0\.0\.0 without TLS/);
    expect(code).toBe(2);
  }, 30_000);
});
