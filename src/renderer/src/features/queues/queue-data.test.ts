import { describe, expect, it } from 'vitest';
import type { HostReport, QueueStats, QueueWorker } from '../../../../shared/contract';
import {
  appendPoint,
  backlog,
  emptyHistory,
  groupByHost,
  parsePayload,
  queueData,
  stagesOf,
  UNKNOWN_HOST,
} from './queue-data';
import { applyTick, initialQueuesState } from './queues-state';
import { backlogData } from '../../lib/queue-backlog';

const counts = (waiting: number, active = 0) => ({
  waiting,
  prioritized: 0,
  delayed: 0,
  active,
  'waiting-children': 0,
  completed: 0,
  failed: 0,
  paused: 0,
});

function stats(over: Partial<QueueStats> = {}): QueueStats {
  return {
    key: 'c1/q',
    connectionId: 'c1',
    name: 'q',
    ok: true,
    polledAt: 0,
    counts: counts(5, 2),
    paused: false,
    completedPerSec: 3,
    failedPerSec: 0,
    wait: { p50: 10, p95: 20, p99: 30, n: 9 },
    run: null,
    workers: [],
    workersOmitted: 0,
    ...over,
  };
}

function report(host: string, pid: number, reportedAt: number, cpu: number): HostReport {
  return {
    v: 1,
    id: `${host}:${pid}:w`,
    name: 'w',
    host,
    pid,
    cores: 4,
    cpuBusyPct: cpu,
    load: [1, 1, 1],
    memTotalBytes: 8,
    memUsedBytes: 4,
    concurrency: 8,
    active: [],
    processed: 0,
    failed: 0,
    startedAt: 0,
    reportedAt,
    version: '1',
  };
}

const worker = (state: QueueWorker['state'], r: HostReport | null): QueueWorker => ({
  id: r?.id ?? 'bare',
  state,
  addr: null,
  ageSec: 1,
  report: r,
  lastSeen: r?.reportedAt ?? null,
});

describe('queue history', () => {
  it('appends one point per tick, all null while the queue is not polled (a gap, not zeros)', () => {
    const h = emptyHistory();
    appendPoint(h, stats(), 1000);
    appendPoint(h, stats({ ok: false }), 2000);
    appendPoint(h, stats({ counts: counts(1) }), 3000);
    expect(h.t).toEqual([1000, 2000, 3000]);
    expect(h.waiting).toEqual([5, null, 1]);
    expect(h.completedPerSec).toEqual([3, null, 3]);
    expect(h.waitP95).toEqual([20, null, 20]);
    expect(h.runP50).toEqual([null, null, null]);
  });

  it('keeps at most max points and ignores a tick that is not newer', () => {
    const h = emptyHistory();
    for (let t = 1; t <= 5; t++) appendPoint(h, stats({ counts: counts(t) }), t * 1000, 3);
    appendPoint(h, stats(), 5000, 3);
    expect(h.t).toEqual([3000, 4000, 5000]);
    expect(h.waiting).toEqual([3, 4, 5]);
  });

  it('draws a break where the connection was down, and across missing ticks', () => {
    const h = emptyHistory();
    appendPoint(h, stats(), 1000);
    appendPoint(h, stats(), 2000);
    appendPoint(h, stats({ ok: false }), 3000);
    appendPoint(h, stats(), 4000);
    appendPoint(h, stats(), 5000);
    appendPoint(h, stats(), 20_000); // 15 s without a tick
    const data = queueData(h, [{ key: 'waiting', col: 'waiting' }], 60_000);
    expect(data.cols.waiting).toEqual([5, 5, NaN, 5, 5, NaN, 5]);
    expect(data.t.at(-1)).toBe(0);
  });

  it('puts stages on one time axis: backlog = to do + in progress, a gap where a stage has no point', () => {
    const wash = emptyHistory();
    const dry = emptyHistory();
    appendPoint(wash, stats({ counts: { ...counts(4, 2), delayed: 1, prioritized: 1, paused: 1 } }), 1000);
    appendPoint(wash, stats({ ok: false }), 2000);
    appendPoint(wash, stats({ counts: counts(3) }), 3000);
    // The dry stage was found a tick later.
    appendPoint(dry, stats({ counts: counts(0, 1) }), 2000);
    appendPoint(dry, stats({ counts: counts(7, 1) }), 3000);
    const data = backlogData(
      [
        { key: 'wash', h: wash },
        { key: 'dry', h: dry },
      ],
      60_000,
    );
    expect(data.t).toEqual([-2, -1, 0]);
    expect(data.at).toEqual([1000, 2000, 3000]);
    expect(data.cols.wash).toEqual([9, NaN, 3]);
    expect(data.cols.dry).toEqual([NaN, 1, 8]);
    // The same ticks: the one axis as it is; a stage with no history draws nothing.
    const one = backlogData(
      [
        { key: 'wash', h: dry },
        { key: 'dry', h: undefined },
      ],
      60_000,
    );
    expect(one.cols.wash).toEqual([1, 8]);
    expect(one.cols.dry).toEqual([NaN, NaN]);
  });

  it('applyTick adds a point only on a tick, and drops queues that are gone', () => {
    let s = applyTick(initialQueuesState(), {
      reason: 'tick',
      t: 1000,
      connections: [],
      queues: [stats(), stats({ key: 'c1/old', name: 'old' })],
      producers: [],
    });
    s = applyTick(s, { reason: 'change', t: 1500, connections: [], queues: [stats()], producers: [] });
    s = applyTick(s, { reason: 'tick', t: 2000, connections: [], queues: [stats()], producers: [] });
    expect(Object.keys(s.history)).toEqual(['c1/q']);
    expect(s.history['c1/q']!.t).toEqual([1000, 2000]);
    expect(s.ready).toBe(true);
  });
});

describe('workers by host', () => {
  it('groups workers by reported host, hosts in name order, unreported ones last', () => {
    const g = groupByHost([
      worker('reporting', report('washer-b', 2, 100, 50)),
      worker('bullmq', null),
      worker('reporting', report('washer-a', 1, 100, 10)),
      worker('reporting', report('washer-b', 3, 200, 70)),
    ]);
    expect(g.map((h) => [h.host, h.workers.length])).toEqual([
      ['washer-a', 1],
      ['washer-b', 2],
      [UNKNOWN_HOST, 1],
    ]);
    // The host's figures are its freshest report's.
    expect(g[1]!.cpuBusyPct).toBe(70);
  });

  it("a lost worker's old report never overrides a live one on the same host", () => {
    const g = groupByHost([
      worker('reporting', report('h', 1, 100, 20)),
      worker('lost', report('h', 2, 900, 99)),
    ]);
    expect(g[0]!.cpuBusyPct).toBe(20);
    expect(g[0]!.workers.map((w) => w.state)).toEqual(['reporting', 'lost']);
  });
});

describe('add form payload', () => {
  it('empty text is no payload; JSON is parsed', () => {
    expect(parsePayload('  ')).toEqual({ ok: true, value: undefined });
    expect(parsePayload('{"a":[1,2]}')).toEqual({ ok: true, value: { a: [1, 2] } });
  });

  it('refuses text that is not JSON, and JSON past the limit in UTF-8 bytes, with codes', () => {
    expect(parsePayload('{nope').ok).toBe(false);
    expect(parsePayload('{nope')).toMatchObject({ error: { code: 'EJSON' } });
    // 10 two-byte characters are 20 bytes (+2 quotes): past a 21-byte limit, within 22.
    expect(parsePayload(JSON.stringify('é'.repeat(10)), 21)).toMatchObject({
      ok: false,
      error: { code: 'EPAYLOAD_TOO_LARGE' },
    });
    expect(parsePayload(JSON.stringify('é'.repeat(10)), 22).ok).toBe(true);
  });
});

describe('stages', () => {
  it('finds wash and dry on the same connection only', () => {
    const wash = stats({ key: 'c1/wash', name: 'wash', counts: counts(1, 2) });
    const dry = stats({ key: 'c1/dry', name: 'dry', counts: counts(30, 2) });
    const otherDry = stats({ key: 'c2/dry', connectionId: 'c2', name: 'dry' });
    expect(stagesOf([wash, otherDry, dry], 'c1')).toEqual([wash, dry]);
    expect(stagesOf([wash, otherDry], 'c1')).toBeNull();
    expect(backlog(dry)).toBe(32);
  });
});
