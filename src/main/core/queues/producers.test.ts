import { describe, expect, it } from 'vitest';
import { SpindleError } from '../../../shared/result';
import { until } from '../../../test-utils/until';
import { Producers } from './producers';

const where = { connectionId: 'c', queue: 'q' };

describe('steady producers', () => {
  it('add every item once, in order, at the rate, and finish', async () => {
    const ps = new Producers();
    const got: number[] = [];
    const first = await ps.start(where, 200, 50, async (from, to) => {
      for (let i = from; i < to; i++) got.push(i);
    });
    // The first step adds what is due when it runs: the first job, or more if the machine held
    // this thread a few ms between the start and that step (200 a second: one per 5 ms).
    expect(first).toMatchObject({ state: 'running', total: 50 });
    expect(first.added).toBeGreaterThanOrEqual(1);
    await until(() => ps.list()[0]!.state === 'done');
    expect(got).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(Object.keys(ps.list()[0]!).sort()).toEqual(
      ['added', 'connectionId', 'id', 'note', 'queue', 'rate', 'state', 'total'].sort(),
    );
  });

  it('wait out a connection that is down, then go on; fail on anything else', async () => {
    const ps = new Producers();
    let down = true;
    let added = 0;
    await ps.start(where, 100, 20, async (from, to) => {
      if (down) throw new SpindleError('ECONNECTION_DOWN', 'local is reconnecting');
      added += to - from;
    });
    expect(ps.list()[0]).toMatchObject({ state: 'running', added: 0, note: 'local is reconnecting' });
    down = false;
    await until(() => ps.list()[0]!.state === 'done');
    expect(added).toBe(20);
    await ps.start(where, 100, 20, async () => {
      throw new SpindleError('EREDIS', 'OOM command not allowed');
    });
    expect(ps.list()[1]).toMatchObject({ state: 'failed', note: 'OOM command not allowed' });
    expect(ps.stop(() => true)).toBe(0);
  });
});
