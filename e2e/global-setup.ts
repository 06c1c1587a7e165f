/**
 * Starts the real web server (built CLI, real core) once for all e2e tests and tells them its
 * origin and token (which mints a one-time code per page, see fixtures.ts). Returns the teardown.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const token = randomBytes(24).toString('base64url');
  const dataDir = mkdtempSync(join(tmpdir(), 'spindle-e2e-'));
  const child = spawn(process.execPath, ['bin/spindle.mjs', 'web', '--port', '0'], {
    env: { ...process.env, SPINDLE_TOKEN: token, SPINDLE_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`web server did not start: ${out}`)), 20_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      const m = /Spindle web UI: (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`web server exited with ${code}: ${out}`)));
  });
  process.env.SPINDLE_E2E_URL = url; // the printed URL: its code is for the first test that wants it
  process.env.SPINDLE_E2E_ORIGIN = new URL(url).origin;
  process.env.SPINDLE_E2E_TOKEN = token;
  process.env.SPINDLE_E2E_DATA_DIR = dataDir;
  return async () => {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  };
}
