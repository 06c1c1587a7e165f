/**
 * Pure conversions for the Queues view: one history point per tick (a gap while the
 * connection is down), history columns into chart rows, workers grouped by host, the add
 * form's JSON payload, and the washer/dryer pair. Unit tests feed literal values.
 */
import {
  JOB_STATES,
  QUEUE_HISTORY_COLUMNS,
  QUEUE_LIMITS,
  type JobState,
  type QueueHistory,
  type QueueStats,
  type QueueWorker,
  type SeriesName,
} from '../../../../shared/contract';
import type { ChartData } from '../../lib/chart-data';
import { toColumns, type Columns } from '../../lib/history-rows';

type Column = Exclude<keyof QueueHistory, 't'>;

/** The history column of each job state (`waiting-children` is camelCased in the history). */
export const STATE_COLUMN: Record<JobState, Column> = {
  waiting: 'waiting',
  prioritized: 'prioritized',
  delayed: 'delayed',
  active: 'active',
  'waiting-children': 'waitingChildren',
  completed: 'completed',
  failed: 'failed',
  paused: 'paused',
};

const COLUMNS: readonly Column[] = QUEUE_HISTORY_COLUMNS;

/** An empty history (every column present, so converters never meet a missing one). */
export function emptyHistory(): QueueHistory {
  const h = { t: [] } as unknown as QueueHistory;
  for (const c of COLUMNS) h[c] = [];
  return h;
}

/** The values of one point; all null while the queue's poll fails (the chart breaks there). */
export function pointOf(q: QueueStats): Record<Column, number | null> {
  const p = {} as Record<Column, number | null>;
  for (const c of COLUMNS) p[c] = null;
  if (!q.ok) return p;
  for (const s of JOB_STATES) p[STATE_COLUMN[s]] = q.counts[s];
  p.isPaused = q.paused ? 1 : 0;
  p.completedPerSec = q.completedPerSec;
  p.failedPerSec = q.failedPerSec;
  p.waitP50 = q.wait?.p50 ?? null;
  p.waitP95 = q.wait?.p95 ?? null;
  p.waitP99 = q.wait?.p99 ?? null;
  p.runP50 = q.run?.p50 ?? null;
  p.runP95 = q.run?.p95 ?? null;
  p.runP99 = q.run?.p99 ?? null;
  p.workers = q.workers.filter((w) => w.state === 'reporting').length;
  return p;
}

/** Append one tick's point in place, keeping at most `max` points (oldest dropped). */
export function appendPoint(
  h: QueueHistory,
  q: QueueStats,
  t: number,
  max: number = QUEUE_LIMITS.historyPoints,
): void {
  if (h.t.length && t <= h.t.at(-1)!) return; // a replayed or duplicate tick adds nothing
  const p = pointOf(q);
  h.t.push(t);
  for (const c of COLUMNS) h[c].push(p[c]);
  if (h.t.length > max) {
    const cut = h.t.length - max;
    h.t.splice(0, cut);
    for (const c of COLUMNS) h[c].splice(0, cut);
  }
}

/** A field of a chart: its row key and the history column it reads. */
export interface QueueField {
  key: string;
  col: Column;
}

/**
 * Chart columns over the last `windowMs` (t in seconds before the newest point), through the
 * same converter as the machine charts: null values and missing ticks are breaks (NaN), long
 * windows are averaged down to what the chart can draw.
 */
export function queueData(h: QueueHistory, fields: readonly QueueField[], windowMs: number): ChartData {
  // The converter reads `series[name]` only: the queue's columns stand in under their own names.
  const series = {} as Record<string, (number | null)[]>;
  for (const f of fields) series[f.col] = h[f.col];
  const win: Columns = { t: h.t, series: series as Columns['series'] };
  return toColumns(
    win,
    fields.map((f) => ({ key: f.key, series: f.col as SeriesName })),
    windowMs,
  );
}

/** A host with the workers running on it (Spindle's workers report their host; others do not). */
export interface HostGroup {
  host: string;
  /** From the newest report on this host. */
  cores: number | null;
  cpuBusyPct: number | null;
  load: [number, number, number] | null;
  memTotalBytes: number | null;
  memUsedBytes: number | null;
  workers: QueueWorker[];
}

/** Label of the group of workers that send no host report (BullMQ workers not started by Spindle). */
export const UNKNOWN_HOST = 'host not reported';

/** Workers grouped by host name, hosts in name order; a lost worker stays under its last host. */
export function groupByHost(workers: readonly QueueWorker[]): HostGroup[] {
  const groups = new Map<string, HostGroup & { at: number }>();
  for (const w of workers) {
    const r = w.report;
    const host = r?.host ?? UNKNOWN_HOST;
    let g = groups.get(host);
    if (!g) {
      g = {
        host,
        cores: null,
        cpuBusyPct: null,
        load: null,
        memTotalBytes: null,
        memUsedBytes: null,
        workers: [],
        at: -1,
      };
      groups.set(host, g);
    }
    g.workers.push(w);
    // The host's figures come from its freshest report, and a lost worker's never win over a live one.
    const at = r && w.state === 'reporting' ? (r.reportedAt ?? 0) : -1;
    if (r && (at > g.at || g.cores === null)) {
      Object.assign(g, {
        cores: r.cores,
        cpuBusyPct: r.cpuBusyPct,
        load: r.load,
        memTotalBytes: r.memTotalBytes,
        memUsedBytes: r.memUsedBytes,
      });
      g.at = Math.max(g.at, at);
    }
  }
  return [...groups.values()]
    .sort((a, b) =>
      a.host === UNKNOWN_HOST ? 1 : b.host === UNKNOWN_HOST ? -1 : a.host.localeCompare(b.host),
    )
    .map(({ at: _at, ...g }) => g);
}

/** What the add form sends as payload: nothing, a parsed JSON value, or why not. */
export type ParsedPayload =
  | { ok: true; value: unknown }
  | { ok: false; error: { code: 'EJSON' | 'EPAYLOAD_TOO_LARGE'; message: string } };

/**
 * The payload text as JSON, refused here when past the server's limit (the server refuses it
 * too; checking first saves sending 64 KiB+ for nothing). Empty text is no payload.
 */
export function parsePayload(text: string, limit: number = QUEUE_LIMITS.payloadBytes): ParsedPayload {
  if (text.trim() === '') return { ok: true, value: undefined };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: { code: 'EJSON', message: `not JSON: ${(e as Error).message}` } };
  }
  const bytes = new TextEncoder().encode(JSON.stringify(value)).length;
  if (bytes > limit)
    return {
      ok: false,
      error: { code: 'EPAYLOAD_TOO_LARGE', message: `payload is ${bytes} bytes, the limit is ${limit}` },
    };
  return { ok: true, value };
}

/** The washer/dryer demonstration's queues on one connection, when both exist. */
export function stagesOf(
  queues: readonly QueueStats[],
  connectionId: string,
): [QueueStats, QueueStats] | null {
  const wash = queues.find((q) => q.connectionId === connectionId && q.name === 'wash');
  const dry = queues.find((q) => q.connectionId === connectionId && q.name === 'dry');
  return wash && dry ? [wash, dry] : null;
}

/** Jobs not yet finished: what a stage still has to do. */
export function backlog(q: QueueStats): number {
  const c = q.counts;
  return c.waiting + c.prioritized + c.delayed + c.paused + c.active + c['waiting-children'];
}

/** A rate per second, rounded to what reads: "1,234/s", "12/s", "2.5/s", "0.25/s"; "—" when unknown. */
export function fmtRate(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '—';
  const r = v >= 10 ? Math.round(v) : v >= 1 ? Math.round(v * 10) / 10 : Math.round(v * 100) / 100;
  return `${r.toLocaleString('en')}/s`;
}

/** "42 s", "3 m 05 s", "2 h 10 m". */
export function fmtAge(sec: number | null): string {
  if (sec === null || !Number.isFinite(sec)) return '—';
  const s = Math.max(0, Math.round(sec));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} m ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} m`;
}
