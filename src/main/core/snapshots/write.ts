/**
 * Writing snapshots as a stream of small pieces, so an hour of history for thousands of
 * processes never becomes one giant string; and to files through a temporary name and a
 * rename, so a crash mid-export never leaves a partial file at the target.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { SNAPSHOT_VERSION } from '../../../shared/snapshot/schema';
import { csvRow } from '../../../shared/snapshot/csv';
import { PROC_COLUMNS } from '../../../shared/snapshot/columns';
import type { SnapshotParts } from './sources';

export type SnapshotFormat = 'json' | 'csv-processes' | 'csv-series';

/** Numbers per written chunk of a column. */
const CHUNK = 4096;

/** Writes strings with back pressure: waits for 'drain' when the stream's buffer is full. */
class Out {
  #buf = '';
  constructor(private readonly stream: Writable) {}

  async put(s: string): Promise<void> {
    this.#buf += s;
    if (this.#buf.length >= 64 * 1024) await this.flush();
  }

  async flush(): Promise<void> {
    if (!this.#buf) return;
    const chunk = this.#buf;
    this.#buf = '';
    if (!this.stream.write(chunk)) {
      await new Promise<void>((resolve, reject) => {
        const onError = (e: Error): void => {
          this.stream.off('drain', onDrain);
          reject(e);
        };
        const onDrain = (): void => {
          this.stream.off('error', onError);
          resolve();
        };
        this.stream.once('drain', onDrain);
        this.stream.once('error', onError);
      });
    }
  }
}

const json = (v: unknown): string => JSON.stringify(v) ?? 'null';
/** A gap (NaN/undefined) is null in JSON; numbers stay numbers. */
const numOrNull = (v: number | null | undefined): string =>
  v === null || v === undefined || !Number.isFinite(v) ? 'null' : String(v);

async function putColumn(out: Out, col: ArrayLike<number | null>): Promise<void> {
  await out.put('[');
  for (let i = 0; i < col.length; i += CHUNK) {
    const end = Math.min(col.length, i + CHUNK);
    let s = i ? ',' : '';
    for (let j = i; j < end; j++) s += (j > i ? ',' : '') + numOrNull(col[j]);
    await out.put(s);
  }
  await out.put(']');
}

/** The JSON snapshot, streamed. */
export async function writeJson(p: SnapshotParts, stream: Writable): Promise<void> {
  const out = new Out(stream);
  await out.put(`{"version":${SNAPSHOT_VERSION},"createdAt":${p.createdAt},"spindle":${json(p.spindle)},`);
  await out.put(`"intervalMs":${p.intervalMs},"system":${json(p.system)},"series":{"t":`);
  await putColumn(out, p.series.t);
  await out.put(',"series":{');
  let first = true;
  for (const [name, col] of Object.entries(p.series.series)) {
    if (!col) continue;
    await out.put(`${first ? '' : ','}${json(name)}:`);
    await putColumn(out, col);
    first = false;
  }
  await out.put('},"procs":{');
  first = true;
  for (const [key, s] of Object.entries(p.series.procs)) {
    await out.put(`${first ? '' : ','}${json(key)}:{"name":${json(s.name)},"cpu":`);
    await putColumn(out, s.cpu);
    await out.put(',"rss":');
    await putColumn(out, s.rss);
    await out.put(',"threads":');
    await putColumn(out, s.threads);
    await out.put('}');
    first = false;
  }
  await out.put('}},"processes":[');
  for (let i = 0; i < p.processes.length; i++) await out.put((i ? ',' : '') + json(p.processes[i]));
  await out.put(`],"managed":${json(p.managed)},"pools":${json(p.pools)},"audit":[`);
  for (let i = 0; i < p.audit.length; i++) await out.put((i ? ',' : '') + json(p.audit[i]));
  await out.put('],"queues":[');
  for (let i = 0; i < p.queues.length; i++) await out.put((i ? ',' : '') + json(p.queues[i]));
  await out.put(']}\n');
  await out.flush();
}

/** The process table as CSV, one row per process. */
export async function writeProcessesCsv(p: SnapshotParts, stream: Writable): Promise<void> {
  const out = new Out(stream);
  await out.put(csvRow(PROC_COLUMNS));
  for (const row of p.processes) await out.put(csvRow(PROC_COLUMNS.map((c) => row[c])));
  await out.flush();
}

/** Every machine-wide series as CSV: a `time` column (ISO) then one column per series; gaps are empty cells. */
export async function writeSeriesCsv(p: SnapshotParts, stream: Writable): Promise<void> {
  const out = new Out(stream);
  const names = Object.keys(p.series.series).filter(
    (n) => p.series.series[n as keyof typeof p.series.series],
  );
  const cols = names.map((n) => p.series.series[n as keyof typeof p.series.series]!);
  await out.put(csvRow(['time', 't_ms', ...names]));
  for (let i = 0; i < p.series.t.length; i++) {
    const t = p.series.t[i]!;
    await out.put(csvRow([new Date(t).toISOString(), t, ...cols.map((c) => c[i])]));
  }
  await out.flush();
}

/** Write one format to a stream. */
export function writeFormat(p: SnapshotParts, format: SnapshotFormat, stream: Writable): Promise<void> {
  if (format === 'json') return writeJson(p, stream);
  if (format === 'csv-processes') return writeProcessesCsv(p, stream);
  return writeSeriesCsv(p, stream);
}

/** Write to `target` via a temporary file in the same folder and a rename; the target is never partial. */
export async function writeFileAtomic(target: string, write: (s: Writable) => Promise<void>): Promise<void> {
  const tmp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  const stream = createWriteStream(tmp, { flags: 'wx', mode: 0o600 });
  try {
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    });
    await write(stream);
    await new Promise<void>((resolve, reject) =>
      stream.end((err?: Error | null) => (err ? reject(err) : resolve())),
    );
    const fh = await open(tmp, 'r');
    await fh.sync();
    await fh.close();
    await rename(tmp, target);
  } catch (err) {
    stream.destroy();
    await unlink(tmp).catch(() => {});
    throw err;
  }
}
