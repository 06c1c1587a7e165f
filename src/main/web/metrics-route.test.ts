import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../test-utils/until';
import { Core } from '../core/core';
import { parseExposition, valueOf } from '../core/metrics/fixtures/exposition';
import { startWebServer, type WebServer } from './server';
import { send } from './test-client';

const TOKEN = 'metrics-token-0123456789abcdefXYZ';
let dir: string;
let core: Core;
let rw: WebServer;
let ro: WebServer;
let off: WebServer;
const bearer = (c: string): Record<string, string> => ({ Authorization: `Bearer ${c}` });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spindle-metrics-web-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Spindle</title>');
  core = new Core({ dataDir: dir, intervalMs: 250 });
  core.start();
  rw = await startWebServer({ core, staticDir: dir, token: TOKEN });
  ro = await startWebServer({ core, staticDir: dir, token: TOKEN, readOnly: true });
  off = await startWebServer({ core, staticDir: dir, token: TOKEN, metrics: false });
});

afterAll(async () => {
  await Promise.all([rw.close(), ro.close(), off.close()]);
  await core.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('GET /metrics', () => {
  it('needs the Bearer credential, like /api, and says so', async () => {
    for (const headers of [{}, bearer('wrong-token-0123456789abcdef'), { Authorization: `Basic ${TOKEN}` }]) {
      const r = await send(rw.port, '/metrics', { headers });
      expect(r.status).toBe(401);
      expect(r.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'EUNAUTHORIZED' } });
      expect(r.body).not.toContain('spindle_');
    }
  });

  it('answers the Prometheus text format with the token, on a read-only server too', async () => {
    for (const server of [rw, ro]) {
      const r = await until(async () => {
        const r = await send(server.port, '/metrics', { headers: bearer(TOKEN) });
        return valueOf(parseExposition(r.body), 'spindle_load1') !== undefined ? r : null;
      });
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(r.headers['cache-control']).toBe('no-store');
      expect(r.body).toContain('# TYPE spindle_cpu_seconds_total counter');
    }
  });

  it('gzips the text when asked, as Prometheus does', async () => {
    const raw = await new Promise<{ enc: string | undefined; body: Buffer }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: rw.port,
          path: '/metrics',
          headers: { ...bearer(TOKEN), 'Accept-Encoding': 'gzip' },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ enc: res.headers['content-encoding'], body: Buffer.concat(chunks) }));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(raw.enc).toBe('gzip');
    const text = gunzipSync(raw.body).toString();
    expect(text).toContain('# TYPE spindle_cpu_seconds_total counter');
    expect(raw.body.length).toBeLessThan(text.length / 2);
  });

  it('is a read: other methods are refused, and a foreign Host is refused before any credential check', async () => {
    const post = await send(rw.port, '/metrics', { method: 'POST', headers: bearer(TOKEN), body: '' });
    expect(post.status).toBe(405);
    const head = await send(rw.port, '/metrics', { method: 'HEAD', headers: bearer(TOKEN) });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    const rebound = await send(rw.port, '/metrics', {
      headers: { ...bearer(TOKEN), Host: 'evil.example:80' },
    });
    expect(rebound.status).toBe(421);
  });

  it('is absent where the server was started without metrics', async () => {
    const r = await send(off.port, '/metrics', { headers: bearer(TOKEN) });
    expect(r.status).toBe(404);
    expect(r.body).not.toContain('spindle_');
  });
});
