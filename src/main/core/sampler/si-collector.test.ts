import { describe, expect, it } from 'vitest';
import { procRowSchema } from '../../../shared/snapshot/schema';
import { SiCollector } from './si-collector';

describe('the systeminformation collector (the non-Linux path, run here on Linux)', () => {
  it('reports what it cannot know as null, and its rows pass the snapshot reader', async () => {
    const c = await new SiCollector().collect();
    for (const cpu of [c.cpu.total, ...c.cpu.cores]) {
      expect(cpu.iowait).toBeNull();
      expect(cpu.softirq).toBeNull();
      expect(cpu.user).toEqual(expect.any(Number));
    }
    expect(c.rows.length).toBeGreaterThan(0);
    expect(c.rows.every((r) => r.threads === null && r.fds === null)).toBe(true);
    // Every row as a JSON snapshot stores it reads back (threads null used to be refused).
    for (const r of c.rows) expect(procRowSchema.safeParse(JSON.parse(JSON.stringify(r))).success).toBe(true);
  }, 60_000);
});
