import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Core } from '../core';
import { alive } from '../supervisor/fixtures/test-kit';
import type { ManagedStatus, QueueConnection } from '../../../shared/contract';
import { findRedisServer } from './local-redis';

describe('Start a local Redis', () => {
  it('is offered only when redis-server is on PATH', () => {
    expect(findRedisServer('/nonexistent-dir')).toBeNull();
    expect(findRedisServer()).toMatch(/redis-server$/);
  });

  it('runs redis-server as a managed process on loopback and connects to it; Core.stop ends it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spindle-local-redis-'));
    const core = new Core({ dataDir: dir, redis: [] });
    const s = core.openSession({ transport: 'web', readOnly: false, label: 't' }, () => {});
    let pid = 0;
    try {
      const r = await s.request({ method: 'queues.startLocalRedis' });
      if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
      const conn = r.value as QueueConnection;
      expect(conn).toMatchObject({ state: 'up', host: '127.0.0.1', saved: false });
      const managed = core.supervisor.list().find((m: ManagedStatus) => m.id === conn.managedId)!;
      expect(managed.state).toBe('running');
      expect(managed.definition.stages[0]!.args).toEqual(
        expect.arrayContaining(['--save', '', '--appendonly', 'no']),
      );
      pid = managed.stages[0]!.pid!;
      expect(alive(pid)).toBe(true);
      expect(core.audit.list().map((e) => `${e.action}:${e.outcome}`)).toContain(
        'queues start local redis:ok',
      );
    } finally {
      await core.stop();
      rmSync(dir, { recursive: true, force: true });
    }
    expect(alive(pid)).toBe(false);
  });
});
