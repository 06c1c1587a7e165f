import { afterAll, describe, expect, it } from 'vitest';
import { kit, nodeDef, waitState } from './fixtures/test-kit';

const k = kit();
afterAll(() => k.done());

const MB = 1024 * 1024;

describe('bounded output', () => {
  it('a child printing 200 MB keeps Spindle under 100 MB of growth, with the last lines intact', async () => {
    const script = `
      const line = "x".repeat(99) + "\\n"; const chunk = line.repeat(650); const total = 200 * 1024 * 1024; let n = 0;
      function w() {
        while (n < total) { n += chunk.length; if (!process.stdout.write(chunk)) return process.stdout.once("drain", w); }
        process.stdout.write("LAST 1\\nLAST 2\\n");
      }
      w();`;
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const probe = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
    const s = await k.sup.launch(
      nodeDef('flood', script, { output: { maxLines: 10_000, maxBytes: 5 * MB } }),
    );
    const done = await waitState(k.sup, s.id, 'exited', 60_000);
    clearInterval(probe);
    expect(done.lastExit?.code).toBe(0);
    const growth = (peak - before) / MB;
    expect(growth).toBeLessThan(100);
    const tail = (await k.sup.output(s.id, { tail: 3 })).lines.map((l) => l.text);
    expect(tail.slice(0, 2)).toEqual(['LAST 1', 'LAST 2']);
    const page = await k.sup.output(s.id, { tail: 5000 });
    expect(page.held).toBeLessThanOrEqual(10_000);
    expect(page.dropped).toBeGreaterThan(2_000_000 - 20_000);
    console.log(`flood: peak RSS growth ${growth.toFixed(1)} MB, held ${page.held}, dropped ${page.dropped}`);
  }, 90_000);

  it('cuts very long lines, decodes bad UTF-8 safely and turns ANSI colours into spans and strips other escapes and control characters', async () => {
    const script = `
      process.stdout.write("a".repeat(40000) + "\\n");
      process.stdout.write(Buffer.from([0x6f, 0x6b, 0xff, 0xfe, 0x21, 0x0a]));
      process.stdout.write("\\x1b[31mred\\x1b[0m \\x07bell \\x1b]0;title\\x07done\\n");
      process.stdout.write("10%\\r50%\\r100%\\n");
      process.stdout.write("\\x1b[32mgreen start\\nstill green\\x1b[0m\\n");
      process.stdout.write("no newline at end");`;
    const s = await k.sup.launch(nodeDef('odd', script));
    await waitState(k.sup, s.id, 'exited');
    const lines = (await k.sup.output(s.id, { tail: 10 })).lines.filter((l) => l.stream === 'out');
    const out = lines.map((l) => l.text);
    // The colour is kept beside the text as a span over "red", for the UI to render.
    expect(lines[2]!.spans).toEqual([[0, 3, 'fg1']]);
    expect(lines[0]!.spans).toBeUndefined();
    expect(out[0]!.startsWith('a'.repeat(16 * 1024) + ' … [')).toBe(true);
    expect(out[0]).toContain(`${40000 - 16 * 1024} more characters cut`);
    expect(out[1]).toBe('ok\ufffd\ufffd!');
    expect(out[2]).toBe('red \u2407bell done');
    expect(out[3]).toBe('100%');
    // A colour set on one line stays on for the next, as in a terminal.
    expect(out.slice(4, 6)).toEqual(['green start', 'still green']);
    expect(lines[4]!.spans).toEqual([[0, 11, 'fg2']]);
    expect(lines[5]!.spans).toEqual([[0, 11, 'fg2']]);
    expect(out[6]).toBe('no newline at end');
  });
});
