/**
 * Vitest global setup: every test run gets a fresh data folder as SPINDLE_DATA_DIR, so a test
 * that starts a Core without its own `dataDir` writes there, never into the developer's
 * ~/.config/spindle (saved connections, supervisor.json, hosts). Removed when the run ends.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'spindle-test-data-'));
  process.env.SPINDLE_DATA_DIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
