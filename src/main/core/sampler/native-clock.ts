/**
 * The kernel's per-process CPU clock, read for many pids in one call through a tiny Node-API
 * addon (native/cpu-clock.c, compiled by scripts/ensure.mjs into the git-ignored
 * .native/cpu-clock.node). Each figure is the whole thread group's run time in ns, every thread
 * live or ended, so an unmoved figure proves that nothing in the process ran. Optional: where
 * it cannot be loaded (no compiler, not Linux, a packaged app) the sampler keeps its exact
 * schedstat path; SPINDLE_NO_NATIVE=1 forces that path.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Fills out[i] with the ns of pids[i]'s CPU clock, or a negative errno (gone, not a process). */
export type CpuClocks = (pids: Int32Array, out: Float64Array) => void;

/** Fills out[0] with the nice and out[1] with the priority of pid as its stat shows them; false when gone. */
export type SchedPrio = (pid: number, out: Int32Array) => boolean;

/** Where the build puts it, relative to the repository root. */
export const NATIVE_CLOCK_PATH = join('.native', 'cpu-clock.node');

interface Loaded {
  clocks: CpuClocks | null;
  /** Null where the addon has no schedPrio (then the slow turn reads stat). */
  prio?: SchedPrio | null;
  why: string;
}

let loaded: Loaded | null = null;

/** The addon's `cpuClocks` and `schedPrio`, or null with the reason; looked up once per process. */
export function loadCpuClocks(): Loaded {
  if (loaded) return loaded;
  loaded = tryLoad();
  if (!loaded.clocks && loaded.why !== 'SPINDLE_NO_NATIVE is set') {
    console.error(
      `spindle: native CPU clock not loaded (${loaded.why}); the sampler uses its schedstat gate`,
    );
  }
  return loaded;
}

function tryLoad(): Loaded {
  if (process.env.SPINDLE_NO_NATIVE === '1') return { clocks: null, why: 'SPINDLE_NO_NATIVE is set' };
  if (process.platform !== 'linux') return { clocks: null, why: 'not Linux' };
  // From src/main/core/sampler (tests, tsx) or out/main (the build): the root is a few levels up.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++, dir = dirname(dir)) {
    const file = join(dir, NATIVE_CLOCK_PATH);
    if (!existsSync(file)) continue;
    try {
      const mod = createRequire(import.meta.url)(file) as { cpuClocks?: CpuClocks; schedPrio?: SchedPrio };
      if (typeof mod.cpuClocks !== 'function') return { clocks: null, why: `${file} has no cpuClocks` };
      // A self-check: its own figure must be a plausible run time.
      const out = new Float64Array(1);
      mod.cpuClocks(new Int32Array([process.pid]), out);
      if (!(out[0]! > 0)) return { clocks: null, why: `own CPU clock read ${out[0]}` };
      const prio = typeof mod.schedPrio === 'function' ? mod.schedPrio : null;
      return { clocks: mod.cpuClocks, prio, why: file };
    } catch (err) {
      return { clocks: null, why: `${file}: ${(err as Error).message.split('\n')[0]}` };
    }
  }
  return { clocks: null, why: `no ${NATIVE_CLOCK_PATH} (built by npm start / npm test when cc exists)` };
}
