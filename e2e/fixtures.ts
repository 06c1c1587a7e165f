/** Shared e2e helpers: the server URL and a place for screenshots to keep. */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const ARTIFACTS = join(process.cwd(), 'e2e', 'artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} not set: run through playwright test`);
  return v;
}

/** The server's origin, `http://127.0.0.1:PORT` (global-setup started it). */
export function origin(): string {
  return env('SPINDLE_E2E_ORIGIN');
}

// Minting a code is one HTTP request; a child makes it synchronous, so specs keep calling
// `page.goto(serverUrl())` as they did when the URL was fixed.
const MINT = `
const [origin, token] = process.argv.slice(1);
const res = await fetch(origin + '/api/code', { method: 'POST', headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json' }, body: '{}' });
if (!res.ok) { console.error('mint failed: ' + res.status); process.exit(1); }
process.stdout.write((await res.json()).value.url);
`;

/**
 * A URL with a fresh one-time code, as Spindle prints at start. Each page.goto needs its own:
 * a code is dead after its first use (the long-lived token mints them, as any client can).
 */
export function serverUrl(): string {
  return execFileSync(
    process.execPath,
    ['--input-type=module', '-e', MINT, origin(), env('SPINDLE_E2E_TOKEN')],
    {
      encoding: 'utf8',
    },
  );
}

/** The same origin without a code (a tab with no session gets refused). */
export function originOnly(): string {
  return `${origin()}/`;
}

export const artifact = (name: string): string => join(ARTIFACTS, name);
