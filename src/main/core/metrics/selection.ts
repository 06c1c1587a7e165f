/** Which processes get per-process series (`--metrics-processes top:N|managed|none`). */
import type { ProcRow } from '../../../shared/contract';
import { SpindleError } from '../../../shared/result';

/** Top N by CPU plus every managed stage; managed stages only; or no per-process series. */
export type ProcessSelection = { kind: 'top'; n: number } | { kind: 'managed' } | { kind: 'none' };

/** The default: a scrape stays small however many processes the machine runs. */
export const DEFAULT_SELECTION: ProcessSelection = { kind: 'top', n: 20 };
/** The largest N accepted: 200 processes × 3 series is still a small scrape. */
export const MAX_TOP = 200;

/** Parse `top:N`, `managed` or `none`; a bad value is an `EINVAL` error naming the option. */
export function parseSelection(text: string): ProcessSelection {
  if (text === 'managed' || text === 'none') return { kind: text };
  const m = /^top:(\d{1,4})$/.exec(text);
  const n = m ? Number(m[1]) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_TOP) {
    throw new SpindleError(
      'EINVAL',
      `--metrics-processes: top:N (N from 1 to ${MAX_TOP}), managed or none, not ${JSON.stringify(text)}`,
    );
  }
  return { kind: 'top', n };
}

/**
 * The rows to report: managed stages first, then the busiest rows up to N. `top` is the
 * sampler's own top list (busiest first, cpu > 0); only when N asks for more than it holds
 * is the table sorted here, so the common case costs nothing per process.
 */
export function selectRows(
  sel: ProcessSelection,
  table: ReadonlyMap<string, ProcRow>,
  top: readonly string[],
  samplerTopN: number,
  managedKeys: Iterable<string>,
): ProcRow[] {
  if (sel.kind === 'none') return [];
  const out = new Map<string, ProcRow>();
  for (const k of managedKeys) {
    const row = table.get(k);
    if (row) out.set(k, row);
  }
  if (sel.kind === 'managed') return [...out.values()];
  let keys: readonly string[] = top;
  // The sampler's list holds every busy row when it is shorter than its own N.
  if (sel.n > samplerTopN && top.length >= samplerTopN) {
    keys = [...table.values()]
      .filter((r) => r.cpu > 0)
      .sort((a, b) => b.cpu - a.cpu)
      .slice(0, sel.n)
      .map((r) => r.key);
  }
  let added = 0;
  for (const k of keys) {
    if (added >= sel.n) break;
    const row = table.get(k);
    if (!row) continue;
    added++;
    out.set(k, row);
  }
  return [...out.values()];
}
