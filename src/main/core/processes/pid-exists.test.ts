import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { prepareFixtureAs } from '../../../test-utils/run-as';
import { pidExists } from './pid-exists';

describe('pidExists', () => {
  it('is true for a running child and false once it is reaped', async () => {
    const child = spawn('sleep', ['987200'], { stdio: 'ignore' });
    await new Promise((resolve) => child.once('spawn', resolve));
    expect(pidExists(child.pid!)).toBe(true);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(pidExists(child.pid!)).toBe(false);
  });

  it('another user’s process (EPERM) exists, and keeps a managed run tree alive', async (ctx) => {
    const fixture = await prepareFixtureAs(
      fileURLToPath(new URL('../supervisor/fixtures/may-live.ts', import.meta.url)),
    );
    if (!fixture.ok) {
      console.warn(`skipped EPERM test: ${fixture.reason}`);
      return ctx.skip(fixture.reason);
    }
    onTestFinished(fixture.cleanup);
    expect(JSON.parse(fixture.run([]))).toEqual({ exists: true, mayLive: true });
  });
});
