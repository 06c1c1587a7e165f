import { describe, expect, it } from 'vitest';
import { MAX_SPANS, plain, sanitizeLine, sanitizeStyled } from './sanitize';

describe('sanitizeStyled', () => {
  it('keeps plain text plain', () => {
    expect(sanitizeStyled('hello')).toEqual({ text: 'hello', spans: null });
  });

  it('turns SGR colours and attributes into spans over the plain text', () => {
    const r = sanitizeStyled(
      '\x1b[1;32mok\x1b[0m then \x1b[38;5;208morange\x1b[39m and \x1b[48;2;16;32;255mblue bg\x1b[m.',
    );
    expect(r.text).toBe('ok then orange and blue bg.');
    expect(r.spans).toEqual([
      [0, 2, 'b fg2'],
      [8, 14, 'fg208'],
      [19, 26, 'bg#1020ff'],
    ]);
  });

  it('handles bright colours, resets of single attributes and 8-bit CSI', () => {
    const r = sanitizeStyled('\x1b[91;4mA\x1b[24mB\x1b[22;39mC\x9b3mD');
    expect(r.text).toBe('ABCD');
    expect(r.spans).toEqual([
      [0, 1, 'u fg9'],
      [1, 2, 'fg9'],
      [3, 4, 'i'],
    ]);
  });

  it('drops non-colour escapes, keeps offsets right after control pictures, ignores malformed colours', () => {
    const r = sanitizeStyled('\x07\x1b[2J\x1b]0;title\x07\x1b[31mred\x1b[38;7mX\x1b[0m');
    expect(r.text).toBe('\u2407redX');
    expect(r.spans).toEqual([[1, 5, 'fg1']]);
  });

  it('bounds the spans of a hostile line', () => {
    const line = Array.from({ length: 500 }, (_, i) => `\x1b[3${i % 8}mx`).join('');
    const r = sanitizeStyled(line);
    expect(r.text).toBe('x'.repeat(500));
    expect(r.spans).toHaveLength(MAX_SPANS);
  });

  it('carries a colour across lines on one stream, as a terminal does, until it is reset', () => {
    const sgr = plain();
    expect(sanitizeStyled('\x1b[33mwarning: one', sgr).spans).toEqual([[0, 12, 'fg3']]);
    expect(sanitizeStyled('  two', sgr).spans).toEqual([[0, 5, 'fg3']]);
    expect(sanitizeStyled('three\x1b[0m done', sgr).spans).toEqual([[0, 5, 'fg3']]);
    expect(sanitizeStyled('after', sgr).spans).toBeNull();
    // Without a carried state each line starts plain.
    expect(sanitizeStyled('  two').spans).toBeNull();
  });

  it('sanitizeLine is the text alone', () => {
    expect(sanitizeLine('\x1b[31mred\x1b[0m')).toBe('red');
  });
});
