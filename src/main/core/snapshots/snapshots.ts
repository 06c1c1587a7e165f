/** Usage snapshots: export what the machine did to JSON or CSV, and read one back safely. */
import { readFile, stat } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { SpindleError, type Result } from '../../../shared/result';
import { parseSnapshot } from '../../../shared/snapshot/read';
import { MAX_SNAPSHOT_BYTES, type Snapshot } from '../../../shared/snapshot/schema';
import { gather, type SnapshotSources } from './sources';
import type { SnapshotFormat } from '../../../shared/contract';
import { writeFileAtomic, writeFormat } from './write';

/** A file name for a download or a save dialog: spindle-<host>-<time>.<ext>. */
export function suggestedName(host: string, format: SnapshotFormat, now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[:.]/g, '-')
    .replace(/-\d{3}Z$/, 'Z');
  const safeHost = host.replace(/[^a-zA-Z0-9.-]/g, '_').slice(0, 64) || 'host';
  const ext = format === 'json' ? 'json' : format === 'csv-processes' ? 'processes.csv' : 'series.csv';
  return `spindle-${safeHost}-${stamp}.${ext}`;
}

/** A file-system error as the snapshots area's code, naming the path and whether it was a read or a write. */
function fsError(err: unknown, path: string, op: 'read' | 'write' = 'write'): SpindleError {
  const code = (err as NodeJS.ErrnoException).code;
  const what = `cannot ${op} ${path}`;
  if (code === 'ENOENT') {
    return op === 'read'
      ? new SpindleError('ENOENT', `no such file: ${path}`)
      : new SpindleError('ENOENT_DIR', `${what}: the folder does not exist`);
  }
  if (code === 'EACCES' || code === 'EPERM') return new SpindleError('EACCES', `${what}: not permitted`);
  if (code === 'EISDIR') return new SpindleError('EISDIR', `${what}: it is a folder`);
  if (code === 'ENOSPC') return new SpindleError('ENOSPC', `${what}: the disk is full`);
  return new SpindleError('EIO', `${what}: ${(err as Error).message}`);
}

export class Snapshots {
  constructor(private readonly sources: SnapshotSources) {}

  /** Stream one format of a snapshot taken now. */
  async stream(format: SnapshotFormat, out: Writable): Promise<void> {
    await writeFormat(await gather(this.sources), format, out);
  }

  /** Write a snapshot taken now to `path` atomically; returns the bytes written. */
  async writeFile(path: string, format: SnapshotFormat): Promise<{ path: string; bytes: number }> {
    const parts = await gather(this.sources);
    try {
      await writeFileAtomic(path, (s) => writeFormat(parts, format, s));
      return { path, bytes: (await stat(path)).size };
    } catch (err) {
      throw fsError(err, path);
    }
  }

  /** Read and check a snapshot file; never throws (a file it cannot read is an error value too). */
  static async readFile(path: string): Promise<Result<Snapshot>> {
    const failed = (err: unknown): Result<never> => {
      const e = fsError(err, path, 'read');
      return { ok: false, error: { code: e.code, message: e.message } };
    };
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch (err) {
      return failed(err);
    }
    if (size > MAX_SNAPSHOT_BYTES) {
      return {
        ok: false,
        error: {
          code: 'ESNAPSHOT_TOO_LARGE',
          message: `${path} is ${size} bytes; the limit is ${MAX_SNAPSHOT_BYTES}`,
        },
      };
    }
    try {
      return parseSnapshot(await readFile(path, 'utf8'), size);
    } catch (err) {
      return failed(err);
    }
  }
}
