// Shared by start/web/test: install dependencies when missing, build when sources are newer.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Run a command in the repo, inheriting stdio; exit with its code on failure. */
export function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/** `npm ci` (or install) when node_modules is missing or older than the lockfile. */
export function ensureDeps() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (!existsSync(marker) || (existsSync(lock) && statSync(marker).mtimeMs < statSync(lock).mtimeMs)) {
    console.error('spindle: installing dependencies…');
    run(npm, [existsSync(lock) ? 'ci' : 'install', '--no-audit', '--no-fund']);
  }
  ensureNative();
}

/** The sampler's native CPU clock (git-ignored build output; see src/main/core/sampler/native-clock.ts). */
export const nativeClock = join(root, '.native', 'cpu-clock.node');

/**
 * Compile the sampler's native CPU clock when it is missing or older than its source, with the
 * system C compiler and Node-API headers (Node's own, else the node-api-headers package). Silent
 * and never fatal: without it the sampler takes its exact schedstat path and says so once.
 */
export function ensureNative() {
  if (process.platform !== 'linux') return;
  const src = join(root, 'src', 'main', 'core', 'sampler', 'native', 'cpu-clock.c');
  if (!existsSync(src)) return;
  if (existsSync(nativeClock) && statSync(nativeClock).mtimeMs >= statSync(src).mtimeMs) return;
  const headers = [
    join(dirname(process.execPath), '..', 'include', 'node'),
    '/usr/include/node',
    join(root, 'node_modules', 'node-api-headers', 'include'),
  ].find((d) => existsSync(join(d, 'node_api.h')));
  if (!headers) return;
  mkdirSync(dirname(nativeClock), { recursive: true });
  // Built beside and renamed: a reader never loads a half-written file.
  const tmp = `${nativeClock}.${process.pid}.tmp`;
  const cc = process.env.CC || 'cc';
  const args = ['-shared', '-fPIC', '-O2', `-I${headers}`, '-o', tmp, src];
  const r = spawnSync(cc, args, { cwd: root, stdio: 'ignore', timeout: 60_000 });
  if (r.status === 0) renameSync(tmp, nativeClock);
  else rmSync(tmp, { force: true });
}

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** `electron-vite build` when out/ is missing or older than src/ or the config. */
export function ensureBuild() {
  const built = join(root, 'out', 'main', 'cli.js');
  const inputs = Math.max(
    newest(join(root, 'src')),
    statSync(join(root, 'electron.vite.config.ts')).mtimeMs,
    statSync(join(root, 'package.json')).mtimeMs,
  );
  if (existsSync(built) && statSync(built).mtimeMs >= inputs) return;
  console.error('spindle: building…');
  run(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build']);
}

export { root };
