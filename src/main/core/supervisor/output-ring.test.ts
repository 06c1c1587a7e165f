import { describe, expect, it } from 'vitest';
import { LineSplitter } from './line-splitter';
import { OutputRing } from './output-ring';

describe('OutputRing', () => {
  it('keeps the last maxLines and counts the dropped', () => {
    const r = new OutputRing({ maxLines: 100, maxBytes: 1 << 30 });
    for (let i = 0; i < 5_000; i++) r.push('out', 0, `line ${i}`);
    expect(r.held).toBe(100);
    expect(r.dropped).toBe(4_900);
    const page = r.query(3);
    expect(page.lines.map((l) => l.text)).toEqual(['line 4997', 'line 4998', 'line 4999']);
    expect(page.lines.at(-1)!.seq).toBe(5_000);
  });

  it('keeps within maxBytes too, and searches what it holds', () => {
    const r = new OutputRing({ maxLines: 1_000_000, maxBytes: 64 * 1024 });
    for (let i = 0; i < 10_000; i++) r.push(i % 2 ? 'err' : 'out', 0, `${i} ${'x'.repeat(100)}`);
    expect(r.bytes).toBeLessThanOrEqual(64 * 1024);
    const page = r.query(5, (t) => t.startsWith('9999 '));
    expect(page.matched).toBe(1);
    expect(page.held + page.dropped).toBe(10_000);
  });
});

describe('LineSplitter', () => {
  it('joins a UTF-8 character split across chunks and bounds an endless line', () => {
    const lines: [string, number][] = [];
    const s = new LineSplitter(10, (raw, cut) => lines.push([raw, cut]));
    const euro = Buffer.from('a€b\n');
    s.push(euro.subarray(0, 2));
    s.push(euro.subarray(2));
    for (let i = 0; i < 100; i++) s.push(Buffer.from('y'.repeat(1000)));
    s.push(Buffer.from('\ntail'));
    s.end();
    expect(lines).toEqual([
      ['a€b', 0],
      ['y'.repeat(10), 100_000 - 10],
      ['tail', 0],
    ]);
  });
});
