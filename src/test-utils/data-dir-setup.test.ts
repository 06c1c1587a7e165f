import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { dataDirOf } from '../main/core/supervisor/definitions-store';

describe('the test run’s data folder', () => {
  it('is a fresh temporary folder, not ~/.config/spindle', () => {
    const dir = process.env.SPINDLE_DATA_DIR;
    expect(dir).toMatch(new RegExp(`^${tmpdir()}/spindle-test-data-`));
    expect(dataDirOf(undefined)).toBe(dir);
  });
});
