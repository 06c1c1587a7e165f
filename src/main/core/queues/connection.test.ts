import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer as createHttp, type Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { startRedis, freePort, type TestRedis } from '../../../test-utils/redis-server';
import { until } from '../../../test-utils/until';
import { RedisLink } from './connection';
import { parseConnection } from './redis-url';
import type { ConnectionInput } from '../../../shared/contract';

const SECRET = 's3cret-pw';
let redis: TestRedis;
let http: HttpServer;
let silent: Server;
const links: RedisLink[] = [];

const link = (input: ConnectionInput): RedisLink => {
  const l = new RedisLink({ id: 'c1', settings: parseConnection(input), saved: false, onChange: () => {} });
  links.push(l);
  return l;
};
const listen = async (srv: HttpServer | Server): Promise<number> =>
  new Promise((resolve) =>
    srv.listen(0, '127.0.0.1', () => resolve((srv.address() as { port: number }).port)),
  );

/** Connect and return the code of the failure (or 'up'), with the time it took. */
async function attempt(input: ConnectionInput): Promise<{ code: string; ms: number; message: string }> {
  const l = link(input);
  const t0 = performance.now();
  try {
    await l.firstConnect();
    return { code: 'up', ms: performance.now() - t0, message: '' };
  } catch (e) {
    const err = e as { code: string; message: string };
    return { code: err.code, ms: performance.now() - t0, message: err.message };
  } finally {
    await l.close();
  }
}

beforeAll(async () => {
  redis = await startRedis({ password: SECRET });
  http = createHttp((_req, res) => res.end('hello'));
  silent = createServer(() => {}); // accepts and never answers
});
afterAll(async () => {
  for (const l of links) await l.close();
  http.close();
  silent.close();
  await redis.stop();
});

describe('a Redis connection', () => {
  it('comes up with the right password and shows it as ***', async () => {
    const l = link({ url: `redis://:${SECRET}@127.0.0.1:${redis.port}/2`, prefix: 'q' });
    await l.firstConnect();
    const info = l.info();
    expect(info).toMatchObject({ state: 'up', db: 2, prefix: 'q', hasPassword: true, error: null });
    expect(info.url).toBe(`redis://:***@127.0.0.1:${redis.port}/2`);
    expect(JSON.stringify(info)).not.toContain(SECRET);
    await until(() => l.redisVersion, { message: 'redis version read' });
  });

  it('gives EREDIS_AUTH for a wrong password, without echoing it', async () => {
    const r = await attempt({ url: `redis://127.0.0.1:${redis.port}`, password: 'wrong-password' });
    expect(r.code).toBe('EREDIS_AUTH');
    expect(r.message).not.toContain('wrong-password');
  });

  it('gives EREDIS_AUTH when the server wants a password and none is given', async () => {
    expect((await attempt({ url: `redis://127.0.0.1:${redis.port}` })).code).toBe('EREDIS_AUTH');
  });

  it('gives EREDIS_UNREACHABLE for a closed port within 2 s', async () => {
    const r = await attempt({ url: `redis://127.0.0.1:${await freePort()}` });
    expect(r.code).toBe('EREDIS_UNREACHABLE');
    expect(r.ms).toBeLessThan(2500);
  });

  it('gives EREDIS_NOT_REDIS for an HTTP port and for a port that never answers', async () => {
    const httpPort = await listen(http);
    const silentPort = await listen(silent);
    const a = await attempt({ url: `redis://127.0.0.1:${httpPort}` });
    expect(a.code, a.message).toBe('EREDIS_NOT_REDIS');
    const b = await attempt({ url: `redis://127.0.0.1:${silentPort}` });
    expect(b.code, b.message).toBe('EREDIS_NOT_REDIS');
    expect(b.ms).toBeLessThan(2500);
  });

  it('gives EREDIS_TLS for rediss:// to a plain Redis port', async () => {
    const r = await attempt({ url: `rediss://127.0.0.1:${redis.port}`, password: SECRET });
    expect(r.code, r.message).toBe('EREDIS_TLS');
  });
});
