import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeDef, waitState } from './fixtures/test-kit';
import { Supervisor } from './supervisor';

const dir = mkdtempSync(join(tmpdir(), 'spindle-pattern-'));
// A budget well above what a fair search takes on a loaded 2-core machine (the 12,000-line
// search below), and far below the catastrophic patterns' seconds of backtracking.
const sup = new Supervisor({ dataDir: dir, patternBudgetMs: 1_000 });
afterAll(async () => {
  await sup.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Largest gap between ticks of a 10 ms interval while `work` runs: how long the main loop was held. */
async function mainLoopHeld<T>(
  work: () => Promise<T>,
): Promise<{ held: number; result: PromiseSettledResult<T> }> {
  let last = performance.now();
  let held = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    held = Math.max(held, now - last);
    last = now;
  }, 10);
  const [result] = await Promise.allSettled([work()]);
  clearInterval(tick);
  held = Math.max(held, performance.now() - last);
  return { held, result };
}

describe('regex search of managed output (real process output)', () => {
  it('a catastrophic pattern is refused at its budget and never holds the main loop', async () => {
    // 32 a's then b: V8 backtracks (a+)+$ about 2^32 times, a minute or more on one line.
    const s = await sup.launch(nodeDef('evil', `console.log("a".repeat(32) + "b"); console.log("fine")`));
    await waitState(sup, s.id, 'exited');
    const { held, result } = await mainLoopHeld(() =>
      sup.output(s.id, { tail: 10, filter: '(a+)+$', regex: true }),
    );
    expect(result).toMatchObject({ status: 'rejected', reason: { code: 'EPATTERN_TIMEOUT' } });
    // The old code ran the match here, holding the loop for the whole backtrack (seconds).
    expect(held).toBeLessThan(1_000);
    // A fresh worker serves the next search.
    const page = await sup.output(s.id, { tail: 10, filter: '^FINE$', regex: true });
    expect(page.lines.map((l) => l.text)).toEqual(['fine']);
    await expect(sup.output(s.id, { tail: 10, filter: '(', regex: true })).rejects.toMatchObject({
      code: 'EINVAL_REGEX',
    });
  });

  it('counts every match across many chunks and keeps the newest', async () => {
    const s = await sup.launch(
      nodeDef(
        'many',
        // Paced, so the helper keeps every line (it drops the oldest under a flood).
        `let i = 0;
        const t = setInterval(() => {
          let out = '';
          for (let k = 0; k < 200 && i < 12000; k++, i++) out += 'line ' + i + ' ' + 'x'.repeat(i % 300) + '\\n';
          process.stdout.write(out);
          if (i >= 12000) clearInterval(t);
        }, 10);`,
        {
          output: { maxLines: 20_000, maxBytes: 64 * 1024 * 1024 },
        },
      ),
    );
    await waitState(sup, s.id, 'exited');
    await expect
      .poll(async () => (await sup.output(s.id, { tail: 1, filter: 'line 11999 ' })).matched)
      .toBe(1);
    const page = await sup.output(s.id, { tail: 5, filter: '^line \\d*7 ', regex: true });
    // Every line is held or counted as dropped (the 2 beyond the child's are Spindle's own).
    expect(page.dropped + page.held).toBe(12_000 + 2);
    // The worker's count is every held line that matches, and it keeps the newest five. The
    // pacing keeps every line on a quiet machine; a loaded one can stall the helper past its
    // pending bound (2,000 lines between 50 ms flushes), and then the oldest are dropped.
    const all = await sup.output(s.id, { tail: 20_000 });
    const matching = all.lines.filter((l) => /^line \d*7 /.test(l.text));
    expect(page.matched).toBe(matching.length);
    expect(page.lines).toEqual(matching.slice(-5));
    expect(page.lines.map((l) => l.text.split(' ')[1])).toEqual([
      '11957',
      '11967',
      '11977',
      '11987',
      '11997',
    ]);
    if (page.dropped === 0) expect(page.matched).toBe(1200);
  });

  it('searches wait their turn, and too many waiting are refused', async () => {
    const s = await sup.launch(nodeDef('few', 'console.log("a".repeat(32) + "b")'));
    await waitState(sup, s.id, 'exited');
    const many = Array.from({ length: 12 }, () =>
      sup.output(s.id, { tail: 1, filter: '(a+)+$', regex: true }),
    );
    const codes = (await Promise.allSettled(many)).map((r) =>
      r.status === 'rejected' ? (r.reason as { code: string }).code : 'ok',
    );
    expect(codes.filter((c) => c === 'EPATTERN_TIMEOUT').length).toBeGreaterThanOrEqual(8);
    expect(codes.filter((c) => c === 'EBUSY').length).toBeGreaterThanOrEqual(1);
  }, 30_000);
});
