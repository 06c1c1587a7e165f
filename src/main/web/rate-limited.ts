/**
 * A log that a client cannot flood: at most `max` lines per `windowMs`; past that, lines are
 * counted and one line says how many were left out when the next window opens.
 */

/** Wrap `write` so it passes at most `max` lines per window; `now` is injectable for tests. */
export function rateLimited(
  write: (line: string) => void,
  { max = 10, windowMs = 60_000, now = (): number => Date.now() } = {},
): (line: string) => void {
  let start = -Infinity;
  let used = 0;
  let skipped = 0;
  return (line) => {
    const t = now();
    if (t - start >= windowMs) {
      if (skipped > 0)
        write(`(${skipped} more like it in the last ${Math.round((t - start) / 1000)} s not logged)`);
      start = t;
      used = 0;
      skipped = 0;
    }
    if (used < max) {
      used++;
      write(line);
    } else skipped++;
  };
}
