/**
 * The supervisor area of the contract: managed processes (a pipeline of one or more
 * stages), their lifecycle, their bounded output, and the definitions file. Times are ms
 * since epoch; a managed process's OS identity is its proc keys `${pid}:${starttime}`
 * (the same keys as the process table, so the table can mark managed rows).
 */
import { z } from 'zod';
import { request } from './define';
import type { ErrorValue } from '../result';

/** How a supervisor request (or a managed process's start) fails besides the transport's codes. */
export type SupervisorErrorCode =
  | 'EINVAL_ARG' // a NUL byte in the command, an argument or the working directory
  | 'EINVAL_ENV' // a bad environment name or value, or too many
  | 'EINVAL_REGEX' // an output search pattern that does not compile
  | 'ENOENT_EXEC' // the program is not found (on PATH)
  | 'EACCES_EXEC' // the program is not executable
  | 'EISDIR_EXEC' // the program is a directory
  | 'ENOENT_CWD' // the working directory does not exist
  | 'ENOTDIR_CWD' // the working directory is not a directory
  | 'ESPAWN' // the start failed otherwise
  | 'ESTART_LIMIT' // too many failed starts in a row (state fatal)
  | 'EHELPER' // the supervisor helper is gone
  | 'EBAD_DEFINITIONS' // definitions text (file or import) is not JSON, fails the schema, or repeats an id
  | 'EDEFINITIONS_UNREADABLE' // supervisor.json exists but cannot be read: kept, nothing saved over it
  | 'EPATTERN_TIMEOUT' // an output search ran past its budget
  | 'EPATTERN_FAILED'; // an output search failed otherwise

/** Limits every definition and request is held to. */
export const SUPERVISOR_LIMITS = {
  processes: 200,
  stages: 8,
  args: 256,
  argBytes: 16 * 1024,
  envVars: 128,
  outputLines: { min: 100, max: 100_000, default: 10_000 },
  outputBytes: { min: 64 * 1024, max: 64 * 1024 * 1024, default: 5 * 1024 * 1024 },
  /** Longer lines are cut and marked. */
  lineBytes: 16 * 1024,
  tail: 5_000,
  timeline: 100,
  importBytes: 200 * 1024,
} as const;

/** supervisord-like states: starting → running → exited | backoff → … | fatal; stopping → stopped. */
export type ManagedState = 'starting' | 'running' | 'exited' | 'backoff' | 'fatal' | 'stopping' | 'stopped';

export type RestartPolicy = 'never' | 'on-failure' | 'always';

// NUL bytes and environment names are checked by core at start (codes EINVAL_ARG, EINVAL_ENV),
// so a definition imported from a file gets the same clear errors as one typed in.
const stageSchema = z
  .object({
    /** Executable (searched on PATH), or in shell mode the script for /bin/sh -c. */
    command: z.string().min(1).max(SUPERVISOR_LIMITS.argBytes),
    args: z.array(z.string().max(SUPERVISOR_LIMITS.argBytes)).max(SUPERVISOR_LIMITS.args).default([]),
  })
  .strict();

// A record drops a `__proto__` key without a word (it would replace the prototype of the
// object built), so it is refused before the record is parsed.
const noProtoKey = z.custom<Record<string, string>>(
  (v) => typeof v !== 'object' || v === null || !Object.hasOwn(v, '__proto__'),
  '__proto__ is not a variable name',
);

/** What the user gives to launch (everything but `command` has a default). */
export const definitionInput = z
  .object({
    name: z.string().trim().min(1).max(80),
    /** One stage is a plain command; more are a pipeline, each stdout feeding the next stdin. */
    stages: z.array(stageSchema).min(1).max(SUPERVISOR_LIMITS.stages),
    cwd: z.string().max(4096).optional(),
    /** Environment additions (over Spindle's own, minus its secrets) and removals. Names are checked at start. */
    env: z
      .object({
        set: noProtoKey
          .pipe(z.record(z.string().max(256), z.string().max(SUPERVISOR_LIMITS.argBytes)))
          .default({}),
        unset: z.array(z.string().max(256)).max(SUPERVISOR_LIMITS.envVars).default([]),
      })
      .strict()
      .default({ set: {}, unset: [] }),
    /** Opt-in: run each stage's command through /bin/sh -c (its text is then shell code). */
    shell: z.boolean().default(false),
    restart: z.enum(['never', 'on-failure', 'always']).default('never'),
    backoff: z
      .object({
        initialMs: z.number().int().min(10).max(600_000).default(1000),
        factor: z.number().min(1).max(10).default(2),
        maxMs: z.number().int().min(10).max(3_600_000).default(60_000),
      })
      .strict()
      .default({ initialMs: 1000, factor: 2, maxMs: 60_000 }),
    /**
     * A run that ends (for any reason) before `minUptimeMs` is a failed start; after `count`
     * failed starts in a row the process goes `fatal` instead of restarting, as PM2's
     * min_uptime / max_restarts and supervisord's startsecs / startretries do. A run that
     * stays up that long clears the count; `minUptimeMs: 0` never gives up.
     */
    startLimit: z
      .object({
        count: z.number().int().min(1).max(1000).default(5),
        minUptimeMs: z.number().int().min(0).max(3_600_000).default(1_000),
      })
      .strict()
      .default({ count: 5, minUptimeMs: 1_000 }),
    /** Uptime after which the backoff delay resets to its initial value. */
    stableMs: z.number().int().min(0).max(3_600_000).default(10_000),
    stopTimeoutMs: z.number().int().min(0).max(600_000).default(5_000),
    /** Terminate (TERM, then KILL after the stop timeout) after this long; null = no limit. */
    runTimeoutMs: z
      .number()
      .int()
      .min(100)
      .max(7 * 24 * 3600_000)
      .nullable()
      .default(null),
    output: z
      .object({
        maxLines: z
          .number()
          .int()
          .min(SUPERVISOR_LIMITS.outputLines.min)
          .max(SUPERVISOR_LIMITS.outputLines.max)
          .default(SUPERVISOR_LIMITS.outputLines.default),
        maxBytes: z
          .number()
          .int()
          .min(SUPERVISOR_LIMITS.outputBytes.min)
          .max(SUPERVISOR_LIMITS.outputBytes.max)
          .default(SUPERVISOR_LIMITS.outputBytes.default),
      })
      .strict()
      .default({
        maxLines: SUPERVISOR_LIMITS.outputLines.default,
        maxBytes: SUPERVISOR_LIMITS.outputBytes.default,
      }),
  })
  .strict();

/** A definition after defaults are applied. */
export type DefinitionInput = z.input<typeof definitionInput>;
/** A stored definition: its id plus every setting. */
export type Definition = z.output<typeof definitionInput> & { id: string };

/** Version of the definitions file written now (1 had a window-based start limit; it is migrated on read). */
export const DEFINITIONS_VERSION = 2;

/** The definitions file (`supervisor.json` in the data folder) and what import/export carry. */
export const definitionsFile = z
  .object({
    version: z.literal(DEFINITIONS_VERSION),
    processes: z
      // extend, not and(): an intersection let unknown keys (a misspelt `restartPolicy`) pass
      // silently, where the strict object refuses them as a launch does.
      .array(definitionInput.extend({ id: z.string().regex(/^[\w-]{1,64}$/) }))
      .max(SUPERVISOR_LIMITS.processes),
  })
  .strict();

/** How one stage (or the whole run) ended: an exit code, or the signal that ended it. */
export interface ExitStatus {
  code: number | null;
  signal: string | null;
}

/** One entry of the bounded timeline of starts, exits and decisions. */
export interface TimelineEntry {
  t: number;
  kind: 'start' | 'exit' | 'backoff' | 'fatal' | 'stop' | 'error' | 'edit';
  text: string;
}

/** The live state of one stage of the current (or last) run. */
export interface StageStatus {
  pid: number | null;
  /** `${pid}:${starttime}` as in the process table; null before spawn or if unreadable. */
  key: string | null;
  exit: ExitStatus | null;
  /** Bytes this stage's stdout passed to the next stage's stdin (pipelines). */
  bytesOut: number;
}

/** What the list shows for one managed process. */
export interface ManagedStatus {
  id: string;
  definition: Definition;
  state: ManagedState;
  /** When the current state was entered. */
  since: number;
  stages: StageStatus[];
  /** Process-table keys of the live stages (empty when none run). */
  procKeys: string[];
  restarts: number;
  /** Starts in a row that ended before `startLimit.minUptimeMs`; `fatal` at `startLimit.count`. */
  failedStarts: number;
  /** Pipeline status (pipefail: the last non-zero stage status) of the last run. */
  lastExit: (ExitStatus & { at: number }) | null;
  /** When the next start happens (state backoff). */
  nextStartAt: number | null;
  /** Why the process is fatal or a start failed, with its code. */
  error: ErrorValue | null;
  /** Processes still alive after the last stop's KILL (should be empty), with their names. */
  survivors: { pid: number; name: string }[];
  dropped: number;
  timeline: TimelineEntry[];
}

/**
 * A run of styled text in an output line: [start, end) in UTF-16 units of `text`, and the
 * style as space-separated tokens: `b` bold, `d` dim, `i` italic, `u` underline, `fgN` /
 * `bgN` a 256-colour palette index, `fg#rrggbb` / `bg#rrggbb` a true colour.
 */
export type StyleSpan = [start: number, end: number, style: string];

/** One captured output line. `seq` grows per managed process and never repeats. */
export interface OutputLine {
  seq: number;
  t: number;
  stream: 'out' | 'err' | 'sys';
  stage: number;
  /** Plain text: escape sequences removed, control characters made visible. */
  text: string;
  /** Colours from the program's ANSI escapes (SGR), when it used any. */
  spans?: StyleSpan[];
}

/** `supervisor.output` event: new lines for one process, batched (≤ 10 per s per process). */
export interface OutputBatch {
  id: string;
  lines: OutputLine[];
  /** Lines not in this batch because it was capped; fetch with the request if needed. */
  skipped: number;
  /** Lines dropped from the ring so far. */
  dropped: number;
}

/** Result of an output query. */
export interface OutputPage {
  lines: OutputLine[];
  /** Lines matching before the tail was cut. */
  matched: number;
  /** Lines held in the ring. */
  held: number;
  dropped: number;
}

/** Process-table keys of every live managed stage, for marking rows in the process table. */
export function managedKeys(items: readonly ManagedStatus[]): Set<string> {
  return new Set(items.flatMap((m) => m.procKeys));
}

const idParam = z.object({ id: z.string().min(1).max(64) }).strict();
const empty = z.object({}).strict().optional();

export const supervisorRequests = {
  /** Start receiving `supervisor.list` and `supervisor.output`; returns the list. */
  'supervisor.subscribe': request<ManagedStatus[]>()(empty, { control: false }),
  'supervisor.unsubscribe': request<null>()(empty, { control: false }),
  'supervisor.list': request<ManagedStatus[]>()(empty, { control: false }),
  /** Validate, store and (unless start is false) start a new managed process. */
  'supervisor.launch': request<ManagedStatus>()(
    z.object({ definition: definitionInput, start: z.boolean().default(true) }).strict(),
    { control: true },
  ),
  /**
   * Replace a definition in place (same id, output and timeline kept). A running process is
   * stopped (TERM, then KILL) and started again with the new definition; a stopped one stays
   * stopped. Validated like a launch, so a typo never replaces a working definition.
   */
  'supervisor.update': request<ManagedStatus>()(
    z.object({ id: z.string().min(1).max(64), definition: definitionInput }).strict(),
    { control: true },
  ),
  'supervisor.start': request<ManagedStatus>()(idParam, { control: true }),
  /** TERM the whole tree, KILL after the stop timeout; resolves when it is gone. */
  'supervisor.stop': request<ManagedStatus>()(idParam, { control: true }),
  'supervisor.restart': request<ManagedStatus>()(idParam, { control: true }),
  /** Stop (if needed) and forget the definition. */
  'supervisor.remove': request<null>()(idParam, { control: true }),
  /**
   * Held output, optionally filtered by text or a regular expression, last `tail` lines. A
   * regex runs off the main loop within a time budget: EPATTERN_TIMEOUT past it,
   * EINVAL_REGEX when malformed, EBUSY when too many searches wait.
   */
  'supervisor.output': request<OutputPage>()(
    z
      .object({
        id: z.string().min(1).max(64),
        filter: z.string().max(200).optional(),
        regex: z.boolean().default(false),
        tail: z.number().int().min(1).max(SUPERVISOR_LIMITS.tail).default(1000),
      })
      .strict(),
    { control: false },
  ),
  /** The definitions file as JSON text. */
  'supervisor.export': request<{ json: string }>()(empty, { control: false }),
  /** Definitions from JSON text (the export format); merge adds them as stopped, replace also removes the rest. */
  'supervisor.import': request<{ added: number; removed: number }>()(
    z
      .object({
        json: z.string().max(SUPERVISOR_LIMITS.importBytes),
        mode: z.enum(['merge', 'replace']).default('merge'),
      })
      .strict(),
    { control: true },
  ),
};

export interface SupervisorEvents {
  /** The whole list, after any change (coalesced). */
  'supervisor.list': ManagedStatus[];
  'supervisor.output': OutputBatch;
}
