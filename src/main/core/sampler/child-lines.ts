/**
 * Line-by-line reading of a child's stdout for the sampler's tests, which talk to their
 * fixtures one command and one answer at a time. Test support only; nothing in the app uses it.
 */
import type { Readable } from 'node:stream';

/** `next()` resolves with the next whole line from `stream`, in order, however the bytes arrive. */
export function childLines(stream: Readable): () => Promise<string> {
  const lines: string[] = [];
  const waiters: ((l: string) => void)[] = [];
  let buf = '';
  stream.on('data', (d: Buffer) => {
    buf += d;
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      const l = buf.slice(0, i);
      buf = buf.slice(i + 1);
      const w = waiters.shift();
      if (w) w(l);
      else lines.push(l);
    }
  });
  return () => (lines.length ? Promise.resolve(lines.shift()!) : new Promise<string>((r) => waiters.push(r)));
}
