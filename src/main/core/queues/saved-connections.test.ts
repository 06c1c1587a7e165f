import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SavedConnections, type SavedConnection } from './saved-connections';

const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'spindle-saved-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const one: SavedConnection = {
  id: 'a1',
  name: 'prod',
  tls: true,
  host: 'redis.example',
  port: 6380,
  db: 1,
  prefix: 'bull',
  username: 'app',
  password: 'hunter2',
  tlsVerify: true,
};

describe('saved connections (queues.json)', () => {
  it('writes mode 0600 whatever the umask, and reads back', async () => {
    const dir = tmp();
    const old = process.umask(0o000);
    try {
      await new SavedConnections(dir).save([one]);
    } finally {
      process.umask(old);
    }
    const file = join(dir, 'queues.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await new SavedConnections(dir).load()).toEqual([one]);
  });

  it('keeps a malformed file as it is and reports it, never overwriting it', async () => {
    const dir = tmp();
    const file = join(dir, 'queues.json');
    writeFileSync(file, '{"version":1,"connections":[{"id":', { mode: 0o600 });
    const s = new SavedConnections(dir);
    expect(await s.load()).toEqual([]);
    expect(s.problem).toMatch(/not JSON/);
    await s.save([one]);
    expect(readFileSync(file, 'utf8')).toBe('{"version":1,"connections":[{"id":');
  });

  it('reports an unreadable file (mode 000) instead of treating it as empty', async () => {
    if (process.getuid?.() === 0) return; // root reads anything: nothing to test
    const dir = tmp();
    const file = join(dir, 'queues.json');
    writeFileSync(file, JSON.stringify({ version: 1, connections: [one] }), { mode: 0o600 });
    chmodSync(file, 0o000);
    const s = new SavedConnections(dir);
    expect(await s.load()).toEqual([]);
    expect(s.problem).toMatch(/cannot read/);
    await s.save([]);
    chmodSync(file, 0o600);
    expect(JSON.parse(readFileSync(file, 'utf8')).connections).toEqual([one]);
  });
});
