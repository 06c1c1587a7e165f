import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../core';
import { startRedis, type TestRedis } from '../../../test-utils/redis-server';
import { until } from '../../../test-utils/until';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis({ password: 'opt-secret' });
});
afterAll(async () => {
  await redis.stop();
});

describe('--redis URL (Core option) and SPINDLE_REDIS_URL', () => {
  it('connects at start without saving, password hidden', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spindle-redis-opt-'));
    const core = new Core({ dataDir: dir, redis: [redis.url] });
    try {
      core.start();
      const up = await until(() => core.queues.connections().find((c) => c.state === 'up'));
      expect(up).toMatchObject({
        saved: false,
        hasPassword: true,
        url: `redis://:***@127.0.0.1:${redis.port}`,
      });
      expect(existsSync(join(dir, 'queues.json'))).toBe(false);
    } finally {
      await core.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads SPINDLE_REDIS_URL when no option is given', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spindle-redis-env-'));
    const before = process.env.SPINDLE_REDIS_URL;
    process.env.SPINDLE_REDIS_URL = `${redis.url}/3`;
    const core = new Core({ dataDir: dir });
    try {
      core.start();
      await until(() => core.queues.connections().find((c) => c.state === 'up' && c.db === 3));
    } finally {
      if (before === undefined) delete process.env.SPINDLE_REDIS_URL;
      else process.env.SPINDLE_REDIS_URL = before;
      await core.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
