import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { until } from '../../../test-utils/until';
import { alive } from './fixtures/test-kit';

const victim = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'spindle-victim.ts');

describe.each([
  { how: 'with cgroups where writable', args: [] },
  { how: 'with the fallback', args: ['no-cgroups'] },
])('no orphans, $how', ({ args }) => {
  it('SIGKILL of Spindle leaves no managed process alive after 2 s, cut-off setsid grandchildren included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spindle-victim-'));
    const child = spawn(process.execPath, ['--import', 'tsx', victim, dir, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const report = await new Promise<{ helper: number; pids: number[] }>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d;
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (line) resolve(JSON.parse(line));
      });
      child.on('exit', (code) => reject(new Error(`victim exited ${code}: ${out}`)));
    });
    expect(report.pids).toHaveLength(13);
    expect(report.pids.every(alive)).toBe(true);
    const t0 = Date.now();
    child.kill('SIGKILL');
    const everyone = [...report.pids, report.helper];
    // The 2 s is the requirement, not a hang ceiling: survivors after it are the failure.
    await until(() => !everyone.some(alive), { timeout: 2000, interval: 25 }).catch(() => null);
    const took = Date.now() - t0;
    const survivors = everyone.filter(alive);
    // Clean up after a failure so the machine is left as found.
    for (const pid of survivors) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    expect(survivors).toEqual([]);
    console.log(`all ${everyone.length} gone ${took} ms after SIGKILL`);
  }, 30_000);
});
