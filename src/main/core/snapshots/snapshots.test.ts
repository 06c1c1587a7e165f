import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { QUEUE_HISTORY_COLUMNS, type HistoryWindow, type ProcRow } from '../../../shared/contract';
import { parseSnapshot } from '../../../shared/snapshot/read';
import { parseProcessesCsv } from '../../../shared/snapshot/read-csv';
import { csvCell, csvRow } from '../../../shared/snapshot/csv';
import { PROC_COLUMNS } from '../../../shared/snapshot/columns';
import { Snapshots, suggestedName } from './snapshots';
import type { SnapshotSources } from './sources';
import type { SnapshotQueue } from '../../../shared/snapshot/schema';
import { writeFileAtomic } from './write';
import { parseDuration } from './duration';

const row = (pid: number, over: Partial<ProcRow> = {}): ProcRow => ({
  key: `${pid}:${1000 + pid}`,
  pid,
  ppid: 1,
  name: `proc${pid}`,
  cmd: `/usr/bin/proc${pid} --flag`,
  user: 'root',
  state: 'S',
  cpu: pid / 10,
  cpuNorm: pid / 20,
  rss: pid * 4096,
  vsize: pid * 8192,
  threads: 1 + (pid % 4),
  fds: pid % 3 === 0 ? null : 5,
  startTime: 1_700_000_000_000 + pid,
  nice: 0,
  priority: 20,
  readBps: null,
  writeBps: 0,
  ...over,
});

function sources(
  n = 50,
  points = 120,
  procs: ProcRow[] = Array.from({ length: n }, (_, i) => row(i + 2)),
): SnapshotSources {
  const t = Array.from({ length: points }, (_, i) => 1_700_000_000_000 + i * 1000);
  const history: HistoryWindow = {
    t,
    series: {
      'cpu.busy': t.map((_, i) => (i === 5 ? null : (i * 7) % 100)),
      'cpu0.user': t.map((_, i) => i % 50),
      'load.one': t.map(() => 0.25),
      'mem.used': t.map((_, i) => 1e9 + i),
    },
    procs: {
      '2:1002': {
        name: 'proc2',
        cpu: t.map((_, i) => (i < 3 ? null : i)),
        rss: t.map(() => 4096),
        threads: t.map(() => 1),
      },
    },
  };
  return {
    version: '0.1.0',
    intervalMs: () => 1000,
    system: async () => ({
      hostname: 'test-host',
      platform: 'linux',
      distro: 'Debian',
      release: '12',
      arch: 'x64',
      cpuModel: 'Test CPU',
      cores: 2,
      memTotal: 8e9,
    }),
    history: () => history,
    processes: () => procs,
    managed: () => [
      {
        id: 'm1',
        name: 'web',
        command: 'node',
        args: ['server.js', '; rm -rf x'],
        state: 'exited',
        pid: null,
        startTime: null,
        exitCode: 3,
        signal: null,
        restarts: 2,
        startedAt: 1,
        exitedAt: 2,
        output: { lines: [{ stream: 'stdout', text: 'hello', t: 1 }], dropped: 7 },
      },
    ],
    pools: () => [],
    queues: () => [queueRow(t)],
    audit: () => [
      {
        seq: 1,
        t: 5,
        client: 'web 127.0.0.1:1',
        action: 'signal SIGTERM',
        target: { pid: 9, startTime: 3, name: 'x' },
        outcome: 'ok',
        detail: 'gone after 12 ms',
      },
    ],
  };
}

/** A watched queue as the engine stores it (format v2). */
function queueRow(t: number[]): SnapshotQueue {
  const col = (v: number): (number | null)[] => t.map((_, i) => (i === 2 ? null : v));
  return {
    connection: { id: 'c1', name: 'local', url: 'redis://:***@127.0.0.1:6379', prefix: 'bull' },
    name: 'wash',
    stats: {
      counts: {
        waiting: 5,
        prioritized: 0,
        delayed: 1,
        active: 2,
        'waiting-children': 0,
        completed: 40,
        failed: 1,
        paused: 0,
      },
      paused: false,
      completedPerSec: 12.5,
      failedPerSec: 0,
      wait: { p50: 3, p95: 9, p99: 12, n: 40 },
      run: null,
    },
    history: {
      t,
      ...Object.fromEntries(QUEUE_HISTORY_COLUMNS.map((c) => [c, col(1)])),
    } as SnapshotQueue['history'],
    workers: [
      {
        id: 'host-a:12:w',
        state: 'lost',
        addr: null,
        host: 'host-a',
        pid: 12,
        cores: 4,
        concurrency: 8,
        processed: 40,
        failed: 1,
        lastSeen: 1_700_000_000_000,
      },
    ],
  };
}

const tmp = (): string => mkdtempSync(join(tmpdir(), 'spindle-snap-'));

describe('snapshot export and open', () => {
  it('round-trips: what is exported reads back with the same numbers', async () => {
    const src = sources();
    const dir = tmp();
    const file = join(dir, 'snap.json');
    const { bytes } = await new Snapshots(src).writeFile(file, 'json');
    expect(bytes).toBeGreaterThan(1000);
    const back = await Snapshots.readFile(file);
    expect(back.ok).toBe(true);
    if (!back.ok) return;
    const s = back.value;
    expect(s.version).toBe(2);
    expect(s.queues).toEqual(src.queues());
    expect(s.queues[0]!.history.waiting[2]).toBeNull();
    expect(s.system.hostname).toBe('test-host');
    expect(s.processes).toEqual(src.processes());
    expect(s.series.t).toEqual(src.history().t);
    expect(s.series.series['cpu.busy']).toEqual(src.history().series['cpu.busy']);
    expect(s.series.series['cpu.busy']![5]).toBeNull(); // a gap stays a gap, not a zero
    expect(s.series.procs['2:1002']!.cpu.slice(0, 4)).toEqual([null, null, null, 3]);
    expect(s.managed[0]!.args).toEqual(['server.js', '; rm -rf x']);
    expect(s.audit[0]!.detail).toBe('gone after 12 ms');
  });

  it('round-trips rows with every nullable field null (as the non-Linux collector sends) through JSON and CSV', async () => {
    // What the systeminformation collector reports: no thread, fd or I/O counts, sometimes no user.
    const unknowns = { threads: null, fds: null, user: null, readBps: null, writeBps: null };
    const rows = [
      row(2, unknowns),
      row(3, { ...unknowns, name: '=cmd|x', cmd: '' }),
      row(4, { cmd: 'a,"b"\nc' }),
    ];
    const src = sources(0, 3, rows);
    const dir = tmp();
    await new Snapshots(src).writeFile(join(dir, 's.json'), 'json');
    const json = await Snapshots.readFile(join(dir, 's.json'));
    expect(json).toMatchObject({ ok: true });
    if (json.ok) expect(json.value.processes).toEqual(rows);
    await new Snapshots(src).writeFile(join(dir, 'p.csv'), 'csv-processes');
    const csv = parseProcessesCsv(readFileSync(join(dir, 'p.csv'), 'utf8'));
    expect(csv).toEqual({ ok: true, value: rows });
  });

  it('the CSV reader refuses a null where the contract has none, naming line and field', () => {
    const cells = PROC_COLUMNS.map((c) => (c === 'rss' ? null : row(5)[c]));
    const r = parseProcessesCsv(csvRow(PROC_COLUMNS) + csvRow(cells));
    expect(r).toMatchObject({ ok: false, error: { code: 'ESNAPSHOT_INVALID' } });
    expect(!r.ok && r.error.message).toMatch(/^line 2: rss/);
  });

  it('writes CSV per RFC 4180 with formula cells made inert', async () => {
    const evil = row(7, { name: '=HYPERLINK("http://x")', cmd: 'a,"b"\nc', user: '@root' });
    const src = sources(0, 3, [evil, row(8, { nice: -5 })]);
    const dir = tmp();
    await new Snapshots(src).writeFile(join(dir, 'p.csv'), 'csv-processes');
    const text = readFileSync(join(dir, 'p.csv'), 'utf8');
    const lines = text.split('\r\n');
    expect(lines[0]).toMatch(/^pid,ppid,name,user,state,cpu/);
    expect(text).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(text).toContain(`'@root`);
    expect(text).toContain('"a,""b""\nc"');
    expect(lines[2]).toContain(',-5,'); // numbers are numbers, not made inert
    await new Snapshots(src).writeFile(join(dir, 's.csv'), 'csv-series');
    const series = readFileSync(join(dir, 's.csv'), 'utf8').split('\r\n');
    expect(series[0]).toBe('time,t_ms,cpu.busy,cpu0.user,load.one,mem.used');
    expect(series[1]).toMatch(/^2023-11-14T22:13:20.000Z,1700000000000,0,0,0.25,1000000000$/);
  });

  it('never leaves a partial file at the target when writing fails midway', async () => {
    const dir = tmp();
    const target = join(dir, 'snap.json');
    writeFileSync(target, 'previous good file');
    await expect(
      writeFileAtomic(target, async (s) => {
        s.write('{"version":1,"half":');
        throw new Error('crash mid-export');
      }),
    ).rejects.toThrow('crash mid-export');
    expect(readFileSync(target, 'utf8')).toBe('previous good file');
    expect(readdirSync(dir)).toEqual(['snap.json']); // the temporary file is gone too
  });

  it('reports a missing folder as a clear error', async () => {
    const src = sources();
    await expect(
      new Snapshots(src).writeFile('/nonexistent-dir-xyz/snap.json', 'json'),
    ).rejects.toMatchObject({
      code: 'ENOENT_DIR',
    });
  });

  it('streams a large export (1 h at 1 Hz, 2,000 processes) without holding it in memory', async () => {
    const points = 3600;
    const procs = Array.from({ length: 2000 }, (_, i) => row(i + 2));
    const base = sources(0, points, procs);
    const hist = base.history();
    // Per-process series for 200 processes of interest, as the sampler keeps.
    for (let i = 0; i < 200; i++) {
      const col = () => hist.t.map((_, j) => (j * i) % 100);
      hist.procs[`${i + 2}:${1002 + i}`] = { name: `p${i}`, cpu: col(), rss: col(), threads: col() };
    }
    for (let c = 0; c < 64; c++) hist.series[`cpu${c}.busy`] = hist.t.map((_, j) => (j + c) % 100);
    const src = base;
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    let written = 0;
    const sink = new Writable({
      highWaterMark: 1 << 20,
      write(chunk: Buffer, _enc, cb) {
        written += chunk.length;
        peak = Math.max(peak, process.memoryUsage().rss);
        setImmediate(cb); // a slow disk: back pressure must hold
      },
    });
    await new Snapshots(src).stream('json', sink);
    expect(written).toBeGreaterThan(5e6);
    expect(peak - before).toBeLessThan(100 * 1024 * 1024);
  });

  it('suggests a safe file name', () => {
    expect(suggestedName('my host/../x', 'json', new Date('2026-01-02T03:04:05.678Z'))).toBe(
      'spindle-my_host_.._x-2026-01-02T03-04-05Z.json',
    );
  });
});

describe('opening hostile or broken snapshots', () => {
  const good = async (): Promise<string> => {
    const dir = tmp();
    await new Snapshots(sources(5, 10)).writeFile(join(dir, 's.json'), 'json');
    return readFileSync(join(dir, 's.json'), 'utf8');
  };

  it('accepts the good file', async () => {
    expect(parseSnapshot(await good()).ok).toBe(true);
  });

  it('still reads a version 1 file (no queues), as version 2 with no queues', async () => {
    const v2 = JSON.parse(await good()) as Record<string, unknown>;
    const { queues: _queues, ...rest } = v2;
    const r = parseSnapshot(JSON.stringify({ ...rest, version: 1 }));
    expect(r.ok && r.value.version === 2 && r.value.queues.length === 0).toBe(true);
    // A version 1 file with a queues field is not a version 1 file.
    expect(parseSnapshot(JSON.stringify({ ...v2, version: 1 }))).toMatchObject({
      ok: false,
      error: { code: 'ESNAPSHOT_INVALID' },
    });
  });

  it.each([
    ['an empty file', () => '', 'ESNAPSHOT_EMPTY'],
    ['a truncated file', (g: string) => g.slice(0, g.length / 2), 'ESNAPSHOT_MALFORMED'],
    ['not JSON at all', () => 'PK\u0003\u0004 zip bytes', 'ESNAPSHOT_MALFORMED'],
    ['a JSON array', () => '[1,2,3]', 'ESNAPSHOT_MALFORMED'],
    ['a newer version', (g: string) => g.replace('"version":2', '"version":99'), 'ESNAPSHOT_VERSION'],
    ['a string version', (g: string) => g.replace('"version":2', '"version":"2"'), 'ESNAPSHOT_VERSION'],
    ['no version', () => '{"system":{}}', 'ESNAPSHOT_VERSION'],
    [
      'deep nesting',
      () => `{"version":1,"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
      'ESNAPSHOT_TOO_DEEP',
    ],
    [
      'a __proto__ key',
      (g: string) => g.replace('"system":{', '"system":{"__proto__":{"polluted":true},'),
      'ESNAPSHOT_FORBIDDEN_KEY',
    ],
    [
      'a constructor key',
      (g: string) => g.replace('"managed":[', '"managed":[{"constructor":{"prototype":{}}},'),
      'ESNAPSHOT_FORBIDDEN_KEY',
    ],
    ['a wrong type', (g: string) => g.replace('"pid":2,', '"pid":"2",'), 'ESNAPSHOT_INVALID'],
    [
      'a huge string',
      (g: string) => g.replace('"name":"proc2"', `"name":"${'A'.repeat(2_000_000)}"`),
      'ESNAPSHOT_INVALID',
    ],
    [
      'an unknown top-level key',
      (g: string) => g.replace('{"version":2,', '{"version":2,"evil":1,'),
      'ESNAPSHOT_INVALID',
    ],
    [
      'series of mismatched length',
      (g: string) => g.replace('"load.one":[0.25,', '"load.one":['),
      'ESNAPSHOT_INVALID',
    ],
  ])('refuses %s with a clear error', async (_name, mutate, code) => {
    const text = mutate(await good());
    const r = parseSnapshot(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe(code);
      expect(r.error.message.length).toBeGreaterThan(10);
      expect(r.error.message.length).toBeLessThan(400);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('names the field that is wrong', async () => {
    const r = parseSnapshot((await good()).replace('"pid":2,', '"pid":"2",'));
    expect(!r.ok && r.error.message).toMatch(/snapshot\.processes\[0\]\.pid/);
  });

  it('reads a missing file, or a folder, as a clear error value', async () => {
    expect(await Snapshots.readFile('/nonexistent/snap.json')).toMatchObject({
      ok: false,
      error: { code: 'ENOENT' },
    });
    expect(await Snapshots.readFile(tmpdir())).toMatchObject({ ok: false, error: { code: 'EISDIR' } });
  });
});

describe('csvCell', () => {
  it.each([
    ['plain', 'plain'],
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['a"b', '"a""b"'],
    [null, ''],
    [3.5, '3.5'],
    [-2, '-2'],
  ])('%s → %s', (input, out) => {
    expect(csvCell(input)).toBe(out);
  });
});

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['2m', 120_000],
    ['500ms', 500],
    ['1.5', 1500],
    ['1h', 3_600_000],
  ])('%s → %d ms', (s, ms) => expect(parseDuration(s)).toBe(ms));

  it('refuses nonsense with the flag named', () => {
    expect(() => parseDuration('soon')).toThrow(/--duration/);
  });
});
