import { describe, expect, it } from 'vitest';
import { parseEnv } from './parse-env';

describe('parseEnv', () => {
  it('reads additions and removals, keeping = and spaces in values', () => {
    expect(parseEnv('A=1\n  B = x=y \n-C\n# note\n\n')).toEqual({
      set: { A: '1', B: ' x=y ' },
      unset: ['C'],
      error: null,
    });
  });

  it('names the bad line', () => {
    expect(parseEnv('A=1\nBAD-NAME=2').error).toMatch(/line 2/);
    expect(parseEnv('- 9X').error).toMatch(/invalid name/);
    expect(parseEnv('JUSTNAME').error).toMatch(/line 1/);
  });
});
