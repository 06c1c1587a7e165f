/**
 * Run a TypeScript fixture as another (unprivileged) user. The checkout may sit in a folder that
 * user cannot enter (any clone under a 0700 home), so the fixture is bundled with its imports into
 * one file in a fresh world-readable temp folder and run there by `node`, never from the checkout.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

const SETPRIV = '/usr/bin/setpriv';

/** Who to run as; 65534 is `nobody`/`nogroup` on Debian and most Linux systems. */
export interface RunAsUser {
  uid: number;
  gid: number;
}

export const NOBODY: RunAsUser = { uid: 65534, gid: 65534 };

/** A fixture ready to run as another user, or the reason it cannot be (for the skip message). */
export type PreparedFixture =
  { ok: true; run(args: string[]): string; cleanup(): void } | { ok: false; reason: string };

const dropArgs = (user: RunAsUser): string[] => [
  `--reuid=${user.uid}`,
  `--regid=${user.gid}`,
  '--clear-groups',
];

/**
 * Bundle `fixture` into a world-readable temp copy and check that `user` can run it with `node`.
 * Needs root (to change uid) and util-linux `setpriv`; otherwise says why not.
 */
export async function prepareFixtureAs(fixture: string, user: RunAsUser = NOBODY): Promise<PreparedFixture> {
  const uid = process.getuid?.();
  if (uid !== 0) return { ok: false, reason: `needs root to run as uid ${user.uid} (running as uid ${uid})` };
  try {
    accessSync(SETPRIV, constants.X_OK);
  } catch {
    return { ok: false, reason: `needs ${SETPRIV} (util-linux) to run as uid ${user.uid}` };
  }
  // mkdtemp makes the folder 0700 (owner root): open it to everyone, read-only.
  const dir = mkdtempSync(join(tmpdir(), 'spindle-run-as-'));
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  const file = join(dir, 'fixture.mjs');
  try {
    await build({
      entryPoints: [fixture],
      outfile: file,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: `node${process.versions.node.split('.')[0]}`,
      logLevel: 'silent',
    });
    chmodSync(dir, 0o755);
    chmodSync(file, 0o644);
  } catch (err) {
    cleanup();
    throw err;
  }
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, LANG: 'C.UTF-8' };
  // The temp folder's parents (TMPDIR) and node itself must be reachable by that user too.
  const probe = spawnSync(
    SETPRIV,
    [...dropArgs(user), process.execPath, '-e', 'require("fs").readFileSync(process.argv[1])', file],
    { cwd: dir, env, encoding: 'utf8' },
  );
  if (probe.status !== 0) {
    cleanup();
    const lines = (probe.error?.message ?? probe.stderr).trim().split('\n');
    const why = (lines.find((l) => /Error\b|\bE[A-Z]{3,}\b/.test(l)) ?? lines[0] ?? '').trim();
    return {
      ok: false,
      reason: `uid ${user.uid} cannot run ${process.execPath} on ${file}: ${why || `exit ${probe.status}`}`,
    };
  }
  return {
    ok: true,
    run: (args) =>
      execFileSync(SETPRIV, [...dropArgs(user), process.execPath, file, ...args], {
        cwd: dir,
        env,
        encoding: 'utf8',
        timeout: 30_000,
      }),
    cleanup,
  };
}
