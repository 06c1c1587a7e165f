import { statSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../../test-utils/until';
import { CHANNEL_ENV } from './socket-channel';
import { ChannelServer } from './socket-child';

let server: ChannelServer | null = null;
afterEach(() => {
  server?.close();
  server = null;
});

/** Connect to `path`, send `first`, and collect what comes back until the server closes. */
function dial(path: string, first: string): { got: string[]; closed: () => boolean; send(m: unknown): void } {
  const s = connect(path);
  const got: string[] = [];
  let closed = false;
  s.setEncoding('utf8');
  s.on('data', (d: string) => got.push(d));
  s.on('close', () => (closed = true));
  s.on('error', () => {});
  s.write(first);
  return { got, closed: () => closed, send: (m) => s.write(JSON.stringify(m) + '\n') };
}

describe('ChannelServer', () => {
  it('listens in a folder only this user can enter, and refuses a connection without the token', async () => {
    server = new ChannelServer();
    const { child, env } = server.expect();
    const path = env[CHANNEL_ENV.path]!;
    expect(statSync(dirname(path)).mode & 0o777).toBe(0o700);
    let heard = 0;
    child.on('message', () => heard++);
    const stranger = dial(path, 'not-the-token\n{"t":"ready"}\n');
    await until(stranger.closed);
    expect(heard).toBe(0);
    // The child it expects still gets through, with what it sent in the same packet as its token.
    const real = dial(path, `${env[CHANNEL_ENV.token]}\n{"t":"ready"}\n`);
    await until(() => heard === 1);
    child.send({ t: 'run', tasks: [] });
    await until(() => real.got.join('').includes('"run"'));
    // A token works once.
    const again = dial(path, `${env[CHANNEL_ENV.token]}\n`);
    await until(again.closed);
  });
});
