/**
 * The run mark: the variable every process of a managed run inherits (`SPINDLE_RUN=<mark>`).
 * It survives `setsid` and the death of a parent, which a parent link or a process group does
 * not; finding it means reading every environment on the machine, so it is the last look.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { ProcEntry } from './proc-table';

/** The variable's name. */
export const RUN_MARK = 'SPINDLE_RUN';

const markNeedles = (marks: readonly string[]): Buffer[] =>
  marks.map((m) => Buffer.from(`\0${RUN_MARK}=${m}\0`));

/** Does this environ block (NUL-separated, as in /proc/<pid>/environ) hold one of the needles? */
function holds(environ: Buffer, needles: Buffer[]): boolean {
  const padded = Buffer.concat([Buffer.from([0]), environ, Buffer.from([0])]);
  return needles.some((n) => padded.includes(n));
}

/**
 * Pids in `table` whose environment carries one of the run marks (sync). Processes of other
 * users are unreadable without root and skipped: they could not be signalled either.
 */
export function markedSync(table: Map<number, ProcEntry>, marks: readonly string[]): number[] {
  if (marks.length === 0) return [];
  const needles = markNeedles(marks);
  const out: number[] = [];
  for (const pid of table.keys()) {
    if (pid === process.pid) continue;
    try {
      if (holds(readFileSync(`/proc/${pid}/environ`), needles)) out.push(pid);
    } catch {
      // Gone, or not ours.
    }
  }
  return out;
}

/** `markedSync` without holding the event loop. */
export async function marked(table: Map<number, ProcEntry>, marks: readonly string[]): Promise<number[]> {
  if (marks.length === 0) return [];
  const needles = markNeedles(marks);
  const out: number[] = [];
  await Promise.all(
    [...table.keys()].map(async (pid) => {
      if (pid === process.pid) return;
      const env = await readFile(`/proc/${pid}/environ`).catch(() => null);
      if (env && holds(env, needles)) out.push(pid);
    }),
  );
  return out;
}
