import { describe, expect, it } from 'vitest';
import { until, UntilTimeoutError } from './until';

describe('until', () => {
  it('returns the first truthy value, waiting across throws and falsy results', async () => {
    let n = 0;
    const got = await until(
      () => {
        n++;
        if (n < 3) throw new Error('not yet');
        return n < 5 ? 0 : { n };
      },
      { interval: 1 },
    );
    expect(got).toEqual({ n: 5 });
  });

  it('awaits an async condition', async () => {
    let n = 0;
    expect(await until(async () => ++n >= 3 && 'done', { interval: 1 })).toBe('done');
  });

  it('checks once more after the deadline, so a stalled loop does not time out a condition that holds', async () => {
    let calls = 0;
    const got = await until(
      () => {
        calls++;
        if (calls === 1) {
          // Block the event loop past the deadline, as a loaded machine can.
          const end = performance.now() + 30;
          while (performance.now() < end);
          return false;
        }
        return true;
      },
      { timeout: 5, interval: 1 },
    );
    expect(got).toBe(true);
    expect(calls).toBe(2);
  });

  it('gives up with a typed error naming what it waited for and what it saw last', async () => {
    const err = await until(() => false, { timeout: 30, interval: 5, message: 'the moon' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UntilTimeoutError);
    expect(err).toMatchObject({ code: 'EUNTIL_TIMEOUT', last: false });
    expect((err as Error).message).toMatch(/not met within 30 ms: the moon \(last returned false\)/);
  });
});
