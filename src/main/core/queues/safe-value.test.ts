import { describe, expect, it } from 'vitest';
import { safeValue } from './safe-value';

describe('a job value made safe', () => {
  it('keeps small values as they are', () => {
    expect(safeValue({ a: 1, b: ['x', null] })).toEqual({
      value: { a: 1, b: ['x', null] },
      truncated: false,
      bytes: 22,
    });
  });

  it('cuts depth, long strings, long arrays and the total with markers', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 50; i++) deep = { d: deep };
    const r = safeValue({ deep, s: 'x'.repeat(10_000), arr: Array.from({ length: 1000 }, (_, i) => i) });
    expect(r.truncated).toBe(true);
    const text = JSON.stringify(r.value);
    expect(text).toContain('…(object of 1 keys)');
    expect(text).toContain('…(8000 more chars)');
    expect(text).toContain('…(900 more items)');
    expect(text.length).toBeLessThan(20_000);
    const huge = safeValue(Array.from({ length: 100 }, () => 'y'.repeat(2000)));
    expect(JSON.stringify(huge.value).length).toBeLessThan(70 * 1024);
    expect(JSON.stringify(huge.value)).toContain('more items');
  });

  it('keeps a __proto__ key as data', () => {
    const r = safeValue(JSON.parse('{"__proto__":{"polluted":1}}'));
    expect(Object.getPrototypeOf(r.value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
