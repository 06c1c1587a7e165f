import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startRedis } from './redis-server';

const ask = (port: number, line: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const s = new Socket();
    s.once('error', reject);
    s.on('data', (d) => {
      s.destroy();
      resolve(d.toString());
    });
    s.connect(port, '127.0.0.1', () => s.write(line + '\r\n'));
  });

describe('startRedis', () => {
  it('starts a private server without persistence, with a password, and stops it', async () => {
    const r = await startRedis({ password: 'p w' });
    try {
      expect(r.url).toBe(`redis://:p%20w@127.0.0.1:${r.port}`);
      expect(await ask(r.port, 'PING')).toMatch(/^-NOAUTH/);
      const conf = await ask(r.port, 'AUTH "p w"\r\nCONFIG GET save');
      expect(conf).toMatch(/^\+OK/);
      await r.restart();
      expect(await ask(r.port, 'PING')).toMatch(/^-NOAUTH/);
    } finally {
      await r.stop();
    }
    await expect(ask(r.port, 'PING')).rejects.toThrow(/ECONNREFUSED/);
  });
});
