import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Supervisor } from './supervisor';
import { daemonTree } from './fixtures/daemon-tree';
import { alive, kit, nodeDef, waitState } from './fixtures/test-kit';
import { openSubtree, removeCgroup } from './cgroup';

/** Can this machine give runs a cgroup? (Then the cgroup way must really be taken.) */
const cgroupsHere = ((): boolean => {
  const dir = openSubtree();
  if (dir) removeCgroup(dir);
  return dir !== null;
})();

/** Wait until a "<name> <pid>" line for each name appears; the pids in the order of `names`. */
async function pidsFrom(sup: Supervisor, id: string, names: string[]): Promise<number[]> {
  const filter = `^(${names.join('|')}) `;
  await expect
    .poll(async () => (await sup.output(id, { tail: 20, filter, regex: true })).matched, { timeout: 10_000 })
    .toBe(names.length);
  const seen = new Map(
    (await sup.output(id, { tail: 20, filter, regex: true })).lines.map((l) => {
      const [name, pid] = l.text.split(' ');
      return [name, Number(pid)] as const;
    }),
  );
  return names.map((n) => seen.get(n)!);
}

describe.each([
  {
    cgroups: true,
    label: cgroupsHere ? 'in a cgroup per run' : 'with cgroups asked for (not writable here)',
  },
  { cgroups: false, label: 'with the fallback (parent links and the run mark)' },
])('a setsid grandchild whose parent exited, $label', ({ cgroups }) => {
  let k: ReturnType<typeof kit>;
  let stray: number[] = [];
  beforeEach(() => {
    k = kit({ cgroups });
    stray = [];
  });
  afterEach(async () => {
    for (const pid of stray.filter(alive)) process.kill(pid, 'SIGKILL');
    await k.done();
  });

  it('is ended by stop, and the reply lists no survivors', async () => {
    const s = await k.sup.launch(nodeDef('daemon', daemonTree(), { stopTimeoutMs: 1000 }));
    stray = await pidsFrom(k.sup, s.id, ['top', 'leaf']);
    expect(stray.every(alive)).toBe(true);
    const leaf = stray[1]!;
    const cg = readFileSync(`/proc/${leaf}/cgroup`, 'utf8');
    if (cgroups && cgroupsHere) expect(cg).toMatch(/\/spindle-\d+\/run-\d+\n/);
    else expect(cg).not.toMatch(/\/spindle-\d+\//);
    const stopped = await k.sup.stop(s.id);
    expect(stopped.state).toBe('stopped');
    expect(stopped.survivors).toEqual([]);
    expect(stray.filter(alive)).toEqual([]);
  });

  it('that cleared its environment is still ended by stop (tracked while its parent lived)', async () => {
    const s = await k.sup.launch(
      nodeDef('daemon-env', daemonTree({ clearEnv: true }), { stopTimeoutMs: 1000 }),
    );
    stray = await pidsFrom(k.sup, s.id, ['top', 'leaf']);
    const leaf = stray[1]!;
    expect(readFileSync(`/proc/${leaf}/environ`, 'utf8')).not.toContain('SPINDLE_RUN=');
    const stopped = await k.sup.stop(s.id);
    expect(stopped.survivors).toEqual([]);
    expect(stray.filter(alive)).toEqual([]);
  });

  it('left behind by a run that exited is ended by stop', async () => {
    // top exits too: only the daemon is left, outside every group of the run.
    const s = await k.sup.launch(
      nodeDef('daemon-exits', daemonTree({ topExits: true }), { restart: 'never' }),
    );
    stray = await pidsFrom(k.sup, s.id, ['top', 'leaf']);
    await waitState(k.sup, s.id, 'exited');
    const leaf = stray[1]!;
    expect(alive(leaf)).toBe(true);
    const stopped = await k.sup.stop(s.id);
    expect(stopped.survivors).toEqual([]);
    expect(alive(leaf)).toBe(false);
    expect(stopped.timeline.map((e) => e.text).join('\n')).toMatch(
      /ending what the last run left: node \(\d+\)/,
    );
  });
});
