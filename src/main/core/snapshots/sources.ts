import type { AuditEntry, HistoryWindow, ProcRow, SystemInfo } from '../../../shared/contract';
import type { SnapshotManaged, SnapshotPool, SnapshotQueue } from '../../../shared/snapshot/schema';

/** Where a snapshot's parts come from; Core provides one backed by its areas. */
export interface SnapshotSources {
  version: string;
  intervalMs(): number;
  system(): Promise<SystemInfo>;
  history(): HistoryWindow;
  processes(): ProcRow[];
  managed(): SnapshotManaged[];
  pools(): SnapshotPool[];
  audit(): AuditEntry[];
  /** Watched queues with their history and workers seen (version 2). */
  queues(): SnapshotQueue[];
}

/** Everything a snapshot holds, gathered at one moment (history columns are shared, not copied). */
export interface SnapshotParts {
  createdAt: number;
  spindle: string;
  intervalMs: number;
  system: SystemInfo;
  series: HistoryWindow;
  processes: ProcRow[];
  managed: SnapshotManaged[];
  pools: SnapshotPool[];
  audit: AuditEntry[];
  queues: SnapshotQueue[];
}

/** Take every part at once. */
export async function gather(src: SnapshotSources, now = Date.now()): Promise<SnapshotParts> {
  return {
    createdAt: now,
    spindle: src.version,
    intervalMs: src.intervalMs(),
    system: await src.system(),
    series: src.history(),
    processes: src.processes(),
    managed: src.managed(),
    pools: src.pools(),
    audit: src.audit(),
    queues: src.queues(),
  };
}
