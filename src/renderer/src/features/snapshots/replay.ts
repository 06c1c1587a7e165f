/**
 * Replaying a snapshot: the same views, fed from the file instead of the live stream.
 * A replay client answers the read requests views make from the snapshot and refuses
 * every other request, so nothing can act on the machine while looking at the past.
 */
import type { Method, ResultOf, SpindleApi, StatsInitialState } from '../../../../shared/contract';
import type { Result } from '../../../../shared/result';
import type { Snapshot } from '../../../../shared/snapshot/schema';
import { sampleFromSeries } from '../../../../shared/stats/series';
import { StatsHistory } from '../../../../shared/stats/stats-history';
import { RESYNC_EVERY, type HistoryWindow } from '../../../../shared/contract';
import type { Client } from '../../api/client';
import { LiveProcTable } from '../stats/table-view';
import type { StatsState } from '../stats/stats-store';

/** The history window cut at index `i` (inclusive): what was known at that moment. */
export function windowUpTo(win: HistoryWindow, i: number): HistoryWindow {
  const end = i + 1;
  const series: HistoryWindow['series'] = {};
  for (const [k, col] of Object.entries(win.series))
    if (col) series[k as keyof typeof series] = col.slice(0, end);
  const procs: HistoryWindow['procs'] = {};
  for (const [k, p] of Object.entries(win.procs)) {
    procs[k] = {
      name: p.name,
      cpu: p.cpu.slice(0, end),
      rss: p.rss.slice(0, end),
      threads: p.threads.slice(0, end),
    };
  }
  return { t: win.t.slice(0, end), series, procs };
}

/** Retention that holds the whole snapshot. */
const spanMs = (snap: Snapshot): number =>
  Math.max(60_000, (snap.series.t.at(-1) ?? 0) - (snap.series.t[0] ?? 0) + 2 * snap.intervalMs);

/** The stats state as it was at history index `i`; the process table is the one exported. */
export function replayState(snap: Snapshot, i: number): StatsState {
  const last = snap.series.t.length - 1;
  const at = Math.max(0, Math.min(i, last));
  const win = windowUpTo(snap.series, at);
  const latest = last >= 0 ? sampleFromSeries(snap.series, at, snap.intervalMs) : null;
  const procs = new LiveProcTable().reset(snap.processes, latest?.seq ?? 0);
  const top = [...snap.processes]
    .sort((a, b) => b.cpu - a.cpu)
    .slice(0, 20)
    .map((r) => r.key);
  return {
    config: {
      intervalMs: snap.intervalMs,
      retentionMs: spanMs(snap),
      topN: 20,
      resyncEvery: RESYNC_EVERY,
      source: 'procfs',
    },
    intervalMs: snap.intervalMs,
    seq: latest?.seq ?? 0,
    latest,
    procs,
    top,
    history: StatsHistory.fromWindow(win, spanMs(snap), snap.intervalMs),
    error: null,
  };
}

const refuse = (method: string): Result<never> => ({
  ok: false,
  error: { code: 'EREPLAY', message: `${method}: you are viewing a snapshot; return to live to act` },
});

/** A client that serves a snapshot: reads come from the file, everything else is refused. */
export function replayClient(snap: Snapshot, live: Client): Client {
  const answer = (method: Method): unknown => {
    switch (method) {
      case 'system.info':
        return snap.system;
      case 'app.info':
        return { version: snap.spindle, transport: live.transport, readOnly: true };
      case 'audit.list':
        return snap.audit;
      case 'stats.subscribe': {
        const s = replayState(snap, snap.series.t.length - 1);
        const out: StatsInitialState = {
          config: s.config!,
          seq: s.seq,
          latest: s.latest,
          procs: snap.processes,
          top: s.top,
          history: snap.series,
        };
        return out;
      }
      case 'stats.interest':
      case 'stats.unsubscribe':
        return null;
      default:
        return undefined;
    }
  };
  const api: SpindleApi = {
    request: async <M extends Method>(method: M): Promise<Result<ResultOf<M>>> => {
      const value = answer(method);
      return value === undefined ? refuse(method) : { ok: true, value: value as ResultOf<M> };
    },
    on: () => () => {},
  };
  return {
    api,
    transport: live.transport,
    state: live.state,
    onState: live.onState,
    onReconnect: () => () => {},
  };
}
