import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../test-utils/redis-server';
import { selfSigned } from '../../../test-utils/self-signed';
import { until } from '../../../test-utils/until';
import { RedisLink } from './connection';
import { parseConnection } from './redis-url';
import type { ConnectionInput } from '../../../shared/contract';

let dir: string;
let port: number;
let server: ChildProcess;

/** Connect once; 'up' or the error code. */
async function attempt(input: ConnectionInput): Promise<string> {
  const l = new RedisLink({ id: 't', settings: parseConnection(input), saved: false, onChange: () => {} });
  try {
    await l.firstConnect();
    return 'up';
  } catch (e) {
    return (e as { code: string }).code;
  } finally {
    await l.close();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spindle-redis-tls-'));
  // A self-signed certificate made now, for this test only.
  const { cert, key } = selfSigned(dir);
  port = await freePort();
  // TLS only (`--port 0` turns the plain port off), nothing kept on disk.
  server = spawn(
    'redis-server',
    ['--port', '0', '--tls-port', String(port), '--tls-cert-file', cert, '--tls-key-file', key].concat([
      '--tls-auth-clients',
      'no',
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
    ]),
    { stdio: 'ignore' },
  );
  await until(async () => (await attempt({ url: `rediss://127.0.0.1:${port}`, tlsVerify: false })) === 'up', {
    message: 'TLS redis-server up',
  });
});
afterAll(() => {
  server.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('rediss://', () => {
  it('connects over TLS, and refuses a certificate it cannot verify with EREDIS_TLS', async () => {
    expect(await attempt({ url: `rediss://127.0.0.1:${port}`, tlsVerify: false })).toBe('up');
    expect(await attempt({ url: `rediss://127.0.0.1:${port}` })).toBe('EREDIS_TLS');
  });

  it('gives EREDIS_NOT_REDIS for redis:// to a TLS-only port', async () => {
    expect(await attempt({ url: `redis://127.0.0.1:${port}` })).toBe('EREDIS_NOT_REDIS');
  });
});
