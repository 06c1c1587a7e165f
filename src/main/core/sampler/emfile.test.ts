import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Run in a child with a small descriptor limit, filled up before the sample is taken.
const script = `
import { openSync } from 'node:fs';
import { LinuxCollector } from ${JSON.stringify(join(__dirname, 'linux-collector.ts'))};
const c = new LinuxCollector();
try { for (;;) openSync('/dev/null', 'r'); } catch (e) { if (e.code !== 'EMFILE') throw e; }
try { c.collect(); console.log('collected'); } catch (e) { console.log(e.message); }
`;

// Few fds left free below the limit, far fewer than the collector would keep open: every
// process still gets its row (kept fds are given back, the rest read by path), tick after tick.
const tight = `
import { closeSync, openSync, readdirSync } from 'node:fs';
import { LinuxCollector } from ${JSON.stringify(join(__dirname, 'linux-collector.ts'))};
const pids = () => new Set(readdirSync('/proc').filter((n) => /^[0-9]+$/.test(n)).map(Number));
const c = new LinuxCollector();
const held = [];
try { for (;;) held.push(openSync('/dev/null', 'r')); } catch (e) { if (e.code !== 'EMFILE') throw e; }
for (const fd of held.splice(0, 24)) closeSync(fd);
for (let i = 0; i < 3; i++) {
  const before = pids();
  const rows = new Set(c.collect().rows.map((r) => r.pid));
  const after = pids();
  const missing = [...before].filter((p) => after.has(p) && !rows.has(p));
  console.log(JSON.stringify({ listed: before.size, rows: rows.size, missing, kept: c.keptFds }));
}
`;

describe('out of file descriptors', () => {
  it('gives every process its row when kept files run into the fd limit', () => {
    const out = execFileSync(
      'sh',
      ['-c', `ulimit -n 1024 && exec "${process.execPath}" --import tsx --input-type=module -e "$0"`, tight],
      { encoding: 'utf8' },
    );
    const ticks = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { listed: number; missing: number[]; kept: number });
    expect(ticks).toHaveLength(3);
    for (const t of ticks) {
      expect(t.listed).toBeGreaterThan(20); // more processes than free fds
      expect(t.missing).toEqual([]);
    }
  });

  it('names EMFILE instead of claiming /proc/stat has no cpu line', () => {
    const out = execFileSync(
      'sh',
      ['-c', `ulimit -n 256 && exec "${process.execPath}" --import tsx --input-type=module -e "$0"`, script],
      {
        encoding: 'utf8',
      },
    );
    expect(out).toMatch(/cannot read \/proc\/stat: EMFILE/);
    expect(out).not.toMatch(/no cpu line/);
  });
});
