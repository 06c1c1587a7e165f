import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ManagedStatus } from '../../../shared/contract';
import { Core } from '../core';
import { alive } from './fixtures/test-kit';

describe('supervisor through Core', () => {
  it('launches over the contract, audits it, refuses read-only, and Core.stop() leaves nothing running', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spindle-core-'));
    const core = new Core({ dataDir: dir });
    const events: string[] = [];
    const session = core.openSession({ transport: 'web', readOnly: false, label: 'test' }, (e) =>
      events.push(e),
    );
    const ro = core.openSession({ transport: 'web', readOnly: true, label: 'ro' }, () => {});
    try {
      await session.request({ method: 'supervisor.subscribe' });
      const bad = await session.request({
        method: 'supervisor.launch',
        params: { definition: { name: 'x', stages: [{ command: 'true', args: ['a\0b'] }] } },
      });
      expect(bad).toMatchObject({ ok: false, error: { code: 'EINVAL_ARG' } });
      const refused = await ro.request({
        method: 'supervisor.launch',
        params: { definition: { name: 'x', stages: [{ command: 'true' }] } },
      });
      expect(refused).toMatchObject({ ok: false, error: { code: 'EREADONLY' } });
      const res = await session.request({
        method: 'supervisor.launch',
        params: {
          definition: {
            name: 'sleeper',
            stages: [{ command: process.execPath, args: ['-e', 'setInterval(() => console.log("z"), 100)'] }],
          },
        },
      });
      if (!res.ok) throw new Error(res.error.message);
      const pid = (res.value as ManagedStatus).stages[0]!.pid!;
      expect(alive(pid)).toBe(true);
      await expect.poll(() => events.includes('supervisor.output')).toBe(true);
      expect(events).toContain('supervisor.list');
      const audit = core.audit.list().map((e) => `${e.action}:${e.outcome}`);
      expect(audit).toEqual(expect.arrayContaining(['launch:EINVAL_ARG', 'launch:ok']));
      await core.stop();
      expect(alive(pid)).toBe(false);
    } finally {
      await core.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a read-only session sees environment names but not their values (list, subscribe, events, export)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spindle-core-'));
    const core = new Core({ dataDir: dir });
    const roEvents: unknown[] = [];
    const rw = core.openSession({ transport: 'web', readOnly: false, label: 'rw' }, () => {});
    const ro = core.openSession({ transport: 'web', readOnly: true, label: 'ro' }, (e, p) => {
      if (e === 'supervisor.list') roEvents.push(p);
    });
    const secret = 'hunter2-very-secret';
    try {
      const sub = await ro.request({ method: 'supervisor.subscribe' });
      expect(sub.ok).toBe(true);
      const res = await rw.request({
        method: 'supervisor.launch',
        params: {
          definition: { name: 'env', stages: [{ command: 'true' }], env: { set: { API_KEY: secret } } },
          start: false,
        },
      });
      expect(res.ok).toBe(true);
      const full = await rw.request({ method: 'supervisor.list' });
      expect(JSON.stringify(full)).toContain(secret);
      const list = await ro.request({ method: 'supervisor.list' });
      if (!list.ok) throw new Error(list.error.message);
      expect((list.value as ManagedStatus[])[0]!.definition.env.set).toEqual({ API_KEY: '***' });
      const exported = await ro.request({ method: 'supervisor.export' });
      await expect.poll(() => roEvents.length).toBeGreaterThan(0);
      for (const seen of [list, exported, roEvents]) expect(JSON.stringify(seen)).not.toContain(secret);
      expect(JSON.stringify(exported)).toContain('API_KEY');
    } finally {
      await core.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
