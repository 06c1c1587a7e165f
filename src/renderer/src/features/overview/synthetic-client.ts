/**
 * A client that feeds the real renderer a synthetic machine (`?bench=synthetic&cores=64&procs=5000`)
 * instead of talking to core: the renderer benchmark drives the real stores and views with it.
 * Each tick's store apply and React commit are timed and kept on `window.__spindleBench`.
 */
import type {
  CpuPct,
  EventName,
  Events,
  HistoryWindow,
  ProcChange,
  PoolsInitialState,
  ProcRow,
  SpindleApi,
  StatsSample,
  StatsInitialState,
} from '../../../../shared/contract';
import { sampleSeries } from '../../../../shared/stats/series';
import type { Result } from '../../../../shared/result';
import type { Client } from '../../api/client';

/** What the benchmark reads back from the page. */
export interface BenchProbe {
  ticks: number;
  /** ms per tick: store apply (sync) + the frame's React render and commit. */
  updateMs: number[];
  /** The store-apply part alone. */
  applyMs: number[];
  /** Wall clock (Date.now) of each tick's apply, so the benchmark can set aside ticks its own probes disturbed. */
  updateAt: number[];
  cores: number;
  procs: number;
}

declare global {
  interface Window {
    __spindleBench?: BenchProbe;
  }
}

const NAMES = [
  'node',
  'chromium',
  'postgres',
  'nginx',
  'python3',
  'bash',
  'java',
  'redis-server',
  'sshd',
  'kworker/3:1',
];
const USERS = ['root', 'www-data', 'postgres', 'alice', 'bob'];
const STATES = ['S', 'S', 'S', 'S', 'R', 'I', 'D'];

/** A small deterministic PRNG so runs are comparable. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The synthetic client, or null when the page was not opened with `?bench=synthetic`. */
export function syntheticClientFromUrl(): Client | null {
  const q = new URLSearchParams(location.search);
  if (q.get('bench') !== 'synthetic') return null;
  return createSyntheticClient(
    Number(q.get('cores')) || 64,
    Number(q.get('procs')) || 5000,
    Number(q.get('hz')) || 1,
  );
}

export function createSyntheticClient(cores: number, procCount: number, hz: number): Client {
  const rand = rng(42);
  const intervalMs = Math.round(1000 / hz);
  const listeners = new Map<EventName, Set<(p: never) => void>>();
  const probe: BenchProbe = { ticks: 0, updateMs: [], applyMs: [], updateAt: [], cores, procs: procCount };
  window.__spindleBench = probe;
  let nextPid = 300;
  let seq = 600;
  const rows = new Map<string, ProcRow>();
  const newRow = (): ProcRow => {
    const pid = nextPid++;
    const parents = [...rows.values()];
    const parent =
      parents.length && rand() < 0.9 ? parents[Math.floor(rand() * Math.min(parents.length, 400))]! : null;
    const name = NAMES[Math.floor(rand() * NAMES.length)]!;
    return {
      key: `${pid}:${pid * 7}`,
      pid,
      ppid: parent?.pid ?? 1,
      name,
      cmd: `/usr/bin/${name} --worker ${pid} --config /etc/${name}/${name}.conf`,
      user: USERS[Math.floor(rand() * USERS.length)]!,
      state: STATES[Math.floor(rand() * STATES.length)]!,
      cpu: 0,
      cpuNorm: 0,
      rss: Math.floor(rand() * 500) * 1024 * 1024,
      vsize: Math.floor(rand() * 4000) * 1024 * 1024,
      threads: 1 + Math.floor(rand() * 40),
      fds: Math.floor(rand() * 200),
      startTime: Date.now() - 1e6 + pid,
      nice: 0,
      priority: 20,
      readBps: 0,
      writeBps: 0,
    };
  };
  for (let i = 0; i < procCount; i++) {
    const r = newRow();
    rows.set(r.key, r);
  }
  const core = (): CpuPct => {
    const user = rand() * 70;
    const system = rand() * 15;
    const iowait = rand() * 5;
    const steal = rand() * 2;
    const idle = Math.max(0, 100 - user - system - iowait - steal);
    return {
      user,
      nice: 0,
      system,
      idle,
      iowait,
      irq: 0,
      softirq: 0,
      steal,
      guest: 0,
      busy: 100 - idle - iowait,
    };
  };
  const sample = (t: number, s: number): StatsSample => {
    const cs = Array.from({ length: cores }, core);
    return {
      seq: s,
      t,
      intervalMs,
      cpu: { total: cs[0]!, cores: cs },
      load: { one: rand() * cores, five: cores / 2, fifteen: cores / 3 },
      mem: {
        total: 256 * 2 ** 30,
        used: 100 * 2 ** 30,
        available: 156 * 2 ** 30,
        free: 50 * 2 ** 30,
        buffers: 2 ** 30,
        cached: 40 * 2 ** 30,
        swapTotal: 8 * 2 ** 30,
        swapUsed: 2 ** 30,
      },
      tasks: {
        processes: rows.size,
        threads: rows.size * 8,
        running: 4,
        blocked: 0,
        ctxtPerSec: 50_000 + rand() * 1000,
        forksPerSec: 10,
      },
      self: {
        pid: 300,
        cpuMs: 5,
        cpuSource: 'thread',
        processCpuMs: 20,
        rssBytes: 150 * 2 ** 20,
        heapBytes: 30 * 2 ** 20,
      },
    };
  };
  // A full 10-minute history up front, so the store is at its retention from the start and
  // heap growth measures leaks, not the window filling.
  const history = (): HistoryWindow => {
    const now = Date.now();
    const samples = Array.from({ length: 600 }, (_, i) => sample(now - (600 - i) * intervalMs, i + 1));
    const t = samples.map((s) => s.t);
    const series: HistoryWindow['series'] = {};
    samples.forEach((s, i) => {
      for (const [name, v] of sampleSeries(s)) (series[name] ??= new Array(samples.length).fill(null))[i] = v;
    });
    return { t, series, procs: {} };
  };
  const top = (): string[] =>
    [...rows.values()]
      .sort((a, b) => b.cpu - a.cpu)
      .slice(0, 10)
      .map((r) => r.key);

  const tick = (): void => {
    const base = seq++;
    const changed: ProcChange[] = [];
    for (const r of rows.values()) {
      if (rand() < 0.3) {
        const cpu = Math.round(rand() * rand() * 400) / 10;
        const next = {
          ...r,
          cpu,
          cpuNorm: Math.round((cpu / cores) * 100) / 100,
          rss: r.rss + Math.floor((rand() - 0.5) * 1e6),
        };
        rows.set(r.key, next);
        changed.push({ key: r.key, cpu: next.cpu, cpuNorm: next.cpuNorm, rss: next.rss });
      }
    }
    const removed: string[] = [];
    const keys = [...rows.keys()];
    for (let i = 0; i < 10; i++) {
      const k = keys[Math.floor(rand() * keys.length)]!;
      if (rows.delete(k)) removed.push(k);
    }
    const added: ProcRow[] = [];
    while (rows.size < procCount) {
      const r = newRow();
      rows.set(r.key, r);
      added.push(r);
    }
    const payload: Events['stats'] = {
      sample: sample(Date.now(), seq),
      procs: { base, added, removed, changed, resync: [], count: rows.size },
      top: top(),
      interest: [],
    };
    // rAF callbacks run in order: `before` runs just ahead of the store's flush, `after` once
    // React has rendered and committed what the flush scheduled.
    let before = 0;
    requestAnimationFrame(() => (before = performance.now()));
    const at = Date.now();
    const t0 = performance.now();
    for (const l of listeners.get('stats') ?? []) (l as (p: Events['stats']) => void)(payload);
    const applyMs = performance.now() - t0;
    requestAnimationFrame(() => {
      probe.updateMs.push(applyMs + (performance.now() - before));
      probe.applyMs.push(applyMs);
      probe.updateAt.push(at);
      probe.ticks++;
    });
  };

  const api: SpindleApi = {
    request: async (method) => {
      const ok = <T>(value: T): Result<T> => ({ ok: true, value });
      switch (method) {
        case 'stats.subscribe': {
          const snap: StatsInitialState = {
            config: { intervalMs, retentionMs: 600_000, topN: 10, resyncEvery: 1e9, source: 'procfs' },
            seq,
            latest: sample(Date.now(), seq),
            procs: [...rows.values()],
            top: top(),
            history: history(),
          };
          return ok(snap) as never;
        }
        case 'system.info':
          return ok({
            hostname: 'synthetic',
            platform: 'linux',
            distro: 'bench',
            release: '',
            arch: 'x64',
            cpuModel: 'synthetic',
            cores,
            memTotal: 256 * 2 ** 30,
          }) as never;
        case 'app.info':
          return ok({ version: 'bench', transport: 'web', readOnly: true }) as never;
        case 'audit.list':
          return ok([]) as never;
        case 'stats.interest':
          return ok(null) as never;
        // The Managed and Pools views open on an idle machine: nothing launched, no pools.
        case 'supervisor.subscribe':
          return ok([]) as never;
        case 'pools.subscribe': {
          const none: PoolsInitialState = {
            reason: 'change',
            t: Date.now(),
            pools: [],
            pipelines: [],
            lab: null,
            cores,
            history: {},
          };
          return ok(none) as never;
        }
        default:
          return {
            ok: false,
            error: { code: 'EUNSUPPORTED', message: `${method} is not part of the synthetic feed` },
          };
      }
    },
    on: (event, listener) => {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (p: never) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (p: never) => void);
    },
  };
  setTimeout(function loop() {
    tick();
    setTimeout(loop, intervalMs);
  }, intervalMs);
  return {
    api,
    transport: 'web',
    state: () => 'connected',
    onState: () => () => {},
    onReconnect: () => () => {},
  };
}
