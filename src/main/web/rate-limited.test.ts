import { describe, expect, it } from 'vitest';
import { rateLimited } from './rate-limited';

describe('rateLimited', () => {
  it('passes at most max lines per window, then says how many it left out', () => {
    let t = 0;
    const out: string[] = [];
    const log = rateLimited((l) => out.push(l), { max: 3, windowMs: 1000, now: () => t });
    for (let i = 0; i < 1000; i++) log(`bad ${i}`);
    expect(out).toEqual(['bad 0', 'bad 1', 'bad 2']);
    t = 1500;
    log('next');
    expect(out.slice(3)).toEqual(['(997 more like it in the last 2 s not logged)', 'next']);
    t = 3000;
    log('quiet window');
    expect(out.at(-1)).toBe('quiet window');
    expect(out).toHaveLength(6);
  });
});
