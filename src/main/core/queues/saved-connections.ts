/**
 * Saved connections in `<dataDir>/queues.json`, mode 0600 from its first byte (the file holds
 * passwords: written to a temporary file opened 0600, then renamed over the old one, so it
 * is never readable by others, even for a moment, and a crash leaves the old file whole).
 * An unreadable or malformed file is reported and left alone, never overwritten.
 */
import { chmod, mkdir, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { ConnectionSettings } from './redis-url';

const FILE_VERSION = 1;

const savedSchema = z
  .object({
    version: z.literal(FILE_VERSION),
    connections: z
      .array(
        z
          .object({
            id: z.string().min(1).max(64),
            name: z.string().max(64),
            tls: z.boolean(),
            host: z.string().min(1).max(1024),
            port: z.number().int().min(1).max(65535),
            db: z.number().int().min(0),
            prefix: z.string().min(1).max(128),
            username: z.string().max(256).nullable(),
            password: z.string().max(1024).nullable(),
            tlsVerify: z.boolean(),
          })
          .strict(),
      )
      .max(16),
  })
  .strict();

/** A saved connection: its id and everything needed to reconnect. */
export interface SavedConnection extends ConnectionSettings {
  id: string;
}

export class SavedConnections {
  readonly file: string;
  #writing: Promise<void> = Promise.resolve();
  /** Set when the file could not be read: then it is never written (nothing is lost). */
  #unreadable: string | null = null;

  constructor(dataDir: string) {
    this.file = join(dataDir, 'queues.json');
  }

  /** Why the file was not loaded (null when fine or absent). */
  get problem(): string | null {
    return this.#unreadable;
  }

  async load(): Promise<SavedConnection[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      this.#unreadable = `cannot read ${this.file}: ${(e as Error).message}`;
      return [];
    }
    try {
      const parsed = savedSchema.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data.connections;
      this.#unreadable = `${this.file}: ${parsed.error.issues[0]?.message ?? 'invalid'}`;
    } catch (e) {
      this.#unreadable = `${this.file}: not JSON (${(e as Error).message})`;
    }
    return [];
  }

  /** Replace the saved list (serialised; atomic). */
  save(list: readonly SavedConnection[]): Promise<void> {
    const run = async (): Promise<void> => {
      if (this.#unreadable) return;
      const dir = join(this.file, '..');
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const tmp = `${this.file}.${process.pid}.tmp`;
      const fh = await open(tmp, 'w', 0o600);
      try {
        await fh.writeFile(JSON.stringify({ version: FILE_VERSION, connections: list }, null, 2) + '\n');
        await fh.sync();
      } finally {
        await fh.close();
      }
      await chmod(tmp, 0o600); // a umask cannot widen it, but an existing tmp file kept its mode
      await rename(tmp, this.file);
    };
    this.#writing = this.#writing.then(run, run);
    return this.#writing;
  }
}
