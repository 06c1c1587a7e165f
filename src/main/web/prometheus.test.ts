/**
 * Spindle scraped by a real Prometheus (Debian's package): two Spindle servers on loopback, each
 * with its own token in a 0600 file that the scrape config names with `credentials_file`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../test-utils/until';
import { Core } from '../core/core';
import { startWebServer, type WebServer } from './server';
import { newToken } from './security';
import { send } from './test-client';

const PROMETHEUS = '/usr/bin/prometheus';
const PROMTOOL = '/usr/bin/promtool';

/** A port free on loopback right now (Prometheus needs a number in its flags). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

interface Spindle {
  core: Core;
  server: WebServer;
  token: string;
}

let dir: string;
const spindles: Spindle[] = [];
let prom: ChildProcess | null = null;
let promPort = 0;
let managedId = '';

async function api<T>(path: string): Promise<T> {
  const r = await send(promPort, path);
  if (r.status !== 200) throw new Error(`${path}: ${r.status} ${r.body.slice(0, 200)}`);
  return (JSON.parse(r.body) as { data: T }).data;
}

const query = (q: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> =>
  api<{ result: { metric: Record<string, string>; value: [number, string] }[] }>(
    `/api/v1/query?query=${encodeURIComponent(q)}`,
  ).then((d) => d.result);

// Skipped only off CI on a machine without the package (.ci/run installs it).
describe.skipIf(!existsSync(PROMETHEUS) && !process.env.CI)('Prometheus scraping two Spindles', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'spindle-prom-'));
    for (const name of ['a', 'b']) {
      const core = new Core({ dataDir: join(dir, `data-${name}`) });
      core.start();
      const token = newToken();
      const server = await startWebServer({ core, staticDir: dir, token, readOnly: name === 'b' });
      writeFileSync(join(dir, `${name}.token`), token, { mode: 0o600 });
      spindles.push({ core, server, token });
    }
    managedId = (
      await spindles[0]!.core.supervisor.launch({
        name: 'sleeper',
        stages: [{ command: 'sleep', args: ['600'] }],
      })
    ).id;
    const jobs = spindles.map(
      (s, i) => `  - job_name: spindle-${'ab'[i]}
    authorization:
      credentials_file: ${join(dir, `${'ab'[i]}.token`)}
    static_configs:
      - targets: ['127.0.0.1:${s.server.port}']`,
    );
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n${jobs.join('\n')}\n`,
    );
    promPort = await freePort();
    prom = spawn(
      PROMETHEUS,
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'tsdb')}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
        '--log.level=error',
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
  }, 60_000);

  afterAll(async () => {
    if (prom && prom.exitCode === null) {
      const gone = new Promise((r) => prom!.once('exit', r));
      prom.kill('SIGTERM');
      await gone;
    }
    for (const s of spindles) {
      await s.server.close();
      await s.core.stop();
    }
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('sees both targets up, a CPU rate and a managed process up, with their credentials', async () => {
    const targets = await until(
      async () => {
        const d = await api<{ activeTargets: { health: string; scrapeUrl: string; lastError: string }[] }>(
          '/api/v1/targets',
        );
        const up = d.activeTargets.filter((t) => t.health === 'up');
        return up.length === 2 ? d.activeTargets : null;
      },
      { timeout: 60_000, interval: 250, message: 'both Spindle targets up in Prometheus' },
    );
    expect(targets.map((t) => t.lastError)).toEqual(['', '']);
    const rate = await until(
      async () => {
        const r = await query('sum by (job) (rate(spindle_cpu_seconds_total{mode!="idle"}[10s]))');
        return r.length === 2 ? r : null;
      },
      { timeout: 60_000, interval: 250, message: 'rate(spindle_cpu_seconds_total) for both jobs' },
    );
    for (const r of rate) expect(Number(r.value[1])).toBeGreaterThan(0);
    const up = await until(
      async () => {
        const r = await query(`spindle_managed_up{id="${managedId}"}`);
        return r.length === 1 ? r : null;
      },
      { timeout: 30_000, interval: 250 },
    );
    expect(up[0]).toMatchObject({
      metric: { job: 'spindle-a', name: 'sleeper' },
      value: [expect.any(Number), '1'],
    });
  }, 150_000);

  it('serves a scrape that promtool check metrics passes', async () => {
    const s = spindles[0]!;
    const r = await send(s.server.port, '/metrics', { headers: { Authorization: `Bearer ${s.token}` } });
    expect(r.status).toBe(200);
    const check = spawnSync(PROMTOOL, ['check', 'metrics'], { input: r.body, encoding: 'utf8' });
    expect({ status: check.status, out: check.stdout + check.stderr }).toEqual({ status: 0, out: '' });
  });
});
