import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostRow, HostsState } from '../../../shared/contract';
import type { Result } from '../../../shared/result';
import { selfSigned } from '../../../test-utils/self-signed';
import { until } from '../../../test-utils/until';
import { startWebServer, type WebServer } from '../../web/server';
import { Core, type Session } from '../core';

const TOKEN = 'tls-host-token-0123456789abcdefXYZ';

let tmp: string;
let remote: Core;
let server: WebServer;
/** The remote's self-signed certificate, and another one made the same way. */
let cert: string;
let other: string;
let url: string;

/** A Core as the watching server, one session on it subscribed to the hosts list. */
function watching(dataDir: string) {
  const core = new Core({ dataDir, intervalMs: 250 });
  core.start();
  let latest: HostsState | null = null;
  const session: Session = core.openSession(
    { transport: 'web', readOnly: false, label: 'test' },
    (event, payload) => {
      if (event === 'hosts') latest = payload as HostsState;
    },
  );
  const req = <T>(method: string, params?: unknown, host?: string): Promise<Result<T>> =>
    session.request({ method, params, ...(host ? { host } : {}) }) as Promise<Result<T>>;
  const row = (id: string): HostRow | undefined => latest?.hosts.find((h) => h.id === id);
  return { core, session, req, row };
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'spindle-hosts-tls-'));
  writeFileSync(join(tmp, 'index.html'), '<!doctype html><title>Spindle</title>');
  const own = selfSigned(tmp, 'remote');
  cert = own.pem;
  other = selfSigned(tmp, 'other').pem;
  remote = new Core({ dataDir: join(tmp, 'remote'), intervalMs: 250 });
  remote.start();
  server = await startWebServer({
    core: remote,
    staticDir: tmp,
    token: TOKEN,
    port: 0,
    tls: { cert: own.cert, key: own.key },
  });
  url = `https://127.0.0.1:${server.port}`;
}, 60_000);

afterAll(async () => {
  await server?.close();
  await remote?.stop();
  rmSync(tmp, { recursive: true, force: true });
}, 60_000);

describe('a host with a self-signed certificate', () => {
  it('is refused until its certificate is given, then watched, and trusted again after a restart', async () => {
    const dataDir = join(tmp, 'local');
    const w = watching(dataDir);
    try {
      await w.req('hosts.list', { subscribe: true });
      // Without its certificate: down, with a code and what to do.
      const plain = await w.req<HostRow>('hosts.add', { url, token: TOKEN, name: 'plain' });
      expect(plain.ok).toBe(true);
      await until(() => w.row('plain')?.error?.code === 'EHOST_TLS', { message: 'EHOST_TLS' });
      expect(w.row('plain')!.error!.message).toMatch(/self-signed host: add it again with its certificate/);
      expect(w.row('plain')!.trusts).toBeNull();
      await w.req('hosts.remove', { id: 'plain' });
      // Another certificate is not this host's: still refused.
      await w.req<HostRow>('hosts.add', { url, token: TOKEN, name: 'wrong', certificate: other });
      await until(() => w.row('wrong')?.error?.code === 'EHOST_TLS', {
        message: 'wrong certificate refused',
      });
      expect(w.row('wrong')!.state).not.toBe('up');
      await w.req('hosts.remove', { id: 'wrong' });
      // Its own certificate: up, forwarded requests answered, the fingerprint shown.
      const added = await w.req<HostRow>('hosts.add', {
        url,
        token: TOKEN,
        name: 'secure',
        certificate: cert,
      });
      expect(added.ok && added.value.trusts).toBe(new X509Certificate(cert).fingerprint256);
      await until(() => w.row('secure')?.state === 'up', { message: 'up with its certificate' });
      const info = await w.req<{ hostname: string }>('system.info', undefined, 'secure');
      expect(info.ok).toBe(true);
      // Saved beside the token (mode 0600), and trusted again by the next server on this folder.
      const saved = JSON.parse(readFileSync(join(dataDir, 'hosts.json'), 'utf8')) as {
        hosts: { certificate?: string }[];
      };
      expect(saved.hosts[0]!.certificate).toBe(cert);
    } finally {
      w.session.close();
      await w.core.stop();
    }
    const again = watching(dataDir);
    try {
      await again.req('hosts.list', { subscribe: true });
      await until(() => again.row('secure')?.state === 'up', { message: 'up after a restart' });
    } finally {
      again.session.close();
      await again.core.stop();
    }
  });

  it('refuses a certificate for a plain http host, or text that is not one', async () => {
    const w = watching(join(tmp, 'refusals'));
    try {
      const http = await w.req('hosts.add', { url: 'http://127.0.0.1:9', token: TOKEN, certificate: cert });
      expect(!http.ok && http.error.code).toBe('EINVAL');
      const junk = await w.req('hosts.add', { url, token: TOKEN, certificate: 'not a certificate' });
      expect(!junk.ok && junk.error).toMatchObject({
        code: 'EINVAL',
        message: expect.stringMatching(/not PEM/),
      });
      const broken = cert.replace(/\n[A-Za-z0-9+/]{20}/, '\n' + 'A'.repeat(20));
      const bad = await w.req('hosts.add', { url, token: TOKEN, certificate: broken });
      expect(!bad.ok && bad.error.code).toBe('EINVAL');
      const none = await w.req<HostsState>('hosts.list');
      expect(none.ok && none.value.hosts).toHaveLength(1);
    } finally {
      w.session.close();
      await w.core.stop();
    }
  });
});
