/**
 * The saved remote hosts (`hosts.json` in the data folder), credentials included, so the file
 * is mode 0600 and written atomically (temp file + rename). A file that cannot be read or
 * parsed is reported and left as it is: saving over it is refused, never silently emptied.
 */
import { readFileSync } from 'node:fs';
import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { HOSTS_LIMITS } from '../../../shared/contract/hosts';
import { SpindleError } from '../../../shared/result';

const savedHost = z
  .object({
    id: z.string().min(1).max(64),
    name: z.string().min(1).max(64),
    url: z.string().min(1).max(2048),
    token: z.string().min(1).max(HOSTS_LIMITS.tokenChars),
    /** PEM: a certificate trusted for this host alone (a self-signed host). */
    certificate: z.string().min(1).max(HOSTS_LIMITS.certificateChars).optional(),
  })
  .strict();

const hostsFile = z
  .object({ version: z.literal(1), hosts: z.array(savedHost).max(HOSTS_LIMITS.hosts) })
  .strict();

export type SavedHost = z.infer<typeof savedHost>;

export class HostsFile {
  readonly path: string;
  /** Why the file could not be read; while set, nothing is written over it. */
  broken: string | null = null;
  #writes: Promise<void> = Promise.resolve();

  constructor(dataDir: string) {
    this.path = join(dataDir, 'hosts.json');
  }

  load(): SavedHost[] {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      this.broken = `cannot read ${this.path}: ${(err as Error).message}`;
      console.error(`spindle: ${this.broken}`);
      return [];
    }
    try {
      return hostsFile.parse(JSON.parse(text)).hosts;
    } catch (err) {
      this.broken = `${this.path} is not a valid hosts file (${(err as Error).message.slice(0, 200)})`;
      console.error(`spindle: ${this.broken}; fix or remove it`);
      return [];
    }
  }

  /** Replace the saved list (serialised; atomic; mode 0600 before any credential is written). */
  save(hosts: SavedHost[]): Promise<void> {
    if (this.broken)
      return Promise.reject(new SpindleError('EHOSTS_FILE', `${this.broken}; not overwriting it`));
    const run = async (): Promise<void> => {
      await mkdir(join(this.path, '..'), { recursive: true, mode: 0o700 });
      const tmp = `${this.path}.${process.pid}.tmp`;
      await writeFile(tmp, JSON.stringify({ version: 1, hosts }, null, 2) + '\n', { mode: 0o600 });
      await chmod(tmp, 0o600);
      await rename(tmp, this.path);
    };
    const p = this.#writes.then(run);
    this.#writes = p.catch(() => {});
    return p;
  }
}
