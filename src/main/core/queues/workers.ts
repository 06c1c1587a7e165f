/**
 * The workers of a queue: BullMQ's (CLIENT LIST, where each Worker's connection is named
 * `<prefix>:<base64 queue>` or `<prefix>:<base64 queue>:w:<worker name>`) joined by worker
 * id with the host reports Spindle's headless workers write (queues-shared.md), whose
 * worker name is the report's id. One CLIENT LIST per connection per tick serves every queue.
 */
import type { HostReport, QueueWorker } from '../../../shared/contract';
import type { PollResult } from './poll-script';

/** A BullMQ worker connection seen in CLIENT LIST. */
export interface BullClient {
  /** The worker's `name` option ('' when unnamed). */
  name: string;
  addr: string;
  ageSec: number;
}

/** Workers per queue name from CLIENT LIST text, for one key prefix. */
export function parseClientList(text: string, prefix: string): Map<string, BullClient[]> {
  const out = new Map<string, BullClient[]>();
  const head = `${prefix}:`;
  for (const line of text.split(/\r?\n/)) {
    const name = /(?:^| )name=(\S*)/.exec(line)?.[1];
    if (!name?.startsWith(head)) continue;
    const rest = name.slice(head.length);
    const w = rest.indexOf(':w:');
    const b64 = w >= 0 ? rest.slice(0, w) : rest;
    if (!/^[A-Za-z0-9+/]+=*$/.test(b64)) continue; // QueueEvents (`:qe`) and others are not workers
    const queue = Buffer.from(b64, 'base64').toString('utf8');
    const client: BullClient = {
      name: w >= 0 ? rest.slice(w + 3) : '',
      addr: /(?:^| )addr=(\S*)/.exec(line)?.[1] ?? '',
      ageSec: Number(/(?:^| )age=(\d+)/.exec(line)?.[1] ?? NaN),
    };
    const list = out.get(queue) ?? [];
    // A Worker may name more than one connection: keep one entry per worker.
    const key = client.name || client.addr;
    if (!list.some((c) => (c.name || c.addr) === key)) list.push(client);
    out.set(queue, list);
  }
  return out;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown, max = 256): string => (typeof v === 'string' ? v.slice(0, max) : '');

/** A report made safe: only the agreed fields, typed and bounded (it came from anyone who can write to Redis). */
export function parseReport(text: string, activeLimit: number): HostReport | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null; // not a report we understand: shown as a worker without host data
  }
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  const load = Array.isArray(r.load) && r.load.length === 3 && r.load.every((x) => num(x) !== null);
  const active = Array.isArray(r.active) ? r.active.slice(0, activeLimit) : [];
  return {
    v: 1,
    id: str(r.id),
    name: str(r.name),
    host: str(r.host),
    pid: num(r.pid) ?? 0,
    cores: num(r.cores),
    cpuBusyPct: num(r.cpuBusyPct),
    load: load ? (r.load as [number, number, number]) : null,
    memTotalBytes: num(r.memTotalBytes),
    memUsedBytes: num(r.memUsedBytes),
    concurrency: num(r.concurrency),
    active: active.map((a: unknown) => {
      const j = (typeof a === 'object' && a !== null ? a : {}) as Record<string, unknown>;
      return { jobId: str(j.jobId), name: str(j.name), elapsedMs: num(j.elapsedMs) ?? 0 };
    }),
    processed: num(r.processed),
    failed: num(r.failed),
    startedAt: num(r.startedAt),
    reportedAt: num(r.reportedAt),
    version: typeof r.version === 'string' ? r.version.slice(0, 64) : null,
  };
}

/** Join the reports read by the poll with BullMQ's clients of the same queue. */
export function joinWorkers(
  poll: Pick<PollResult, 'members' | 'reports'>,
  clients: readonly BullClient[],
  lastReports: Map<string, HostReport>,
  limits: { workers: number; active: number },
): { workers: QueueWorker[]; omitted: number } {
  const byName = new Map(clients.filter((c) => c.name).map((c) => [c.name, c]));
  const workers: QueueWorker[] = [];
  const seen = new Set<string>();
  poll.members.forEach((m, i) => {
    const text = poll.reports[i] ?? null;
    const fresh = text !== null ? parseReport(text, limits.active) : null;
    if (fresh) lastReports.set(m.id, fresh);
    const c = byName.get(m.id);
    seen.add(m.id);
    workers.push({
      id: m.id,
      state: text !== null ? 'reporting' : 'lost',
      addr: c?.addr ?? null,
      ageSec: c?.ageSec ?? null,
      report: fresh ?? lastReports.get(m.id) ?? null,
      lastSeen: m.lastSeen,
    });
  });
  for (const c of clients) {
    const id = c.name || c.addr;
    if (seen.has(id)) continue;
    seen.add(id);
    workers.push({ id, state: 'bullmq', addr: c.addr, ageSec: c.ageSec, report: null, lastSeen: null });
  }
  // Forget the last reports of workers no longer in the set (trimmed after 10 min).
  for (const id of lastReports.keys()) if (!seen.has(id)) lastReports.delete(id);
  return { workers: workers.slice(0, limits.workers), omitted: Math.max(0, workers.length - limits.workers) };
}
