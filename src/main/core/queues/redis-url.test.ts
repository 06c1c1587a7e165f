import { describe, expect, it } from 'vitest';
import { parseConnection, publicUrl, redisOptions, scrub } from './redis-url';

describe('connection settings from a URL', () => {
  it('reads user, password (%-encoded), host, port, db and defaults the prefix to bull', () => {
    const s = parseConnection({ url: 'rediss://app:p%40ss%3Aw0rd@redis.example:6380/4' });
    expect(s).toMatchObject({
      tls: true,
      host: 'redis.example',
      port: 6380,
      db: 4,
      username: 'app',
      password: 'p@ss:w0rd',
      prefix: 'bull',
      tlsVerify: true,
    });
    expect(publicUrl(s)).toBe('rediss://app:***@redis.example:6380/4');
    expect(redisOptions(s)).toMatchObject({ password: 'p@ss:w0rd', tls: { servername: 'redis.example' } });
  });

  it('lets the separate fields override the URL, and takes IPv6 and bare host:port', () => {
    const s = parseConnection({ url: 'redis://:old@[::1]:7000', password: 'new', db: 2, prefix: '{q}' });
    expect(s).toMatchObject({ host: '::1', port: 7000, password: 'new', db: 2, prefix: '{q}' });
    expect(publicUrl(s)).toBe('redis://:***@[::1]:7000/2');
    expect(parseConnection({ url: 'localhost:6379' })).toMatchObject({ host: 'localhost', tls: false });
  });

  it('refuses other schemes and bad databases with EINVAL', () => {
    expect(() => parseConnection({ url: 'http://x:1' })).toThrow(expect.objectContaining({ code: 'EINVAL' }));
    expect(() => parseConnection({ url: 'redis://x:1/abc' })).toThrow(
      expect.objectContaining({ code: 'EINVAL' }),
    );
  });

  it('scrubs the password out of any text', () => {
    expect(scrub('AUTH failed for hunter22', { password: 'hunter22' })).toBe('AUTH failed for ***');
  });
});
