import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { until } from '../../test-utils/until';
import { parseExposition, valueOf } from '../core/metrics/fixtures/exposition';
import { agentToken } from './agent';
import { call, openWs, send } from './test-client';
import { tokenFromFile } from './token-file';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'spindle-agent-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the agent token file', () => {
  it('is created once, 0600 in a 0700 folder, and read back the same', () => {
    const path = join(dir, 'fresh', 'agent-token');
    const a = tokenFromFile(path);
    expect(a.created).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'fresh')).mode & 0o777).toBe(0o700);
    expect(readFileSync(path, 'latin1')).toBe(`${a.token}\n`);
    expect(tokenFromFile(path)).toEqual({ token: a.token, created: false });
  });

  it('is refused, with ETOKEN_FILE, when others can read it or it holds no real token', () => {
    const open = join(dir, 'open-token');
    writeFileSync(open, 'x'.repeat(40), { mode: 0o644 });
    chmodSync(open, 0o644);
    expect(() => tokenFromFile(open)).toThrow(expect.objectContaining({ code: 'ETOKEN_FILE' }));
    const short = join(dir, 'short-token');
    writeFileSync(short, 'abc\n', { mode: 0o600 });
    expect(() => tokenFromFile(short)).toThrow(expect.objectContaining({ code: 'ETOKEN_FILE' }));
  });

  it('defaults to <data dir>/agent-token; SPINDLE_TOKEN is used when no file is named', () => {
    const t = agentToken(undefined, { SPINDLE_DATA_DIR: join(dir, 'data') });
    expect(t.where).toBe(join(dir, 'data', 'agent-token'));
    const env = agentToken(undefined, { SPINDLE_TOKEN: 'e'.repeat(30) });
    expect(env).toMatchObject({ token: 'e'.repeat(30), where: 'the SPINDLE_TOKEN variable' });
  });
});

describe('spindle agent', () => {
  let child: ChildProcess;
  let out = '';
  afterAll(async () => {
    if (child.exitCode === null) {
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await gone;
    }
  });

  it('starts read-only with /metrics, and its start line says where, with what token, and that it is read-only', async () => {
    const cli = fileURLToPath(new URL('../cli.ts', import.meta.url));
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const tokenFile = join(dir, 'svc', 'token');
    child = spawn(
      process.execPath,
      ['--import', tsx, cli, 'agent', '--port', '0', '--token-file', tokenFile],
      {
        env: { ...process.env, SPINDLE_DATA_DIR: join(dir, 'svc-data'), SPINDLE_TOKEN: '' },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    await until(() => out.split('\n').length > 3, {
      timeout: 30_000,
      message: 'the agent prints its start lines',
    });
    const [first, metricsLine, windowLine] = out.split('\n');
    const origin = /^Spindle agent at (http:\/\/127\.0\.0\.1:(\d+)) \(read-only/.exec(first!);
    expect(origin, first).not.toBeNull();
    const port = Number(origin![2]);
    const token = readFileSync(tokenFile, 'latin1').trim();
    expect(metricsLine).toContain(`${origin![1]}/metrics`);
    expect(metricsLine).toContain(tokenFile);
    expect(out).not.toContain(token);
    expect(windowLine).not.toMatch(/code=/); // no one-time code in a service's journal

    const scrape = await until(async () => {
      const r = await send(port, '/metrics', { headers: { Authorization: `Bearer ${token}` } });
      return valueOf(parseExposition(r.body), 'spindle_load1') !== undefined ? r : null;
    });
    expect(scrape.status).toBe(200);
    expect((await send(port, '/metrics')).status).toBe(401);

    const ws = await openWs(`ws://127.0.0.1:${port}/ws`, { bearer: token });
    expect(typeof ws).not.toBe('number');
    const refused = await call(ws as WebSocket, {
      id: 1,
      method: 'supervisor.launch',
      params: { definition: { name: 'x', stages: [{ command: 'true' }] } },
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'EREADONLY' } });
    (ws as WebSocket).close();
  });
});
