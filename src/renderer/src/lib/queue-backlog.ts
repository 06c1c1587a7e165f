/**
 * Queues' backlogs (the jobs still to do or in progress) over time, as chart columns: the
 * Queues view's stages chart and a replayed snapshot's queues chart read them the same way.
 */
import type { QueueHistory, SeriesName } from '../../../shared/contract';
import type { ChartData } from './chart-data';
import { toColumns, type Columns } from './history-rows';

/** The columns a stage's backlog adds up: the jobs still to do or in progress. */
const BACKLOG_COLUMNS = ['waiting', 'active', 'delayed', 'prioritized', 'paused'] as const;

/** A queue's backlog at each of its points, null where every part is null (a gap). */
function backlogColumn(h: QueueHistory): (number | null)[] {
  return h.t.map((_, i) => {
    let sum: number | null = null;
    for (const c of BACKLOG_COLUMNS) {
      const v = h[c][i];
      if (v !== null && v !== undefined) sum = (sum ?? 0) + v;
    }
    return sum;
  });
}

/**
 * Several queues' backlogs on one time axis (`key` → history), as chart columns over the last
 * `windowMs`: the union of their tick times, each queue null where it has no point (one watched
 * later than another), then the same converter as every chart. Columns in, columns out.
 */
export function backlogData(
  stages: readonly { key: string; h: QueueHistory | undefined }[],
  windowMs: number,
): ChartData {
  const present = stages.filter((s): s is { key: string; h: QueueHistory } => !!s.h);
  const first = present[0]?.h.t ?? [];
  // Polled on the same ticks (the usual case): one axis as it is; else the sorted union.
  const same = present.every((s) => s.h.t.length === first.length && s.h.t.every((x, i) => x === first[i]));
  const t = same ? first : [...new Set(present.flatMap((s) => s.h.t))].sort((a, b) => a - b);
  const series: Record<string, (number | null)[]> = {};
  for (const s of stages) {
    if (!s.h) {
      series[s.key] = new Array<number | null>(t.length).fill(null);
      continue;
    }
    const col = backlogColumn(s.h);
    if (same) series[s.key] = col;
    else {
      const at = new Map(s.h.t.map((x, i) => [x, col[i]!]));
      series[s.key] = t.map((x) => at.get(x) ?? null);
    }
  }
  // The converter reads `series[name]` only: the stages stand in under their own keys.
  const win: Columns = { t, series: series as Columns['series'] };
  return toColumns(
    win,
    stages.map((s) => ({ key: s.key, series: s.key as SeriesName })),
    windowMs,
  );
}
