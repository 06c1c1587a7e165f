/**
 * Metrics benchmark: what one Prometheus scrape of Spindle's `/metrics` costs, against Debian's
 * `prometheus-node-exporter` scraped the same way in the same run, with 2,000 extra idle
 * processes on the machine. Spindle runs as `spindle agent` (a child process, so its CPU is its
 * own); each server gets N sequential scrapes over one keep-alive connection with the headers
 * Prometheus sends (`Accept-Encoding: gzip`). CPU = utime+stime delta of the server's
 * /proc/PID/stat around the N scrapes; for Spindle the sampler's own CPU over the same time
 * (measured in equal windows without scrapes before and after) is taken off, since it runs
 * whether anyone scrapes or not. Needs a build. SPINDLE_METRICS_SCRAPES (default 200).
 * Writes bench/results/metrics.json. Run alone: `npx tsx bench/run.ts metrics`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { writeResult } from './results';
import { CLK_TCK } from './selfcost-proc';
import { idleProcesses } from './selfcost';

const EXTRA = 2000;
const NODE_EXPORTER = '/usr/bin/prometheus-node-exporter';
const PROM_HEADERS = {
  Accept: 'text/plain;version=0.0.4;q=1,*/*;q=0.1',
  'Accept-Encoding': 'gzip',
  'User-Agent': 'Prometheus/2.42.0',
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const r3 = (v: number): number => Math.round(v * 1000) / 1000;

/** CPU ms (utime + stime) of one process so far. */
function cpuMs(pid: number): number {
  const text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK;
}

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

/** One GET over `agent`: the bytes as they crossed the wire, and the text once unzipped. */
function get(agent: Agent, port: number, path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; wire: number; text: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const text = res.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
        resolve({ status: res.statusCode ?? 0, wire: body.length, text: text.toString() });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

async function until<T>(fn: () => Promise<T | null>, what: string, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch {
      // not up yet
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

interface Target {
  name: string;
  pid: number;
  port: number;
  headers: Record<string, string>;
}

/** N sequential scrapes: CPU ms of the server and wall ms, bytes and sample lines of the last one. */
async function scrapes(t: Target, n: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    await get(agent, t.port, '/metrics', t.headers); // connection open, first-scrape work done
    const cpu0 = cpuMs(t.pid);
    const w0 = performance.now();
    let last = { status: 0, wire: 0, text: '' };
    for (let i = 0; i < n; i++) last = await get(agent, t.port, '/metrics', t.headers);
    const wallMs = performance.now() - w0;
    if (last.status !== 200) throw new Error(`${t.name}: /metrics answered ${last.status}`);
    const series = last.text.split('\n').filter((l) => l && !l.startsWith('#')).length;
    return {
      cpuMs: cpuMs(t.pid) - cpu0,
      wallMs,
      wire: last.wire,
      bytes: Buffer.byteLength(last.text),
      series,
    };
  } finally {
    agent.destroy();
  }
}

/** CPU ms per wall ms of a process left alone for `ms`. */
async function idleRate(pid: number, ms: number): Promise<number> {
  const c0 = cpuMs(pid);
  const w0 = performance.now();
  await sleep(ms);
  return (cpuMs(pid) - c0) / (performance.now() - w0);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await gone;
}

export async function run(): Promise<void> {
  if (!existsSync('out/main/cli.js')) throw new Error('metrics bench needs a build (npm run build)');
  if (!existsSync(NODE_EXPORTER)) throw new Error(`${NODE_EXPORTER} is not installed`);
  const n = Number(process.env.SPINDLE_METRICS_SCRAPES ?? 200);
  const dir = mkdtempSync(join(tmpdir(), 'spindle-bench-metrics-'));
  const stopIdle = await idleProcesses(EXTRA);
  const children: ChildProcess[] = [];
  try {
    const tokenFile = join(dir, 'token');
    const spindle = spawn(
      process.execPath,
      ['bin/spindle.mjs', 'agent', '--port', '0', '--token-file', tokenFile],
      {
        env: { ...process.env, SPINDLE_DATA_DIR: dir, SPINDLE_TOKEN: '' },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    children.push(spindle);
    let out = '';
    spindle.stdout!.on('data', (d: Buffer) => (out += d));
    const spindlePort = await until(
      async () => Number(/^Spindle agent at http:\/\/127\.0\.0\.1:(\d+)/m.exec(out)?.[1]) || null,
      'spindle agent start line',
    );
    const token = readFileSync(tokenFile, 'latin1').trim();
    const nePort = await freePort();
    // The systemd collector needs a system bus (absent in containers): it only logs a failure per scrape.
    const neArgs = [
      `--web.listen-address=127.0.0.1:${nePort}`,
      '--log.level=error',
      '--no-collector.systemd',
    ];
    const ne = spawn(NODE_EXPORTER, neArgs, {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(ne);
    const targets: Target[] = [
      {
        name: 'spindle',
        pid: spindle.pid!,
        port: spindlePort,
        headers: { ...PROM_HEADERS, Authorization: `Bearer ${token}` },
      },
      { name: 'node-exporter', pid: ne.pid!, port: nePort, headers: PROM_HEADERS },
    ];
    // Spindle has seen the extra processes once its table holds them (a few ticks).
    const probe = new Agent({ keepAlive: false });
    await until(async () => {
      const r = await get(probe, spindlePort, '/metrics', targets[0]!.headers);
      const procs = Number(/^spindle_processes (\d+)/m.exec(r.text)?.[1] ?? 0);
      const ticks = Number(/^spindle_sampler_ticks_total (\d+)/m.exec(r.text)?.[1] ?? 0);
      return procs >= EXTRA && ticks >= 5 ? true : null;
    }, 'spindle sampling the extra processes');
    await until(
      async () => (await get(probe, nePort, '/metrics', PROM_HEADERS)).status === 200 || null,
      'node exporter',
    );
    await sleep(3000);

    const results: Record<string, Record<string, number>> = {};
    for (const t of targets) {
      const before = await idleRate(t.pid, 5000);
      const s = await scrapes(t, n);
      const after = await idleRate(t.pid, 5000);
      const background = ((before + after) / 2) * s.wallMs;
      const net = t.name === 'spindle' ? Math.max(0, s.cpuMs - background) : s.cpuMs;
      results[t.name] = {
        cpuMsPerScrape: r3(net / n),
        cpuMsPerScrapeRaw: r3(s.cpuMs / n),
        backgroundCpuMsPerScrape: r3(background / n),
        wallMsPerScrape: r3(s.wallMs / n),
        bytesPerScrape: s.bytes,
        wireBytesPerScrape: s.wire,
        series: s.series,
      };
      console.log(`metrics ${t.name}:`, JSON.stringify(results[t.name]));
    }
    const sp = results.spindle!;
    const ne2 = results['node-exporter']!;
    const result = {
      extraProcesses: EXTRA,
      scrapes: n,
      spindle: sp,
      nodeExporter: ne2,
      cpuRatioVsNodeExporter: r3(sp.cpuMsPerScrape! / ne2.cpuMsPerScrape!),
      cpuRatioVsNodeExporterRaw: r3(sp.cpuMsPerScrapeRaw! / ne2.cpuMsPerScrapeRaw!),
      bytesRatioVsNodeExporter: r3(sp.bytesPerScrape! / ne2.bytesPerScrape!),
      target: 'cpuRatioVsNodeExporter <= 1',
      met: sp.cpuMsPerScrape! <= ne2.cpuMsPerScrape!,
      machineCores: cpus().length,
      machineLoadAvg1: r3(loadavg()[0]!),
      method:
        'N sequential GET /metrics over one keep-alive connection per server with Prometheus headers (Accept-Encoding: gzip); CPU = utime+stime delta of the server process (/proc/PID/stat) around the N scrapes, divided by N; Spindle (`spindle agent`, default top:20 per-process series, 1 s sampling) minus its background CPU rate (mean of 5 s windows without scrapes before and after) times the scrape time; node exporter = Debian prometheus-node-exporter with its default collectors but systemd (no system bus here); bytes = uncompressed text, wire = gzip bytes sent',
    };
    console.table([
      { ...sp, server: 'spindle' },
      { ...ne2, server: 'node-exporter' },
    ]);
    console.log(`cpuRatioVsNodeExporter ${result.cpuRatioVsNodeExporter} (target <= 1)`);
    writeResult('metrics', result);
  } finally {
    for (const c of children) await stop(c);
    stopIdle();
    rmSync(dir, { recursive: true, force: true });
  }
}
