import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poolOptions, type PoolOptions } from '../../shared/contract/pools';
import { isPrivateEnv, publicEnv } from './child-env';
import { Pool } from './pools/pool';

const SECRET = 'tok-child-env-test-0123456789abcdef';
const fixtures = join(import.meta.dirname, 'pools', 'fixtures');

describe('private variables', () => {
  beforeAll(() => {
    process.env.SPINDLE_TOKEN = SECRET;
    process.env.SPINDLE_REDIS_URL = 'redis://:pw@127.0.0.1:1/0';
  });
  afterAll(() => {
    delete process.env.SPINDLE_TOKEN;
    delete process.env.SPINDLE_REDIS_URL;
  });

  it('are every SPINDLE_* and ELECTRON_RUN_AS_NODE; the rest passes', () => {
    const env = publicEnv({
      SPINDLE_TOKEN: 'x',
      SPINDLE_DATA_DIR: '/d',
      ELECTRON_RUN_AS_NODE: '1',
      PATH: '/bin',
    });
    expect(env).toEqual({ PATH: '/bin' });
    expect(isPrivateEnv('MY_SPINDLE_TOKEN')).toBe(false);
  });

  /** Run one task on a fresh pool and return its result text. */
  async function runOne(
    o: Partial<PoolOptions> & Pick<PoolOptions, 'kind' | 'size'>,
    submit: (p: Pool) => void,
  ) {
    const p = new Pool('env', 'env test', poolOptions.parse(o));
    try {
      submit(p);
      await p.whenIdle();
      return p.view().recent.map((r) => r.text);
    } finally {
      p.terminate();
    }
  }

  it.each(['threads', 'processes'] as const)('never reach a %s pool task', async (kind) => {
    for (const name of ['SPINDLE_TOKEN', 'SPINDLE_REDIS_URL']) {
      const out = await runOne({ kind, size: 1, module: join(fixtures, 'env.mjs') }, (p) =>
        p.submit({ kind: 'module' }, name),
      );
      expect(out).toEqual(['unset']);
    }
  });

  it('never reach a command task (execa) started by a process pool', async () => {
    const out = await runOne({ kind: 'processes', size: 1 }, (p) =>
      p.submit(
        {
          kind: 'command',
          argv: [
            process.execPath,
            '-p',
            'JSON.stringify(Object.keys(process.env).filter(k => k.startsWith("SPINDLE_") || k === "ELECTRON_RUN_AS_NODE"))',
          ],
        },
        0,
      ),
    );
    expect(out).toEqual(['[]']);
  });
});
