/**
 * The definitions file (`supervisor.json` in the data folder), like a PM2 ecosystem file.
 * Writes are atomic (temp file + rename) and serialised, so a crash mid-write leaves the
 * previous file whole. A malformed file is moved aside (never silently overwritten); an
 * unreadable one (not permitted, a folder, an I/O error) is left as it is and no save
 * replaces it while Spindle runs. Either is reported with a code (`problem`).
 */
import { readFileSync, renameSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { z } from 'zod';
import { DEFINITIONS_VERSION, definitionsFile, type Definition } from '../../../shared/contract';
import { SpindleError, type ErrorValue } from '../../../shared/result';

/** Where Spindle keeps its files: the option, else SPINDLE_DATA_DIR, else ~/.config/spindle. */
export function dataDirOf(option?: string): string {
  return option ?? process.env.SPINDLE_DATA_DIR ?? join(homedir(), '.config', 'spindle');
}

/** One validation issue as text that names the field: `processes.0.restartPolicy: unknown field`. */
export function issueText(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'invalid';
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((k) => `${[...path, k].join('.')}: unknown field`).join('; ');
  }
  return `${path.length ? path.join('.') + ': ' : ''}${issue.message}`;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Version 1 limited starts by a time window (`startLimit.windowMs`), replaced in version 2
 * by failed starts in a row: that one key is dropped (the minimum uptime takes its default).
 * Nothing else is touched, so any other unknown key is still refused.
 */
function migrate(raw: unknown): unknown {
  if (!isObject(raw) || raw.version !== 1 || !Array.isArray(raw.processes)) return raw;
  const processes = raw.processes.map((p: unknown) => {
    if (!isObject(p) || !isObject(p.startLimit) || !Object.hasOwn(p.startLimit, 'windowMs')) return p;
    const { windowMs: _dropped, ...startLimit } = p.startLimit;
    return { ...p, startLimit };
  });
  return { ...raw, version: DEFINITIONS_VERSION, processes };
}

/** Parse definitions JSON text (the file or an import) with clear errors. */
export function parseDefinitions(text: string): Definition[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new SpindleError('EBAD_DEFINITIONS', `not JSON: ${(err as Error).message}`);
  }
  const parsed = definitionsFile.safeParse(migrate(raw));
  if (!parsed.success) {
    throw new SpindleError('EBAD_DEFINITIONS', `definitions file: ${issueText(parsed.error.issues[0])}`);
  }
  const ids = new Set<string>();
  for (const d of parsed.data.processes) {
    if (ids.has(d.id)) throw new SpindleError('EBAD_DEFINITIONS', `definitions file: duplicate id ${d.id}`);
    ids.add(d.id);
  }
  return parsed.data.processes as Definition[];
}

/** The file text for a list of definitions. */
export const serializeDefinitions = (defs: readonly Definition[]): string =>
  JSON.stringify({ version: DEFINITIONS_VERSION, processes: defs }, null, 2) + '\n';

export class DefinitionsStore {
  readonly file: string;
  readonly #dir: string;
  #writing: Promise<void> = Promise.resolve();
  /** Set when the file exists but could not be read: every save is refused with it. */
  #blocked: SpindleError | null = null;
  /** What went wrong loading the file at start, if anything (for the audit log and the user). */
  problem: ErrorValue | null = null;

  constructor(dataDir?: string) {
    this.#dir = dataDirOf(dataDir);
    this.file = join(this.#dir, 'supervisor.json');
  }

  /**
   * Read at start-up. Missing → empty. Unreadable → empty, the file kept and saves refused
   * (an empty list saved over it would lose every definition). Malformed → moved to `.bad-…`
   * and empty; when it cannot be moved, kept and saves refused the same way.
   */
  load(): Definition[] {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return [];
      return this.#refuseSaves(
        new SpindleError(
          'EDEFINITIONS_UNREADABLE',
          `${this.file} could not be read (${code ?? (err as Error).message}); it is kept as it is and nothing is saved over it: fix it and restart Spindle`,
        ),
      );
    }
    try {
      return parseDefinitions(text);
    } catch (err) {
      const aside = `${this.file}.bad-${Date.now()}`;
      const message = (err as Error).message;
      try {
        renameSync(this.file, aside);
      } catch (moveErr) {
        return this.#refuseSaves(
          new SpindleError(
            'EDEFINITIONS_UNREADABLE',
            `${this.file}: ${message}; it could not be moved aside (${(moveErr as NodeJS.ErrnoException).code}), so it is kept and nothing is saved over it`,
          ),
        );
      }
      this.problem = { code: 'EBAD_DEFINITIONS', message: `${message}; moved to ${aside}` };
      console.error(`spindle: ${this.problem.message}`);
      return [];
    }
  }

  /** Throw when saving is refused (see `load`); call before changing anything that is saved. */
  checkWritable(): void {
    if (this.#blocked) throw this.#blocked;
  }

  #refuseSaves(err: SpindleError): Definition[] {
    this.#blocked = err;
    this.problem = { code: err.code, message: err.message };
    console.error(`spindle: ${err.message}`);
    return [];
  }

  /** Write the whole list; resolves when it is on disk. */
  save(defs: readonly Definition[]): Promise<void> {
    if (this.#blocked) return Promise.reject(this.#blocked);
    const text = serializeDefinitions(defs);
    this.#writing = this.#writing.then(async () => {
      await mkdir(this.#dir, { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      await writeFile(tmp, text, { mode: 0o600 });
      await rename(tmp, this.file);
    });
    const done = this.#writing;
    this.#writing = done.catch((err) => console.error('spindle: saving definitions failed', err));
    return done;
  }
}
