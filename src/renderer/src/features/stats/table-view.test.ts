import { describe, expect, it } from 'vitest';
import { procRow } from '../../../../test-utils/sampler-fixtures';
import { LiveProcTable } from './table-view';

describe('LiveProcTable', () => {
  it('says which keys each tick added, changed or removed, across several ticks', () => {
    const t = new LiveProcTable();
    const v0 = t.reset([procRow(1), procRow(2), procRow(3)], 10);
    const first = v0.get('1:1');
    expect(
      t.apply({ base: 10, added: [procRow(4)], removed: ['2:1'], changed: [], resync: [], count: 3 }, 11),
    ).toBe(true);
    const v1 = t.view();
    expect(
      t.apply(
        { base: 11, added: [], removed: [], changed: [{ key: '1:1', cpu: 5 }], resync: [], count: 3 },
        12,
      ),
    ).toBe(true);
    const v2 = t.view();
    expect(v1.changedSince(v0)).toEqual({ changed: ['4:1'], removed: ['2:1'] });
    expect(v2.changedSince(v1)).toEqual({ changed: ['1:1'], removed: [] });
    expect(v2.changedSince(v0)).toEqual({ changed: ['4:1', '1:1'], removed: ['2:1'] });
    expect(v2.changedSince(v2)).toEqual({ changed: [], removed: [] });
    // A changed row is a new object; the old one is untouched.
    expect(v2.get('1:1')!.cpu).toBe(5);
    expect(first!.cpu).toBe(0);
  });

  it('cannot tell (null) for a later view, another table, a reset, a plain Map or a view too old', () => {
    const t = new LiveProcTable();
    const v0 = t.reset([procRow(1)], 0);
    let seq = 0;
    const step = (): void => {
      expect(
        t.apply(
          { base: seq, added: [], removed: [], changed: [{ key: '1:1', cpu: seq }], resync: [], count: 1 },
          seq + 1,
        ),
      ).toBe(true);
      seq++;
    };
    step();
    const v1 = t.view();
    expect(v0.changedSince(v1)).toBeNull();
    expect(v1.changedSince(new LiveProcTable().reset([procRow(1)], 0))).toBeNull();
    expect(v1.changedSince(new Map(v0))).toBeNull();
    for (let i = 0; i < 8; i++) step();
    // Eight ticks of log kept: nine ticks back is out of reach, eight is not.
    expect(t.view().changedSince(v0)).toBeNull();
    expect(t.view().changedSince(v1)?.changed).toHaveLength(8);
    const after = t.reset([procRow(1)], seq);
    expect(after.changedSince(v1)).toBeNull();
  });

  it('refuses a delta that does not follow the table, and changes nothing', () => {
    const t = new LiveProcTable();
    const v0 = t.reset([procRow(1)], 5);
    expect(t.apply({ base: 4, added: [procRow(2)], removed: [], changed: [], resync: [], count: 2 }, 6)).toBe(
      false,
    );
    expect(t.view().size).toBe(1);
    expect(t.view().changedSince(v0)).toEqual({ changed: [], removed: [] });
  });
});
