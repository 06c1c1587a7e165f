import { describe, expect, it } from 'vitest';
import { maskRedisUrl, parseWorkerArgs } from './worker-cli';

const base = ['--redis', 'redis://127.0.0.1:6379', '--queue', 'q'];

describe('spindle worker flags', () => {
  it('parses the flags, with defaults', () => {
    const p = parseWorkerArgs([...base, '--concurrency', '8', '--sandboxed', 'threads', '--grace', '5s']);
    expect(p.graceMs).toBe(5000);
    expect(p.worker).toMatchObject({ queue: 'q', concurrency: 8, sandboxed: 'threads' });
    expect(parseWorkerArgs(base).graceMs).toBe(30_000);
  });

  it('takes the URL from SPINDLE_REDIS_URL, and --stage names the queue and the hand-off', () => {
    const p = parseWorkerArgs(['--stage', 'wash'], { SPINDLE_REDIS_URL: 'rediss://u:p@h:1/2' });
    expect(p.worker).toMatchObject({ url: 'rediss://u:p@h:1/2', queue: 'wash', name: 'washer' });
    expect(p.worker.handOff?.queue).toBe('dry');
    expect(
      parseWorkerArgs(['--stage', 'dry'], { SPINDLE_REDIS_URL: 'redis://h' }).worker.handOff,
    ).toBeUndefined();
  });

  it('refuses bad flags with EWORKER_ARGS and a message that names the flag', () => {
    const bad: [string[], RegExp][] = [
      [['--queue', 'q'], /--redis URL is required/],
      [['--redis', 'http://x', '--queue', 'q'], /--redis: a redis:\/\/ or rediss:\/\/ URL/],
      [['--redis', 'redis://h'], /--queue NAME is required/],
      [['--redis', 'redis://h/x', '--queue', 'q'], /--redis: bad database "x"/],
      [[...base, '--sandboxed', 'yes'], /--sandboxed: threads or processes/],
      [[...base, '--stage', 'spin'], /--stage: wash or dry/],
      [[...base, '--grace', 'soon'], /--grace: not a duration/],
      [[...base, '--bogus'], /Unknown option '--bogus'/],
    ];
    for (const [argv, msg] of bad) {
      let err: unknown;
      try {
        parseWorkerArgs(argv, {});
      } catch (e) {
        err = e;
      }
      expect(err, argv.join(' ')).toMatchObject({
        code: 'EWORKER_ARGS',
        message: expect.stringMatching(msg),
      });
    }
  });

  it('masks the password in the URL it prints', () => {
    expect(maskRedisUrl('redis://user:s3cret@host:6380/2')).toBe('redis://user:***@host:6380/2');
    expect(maskRedisUrl('rediss://:p@host')).toBe('rediss://:***@host:6379');
    expect(maskRedisUrl('http://x')).toBe('(not a redis URL)');
  });
});
