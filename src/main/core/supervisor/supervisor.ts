/**
 * The supervisor engine: every managed process, their definitions on disk, and the events
 * clients see (`supervisor.list` after changes, `supervisor.output` batches), both
 * coalesced to at most one per EVENT_MS so a flood of output or a crash loop cannot flood
 * a client.
 */
import { randomUUID } from 'node:crypto';
import {
  definitionInput,
  SUPERVISOR_LIMITS,
  type Definition,
  type DefinitionInput,
  type ManagedStatus,
  type OutputBatch,
  type OutputPage,
} from '../../../shared/contract';
import { SpindleError } from '../../../shared/result';
import { DefinitionsStore, issueText, parseDefinitions, serializeDefinitions } from './definitions-store';
import type { ChildLauncher } from '../launcher';
import { HelperClient } from './helper-client';
import { Managed } from './managed';
import { PatternRunner } from './pattern-runner';
import { redactDefinition } from './redact';
import { resolveSpawn } from './validate';

const EVENT_MS = 100;
const BATCH_LINES = 500;

export interface SupervisorOptions {
  /** Data folder for `supervisor.json` (default: SPINDLE_DATA_DIR, else ~/.config/spindle). */
  dataDir?: string;
  onList?: (list: ManagedStatus[]) => void;
  onOutput?: (batch: OutputBatch) => void;
  /** Time a regex search of output may take (default PATTERN_BUDGET_MS). */
  patternBudgetMs?: number;
  /**
   * Give each run a cgroup where cgroup v2 is writable (default: yes unless the environment
   * has SPINDLE_CGROUPS=0); false forces the process-group fallback.
   */
  cgroups?: boolean;
}

/**
 * Validate a definition (schema, then the file system: program, working directory,
 * environment) before it is stored, so a typo never becomes a saved definition.
 */
async function checkedDefinition(input: DefinitionInput, id: string): Promise<Definition> {
  const parsed = definitionInput.safeParse(input);
  if (!parsed.success) {
    throw new SpindleError('EINVAL', `definition: ${issueText(parsed.error.issues[0])}`);
  }
  const def: Definition = { ...parsed.data, id };
  await resolveSpawn(def);
  return def;
}

export class Supervisor {
  readonly store: DefinitionsStore;
  readonly #helper: HelperClient;
  readonly #patterns: PatternRunner;
  readonly #items = new Map<string, Managed>();
  readonly #opts: SupervisorOptions;
  readonly #keyListeners = new Set<(keys: string[]) => void>();
  #tick: NodeJS.Timeout | null = null;
  #listDirty = false;
  #keys = '';
  #closed = false;

  constructor(opts: SupervisorOptions = {}) {
    this.#opts = opts;
    this.#patterns = new PatternRunner(opts.patternBudgetMs);
    this.#helper = new HelperClient({ cgroups: opts.cgroups ?? process.env.SPINDLE_CGROUPS !== '0' });
    this.store = new DefinitionsStore(opts.dataDir);
    for (const def of this.store.load()) this.#add(def);
  }

  /** How pools start worker processes: through the helper, off the main loop. */
  get workerLauncher(): ChildLauncher {
    return this.#helper.launcher;
  }

  /** Pid of the helper that owns the managed processes (null before the first start). */
  get helperPid(): number | null {
    return this.#helper.pid;
  }

  #add(def: Definition): Managed {
    const m = new Managed(
      def,
      this.#helper,
      () => this.#changed(),
      () => this.#schedule(),
    );
    this.#items.set(def.id, m);
    return m;
  }

  #changed(): void {
    this.#listDirty = true;
    this.#schedule();
  }

  #schedule(): void {
    if (this.#tick || this.#closed) return;
    this.#tick = setTimeout(() => this.#flush(), EVENT_MS);
  }

  #flush(): void {
    this.#tick = null;
    let more = false;
    for (const m of this.#items.values()) {
      const out = m.takeOutput(BATCH_LINES);
      if (!out) continue;
      more = true;
      this.#opts.onOutput?.({ id: m.id, lines: out.lines, skipped: out.skipped, dropped: m.ring.dropped });
    }
    if (this.#listDirty) {
      this.#listDirty = false;
      more = true;
      this.#opts.onList?.(this.list());
      const keys = this.managedKeys();
      if (keys.join(',') !== this.#keys) {
        this.#keys = keys.join(',');
        for (const l of this.#keyListeners) l(keys);
      }
    }
    // Keep ticking while busy, so a steady stream is sent every EVENT_MS rather than per line.
    if (more) this.#schedule();
  }

  #get(id: string): Managed {
    const m = this.#items.get(id);
    if (!m) throw new SpindleError('ENOT_FOUND', `no managed process with id ${id}`);
    return m;
  }

  /** Every managed process, in creation order. */
  list(): ManagedStatus[] {
    return [...this.#items.values()].map((m) => m.status());
  }

  /** Process-table keys (`${pid}:${starttime}`) of every live managed stage, for the sampler's interest. */
  managedKeys(): string[] {
    return [...this.#items.values()].flatMap((m) => m.procKeys());
  }

  /** Be told when the set of managed keys changes. */
  onManagedKeys(l: (keys: string[]) => void): () => void {
    this.#keyListeners.add(l);
    return () => void this.#keyListeners.delete(l);
  }

  #save(): Promise<void> {
    return this.store.save([...this.#items.values()].map((m) => m.definition));
  }

  /** Validate (including the file system), store, and start unless asked not to. */
  async launch(input: DefinitionInput, start = true): Promise<ManagedStatus> {
    this.store.checkWritable();
    if (this.#items.size >= SUPERVISOR_LIMITS.processes) {
      throw new SpindleError(
        'ELIMIT',
        `at most ${SUPERVISOR_LIMITS.processes} managed processes; remove some first`,
      );
    }
    const def = await checkedDefinition(input, randomUUID());
    const m = this.#add(def);
    await this.#save();
    this.#changed();
    if (start) await m.start();
    this.#kick();
    return m.status();
  }

  /**
   * Replace a definition in place: validated like a launch (nothing changes on an error);
   * a running process is stopped and started again under the new definition.
   */
  async update(id: string, input: DefinitionInput): Promise<ManagedStatus> {
    const m = this.#get(id);
    this.store.checkWritable();
    await m.redefine(await checkedDefinition(input, id));
    await this.#save();
    this.#kick();
    return m.status();
  }

  async start(id: string): Promise<ManagedStatus> {
    const m = this.#get(id);
    await m.start();
    this.#kick();
    return m.status();
  }

  async stop(id: string): Promise<ManagedStatus> {
    const m = this.#get(id);
    await m.stop();
    this.#kick();
    return m.status();
  }

  async restart(id: string): Promise<ManagedStatus> {
    const m = this.#get(id);
    await m.restart();
    this.#kick();
    return m.status();
  }

  async remove(id: string): Promise<void> {
    const m = this.#get(id);
    this.store.checkWritable();
    await m.stop();
    this.#items.delete(id);
    await this.#save();
    this.#changed();
  }

  /** Publish at once (a request's answer and the list should agree). */
  #kick(): void {
    if (this.#tick) clearTimeout(this.#tick);
    this.#tick = null;
    this.#listDirty = true;
    this.#flush();
  }

  /**
   * Held output of one process, filtered by text (case-insensitive, linear, here) or a
   * regex (in the pattern runner's worker, within its budget: EPATTERN_TIMEOUT past it).
   */
  async output(id: string, q: { filter?: string; regex?: boolean; tail: number }): Promise<OutputPage> {
    const m = this.#get(id);
    if (!q.filter) return m.ring.query(q.tail);
    if (!q.regex) {
      const needle = q.filter.toLowerCase();
      return m.ring.query(q.tail, (t) => t.toLowerCase().includes(needle));
    }
    const lines = m.ring.lines();
    const hits = await this.#patterns.match(
      q.filter,
      lines.map((l) => l.text),
    );
    return {
      lines: hits.slice(-q.tail).map((i) => lines[i]!),
      matched: hits.length,
      held: lines.length,
      dropped: m.ring.dropped,
    };
  }

  /** The last `tail` held lines of one process, unfiltered (for snapshots). */
  tail(id: string, tail: number): OutputPage {
    return this.#get(id).ring.query(tail);
  }

  /** The definitions file's text (environment values replaced by `***` when `redacted`). */
  exportDefinitions(redacted = false): string {
    const defs = [...this.#items.values()].map((m) => m.definition);
    return serializeDefinitions(redacted ? defs.map(redactDefinition) : defs);
  }

  /** Add definitions from JSON text (as stopped); replace also removes those not in it. */
  async importDefinitions(
    json: string,
    mode: 'merge' | 'replace',
  ): Promise<{ added: number; removed: number }> {
    this.store.checkWritable();
    const defs = parseDefinitions(json);
    let removed = 0;
    if (mode === 'replace') {
      const keep = new Set(defs.map((d) => d.id));
      for (const [id, m] of this.#items) {
        if (keep.has(id)) continue;
        await m.stop();
        this.#items.delete(id);
        removed++;
      }
    }
    let added = 0;
    for (const def of defs) {
      const existing = this.#items.get(def.id);
      if (
        existing &&
        existing.state !== 'stopped' &&
        existing.state !== 'exited' &&
        existing.state !== 'fatal'
      ) {
        continue; // Running ones keep their definition until stopped.
      }
      if (!existing && this.#items.size >= SUPERVISOR_LIMITS.processes) break;
      this.#items.delete(def.id);
      this.#add(def);
      added++;
    }
    await this.#save();
    this.#kick();
    return { added, removed };
  }

  /** Stop every managed process (TERM, then KILL at each one's timeout) and close the helper. */
  async close(): Promise<void> {
    await Promise.all([...this.#items.values()].map((m) => m.stop()));
    this.#closed = true;
    if (this.#tick) clearTimeout(this.#tick);
    this.#tick = null;
    await Promise.all([this.#helper.close(), this.#patterns.close()]);
  }
}
