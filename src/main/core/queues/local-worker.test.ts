import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import type { ManagedStatus, QueueConnection } from '../../../shared/contract';
import { startRedis } from '../../../test-utils/redis-server';
import { until } from '../../../test-utils/until';
import { Core } from '../core';

describe('Add local worker', () => {
  it('launches spindle worker as a managed process that takes the queue’s jobs; the password stays in a 0600 file', async () => {
    const password = 'local-worker-secret-42';
    const redis = await startRedis({ password });
    const dir = mkdtempSync(join(tmpdir(), 'spindle-local-worker-'));
    const core = new Core({ dataDir: dir, redis: [] });
    const s = core.openSession({ transport: 'web', readOnly: false, label: 't' }, () => {});
    const queue = new Queue('lw', { connection: { host: '127.0.0.1', port: redis.port, password } });
    try {
      const c = await s.request({ method: 'queues.connect', params: { url: redis.url, save: false } });
      if (!c.ok) throw new Error(`${c.error.code}: ${c.error.message}`);
      const connectionId = (c.value as QueueConnection).id;
      const r = await s.request({
        method: 'queues.launchWorker',
        params: { connectionId, queue: 'lw', concurrency: 2 },
      });
      if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
      const managed = r.value as ManagedStatus;
      await queue.addBulk(Array.from({ length: 20 }, (_, i) => ({ name: 'noop', data: { item: i } })));
      await until(async () => (await queue.getJobCounts('completed')).completed === 20, {
        timeout: 60_000,
        message: '20 jobs completed by the launched worker',
      });
      // The worker is a managed process like any other, and nothing a window sees holds the password.
      const listed = core.supervisor.list().find((m) => m.id === managed.id)!;
      expect(listed.state).toBe('running');
      expect(JSON.stringify(core.supervisor.list())).not.toContain(password);
      expect(readFileSync(join(dir, 'supervisor.json'), 'utf8')).not.toContain(password);
      expect(JSON.stringify(core.audit.list())).not.toContain(password);
      const [file] = readdirSync(join(dir, 'queue-workers'));
      const secret = join(dir, 'queue-workers', file!);
      expect(statSync(secret).mode & 0o777).toBe(0o600);
      expect(readFileSync(secret, 'utf8')).toContain(password);
      expect(core.audit.list().map((e) => `${e.action}:${e.outcome}`)).toContain(
        'queues launch worker ×2:ok',
      );
    } finally {
      await queue.close();
      await core.stop();
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('refuses a connection it does not have, with its code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spindle-local-worker-'));
    const core = new Core({ dataDir: dir, redis: [] });
    const s = core.openSession({ transport: 'web', readOnly: false, label: 't' }, () => {});
    try {
      const r = await s.request({
        method: 'queues.launchWorker',
        params: { connectionId: 'nope', queue: 'q' },
      });
      expect(!r.ok && r.error.code).toBe('ENO_CONNECTION');
    } finally {
      await core.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
