/**
 * The `spindle` command: `spindle web [--host H] [--port N] [--read-only] [--tls-cert F --tls-key F]`.
 * Runs under plain Node from the build (out/main/cli.js).
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { Core } from './core/core';
import { startWebServer } from './web/server';
import { tokenFromEnv } from './web/security';
import { checkBind } from './web/bind-policy';
import { parseDuration } from './core/snapshots/duration';
import { WORKER_USAGE, runWorkerCli } from './core/queues/worker/worker-cli';

const USAGE = `usage: spindle web [--host ADDR] [--port N] [--read-only] [--public-host NAME]
                  [--tls-cert FILE --tls-key FILE] [--insecure] [--redis URL]...
       spindle snapshot --out FILE [--duration 30s] [--format json|csv]
       spindle worker --redis URL --queue NAME [--concurrency N] [--workload NAME | --module PATH] …

  web        serve the Spindle UI to a browser (loopback; the printed URL holds a one-time code)
    --host   address to bind (default 127.0.0.1; anything else is reachable by others)
    --port   port to listen on (default 0 = any free port)
    --read-only    refuse every control request (spawn, signal, stop…)
    --public-host  a name browsers elsewhere use to reach this machine (accepted as Host)
    --tls-cert, --tls-key  PEM files: serve https and wss
    --insecure     allow a non-loopback bind without TLS (credentials in clear text)
    --redis URL    watch the BullMQ queues on a Redis server (redis:// or rediss://; repeatable;
                   default SPINDLE_REDIS_URL); not saved, unlike connections made in the window

  snapshot   sample the machine for a while and write a usage snapshot
    --out       the file to write (written atomically; CSV also writes FILE's .series.csv beside it)
    --duration  how long to sample first: 30s (default), 2m, 500ms, or seconds
    --format    json (default; everything) or csv (process table + time series)

${WORKER_USAGE}`;

async function snapshot(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { out: { type: 'string' }, duration: { type: 'string' }, format: { type: 'string' } },
    strict: true,
  });
  if (!values.out) throw new Error('snapshot: --out FILE is required');
  const format = values.format ?? 'json';
  if (format !== 'json' && format !== 'csv') throw new Error(`--format: json or csv, not ${format}`);
  const ms = parseDuration(values.duration ?? '30s');
  const core = new Core();
  core.start();
  await new Promise((r) => setTimeout(r, ms));
  const out = resolve(values.out);
  try {
    if (format === 'json') {
      const r = await core.snapshots.writeFile(out, 'json');
      console.log(`spindle: wrote ${r.path} (${r.bytes} bytes)`);
    } else {
      const series = out.replace(/(\.csv)?$/i, '.series.csv');
      const a = await core.snapshots.writeFile(out, 'csv-processes');
      const b = await core.snapshots.writeFile(series, 'csv-series');
      console.log(`spindle: wrote ${a.path} (${a.bytes} bytes) and ${b.path} (${b.bytes} bytes)`);
    }
  } finally {
    await core.stop();
  }
}

const here = dirname(fileURLToPath(import.meta.url));

/** Where the built renderer lives, next to this bundle. */
export function rendererDir(): string {
  return join(here.endsWith('chunks') ? dirname(here) : here, '..', 'renderer');
}

async function web(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      'read-only': { type: 'boolean' },
      'public-host': { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      insecure: { type: 'boolean' },
      redis: { type: 'string', multiple: true },
    },
    strict: true,
  });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port: not a port: ${values.port}`);
  const host = values.host ?? '127.0.0.1';
  if (Boolean(values['tls-cert']) !== Boolean(values['tls-key']))
    throw new Error('--tls-cert and --tls-key go together');
  const tls =
    values['tls-cert'] && values['tls-key']
      ? { cert: values['tls-cert'], key: values['tls-key'] }
      : undefined;
  const verdict = checkBind({
    host,
    tls: tls !== undefined,
    insecure: values.insecure ?? false,
    readOnly: values['read-only'] ?? false,
  });
  if (!verdict.ok) throw new Error(verdict.message);
  if (verdict.warning) console.error(`spindle: warning: ${verdict.warning}`);
  const core = new Core({ redis: values.redis });
  core.start();
  const server = await startWebServer({
    core,
    staticDir: rendererDir(),
    token: tokenFromEnv(),
    host,
    port,
    readOnly: values['read-only'] ?? false,
    publicHost: values['public-host'],
    tls,
  });
  console.log(`Spindle web UI: ${server.url}`);
  if (process.stdin.isTTY) {
    // Each code opens one tab; Enter in this terminal prints a fresh one (valid 10 minutes).
    createInterface({ input: process.stdin }).on('line', () => {
      console.log(`Spindle web UI: ${server.origin}/?code=${server.credentials.newCode(10 * 60_000)}`);
    });
  }
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void (async () => {
      await server.close();
      await core.stop();
      process.exit(0);
    })();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

async function main(argv: string[]): Promise<void> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'web':
      return web(rest);
    case 'worker':
      process.exit(await runWorkerCli(rest));
      return;
    case 'snapshot':
      await snapshot(rest);
      process.exit(0);
      return;
    case undefined:
    case '-h':
    case '--help':
      console.log(USAGE);
      return;
    default:
      console.error(`spindle: unknown command ${cmd}\n${USAGE}`);
      process.exitCode = 2;
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(`spindle: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(2);
});
