import { describe, expect, it } from 'vitest';
import { ansiColour, spanStyle, styledText } from './ansi-style';

describe('ANSI colour spans in the output viewer', () => {
  it('maps palette indexes and true colours to CSS, refusing anything else', () => {
    expect(ansiColour('1')).toBe('var(--ansi-1)');
    expect(ansiColour('16')).toBe('rgb(0, 0, 0)');
    expect(ansiColour('208')).toBe('rgb(255, 135, 0)');
    expect(ansiColour('244')).toBe('rgb(128, 128, 128)');
    expect(ansiColour('#10a0ff')).toBe('#10a0ff');
    expect(ansiColour('256')).toBeNull();
    expect(ansiColour('red; background:url(x)')).toBeNull();
  });

  it('turns a span key into an inline style', () => {
    expect(spanStyle('b u fg2 bg#000000')).toEqual({
      fontWeight: 'bold',
      textDecoration: 'underline',
      color: 'var(--ansi-2)',
      backgroundColor: '#000000',
    });
  });

  it('splits the text into plain and styled runs, skipping spans that do not fit', () => {
    expect(styledText('plain', undefined)).toBe('plain');
    const runs = styledText('ok then red', [
      [0, 2, 'fg2'],
      [1, 3, 'fg1'], // overlaps: skipped
      [8, 11, 'fg1'],
      [9, 40, 'b'], // out of range: skipped
    ]) as unknown[];
    expect(runs).toHaveLength(3);
    expect(runs[1]).toBe(' then ');
  });
});
