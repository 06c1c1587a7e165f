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

describe('out of file descriptors', () => {
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
