import { describe, expect, it } from 'vitest';
import { snapshotSchema } from '../../../shared/snapshot/schema';
import { AuditLog } from './audit-log';

describe('AuditLog', () => {
  it('keeps entries in order with a sequence and time', () => {
    const log = new AuditLog();
    log.record({
      client: 'window',
      action: 'signal SIGTERM',
      target: { pid: 5 },
      outcome: 'ok',
      detail: '',
      t: 10,
    });
    log.record({
      client: 'web x',
      action: 'launch',
      target: { id: 'a' },
      outcome: 'ENOENT_EXEC',
      detail: '',
    });
    const list = log.list();
    expect(list.map((e) => e.seq)).toEqual([1, 2]);
    expect(list[0]!.t).toBe(10);
    expect(list[1]!.outcome).toBe('ENOENT_EXEC');
  });

  it('is bounded: the oldest entries fall off', () => {
    const log = new AuditLog(3);
    for (let i = 0; i < 10; i++)
      log.record({ client: 'w', action: `a${i}`, target: {}, outcome: 'ok', detail: '' });
    expect(log.list().map((e) => e.action)).toEqual(['a7', 'a8', 'a9']);
  });

  it('tells listeners about each new entry', () => {
    const log = new AuditLog();
    const seen: string[] = [];
    const off = log.onEntry((e) => seen.push(e.action));
    log.record({ client: 'w', action: 'x', target: {}, outcome: 'ok', detail: '' });
    off();
    log.record({ client: 'w', action: 'y', target: {}, outcome: 'ok', detail: '' });
    expect(seen).toEqual(['x']);
  });
  it('bounds detail and names as the snapshot format does, so an exported log reads back', () => {
    const log = new AuditLog();
    const e = log.record({
      client: 'window',
      action: 'launch',
      target: { name: 'n'.repeat(5000) },
      outcome: 'ok',
      detail: 'x '.repeat(100_000),
    });
    expect(e.detail.length).toBeLessThanOrEqual(4096);
    expect(snapshotSchema.shape.audit.element.safeParse(e).success).toBe(true);
  });
});
