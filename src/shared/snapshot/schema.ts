/**
 * The usage snapshot format, version 2 (version 1 plus `queues`: each watched BullMQ queue
 * with its history and the workers seen): one JSON document holding what the machine did.
 * The zod schema here is the reader's check (in core and in the renderer) and the source of
 * docs/snapshot.schema.json. Bounds are generous for real data and refuse absurd input.
 */
import { z } from 'zod';
import { PROC_FIELD_NAMES, PROC_FIELDS, type ProcField, type ProcFieldSpec } from '../contract/proc-fields';
import type { ProcRow } from '../contract/stats';
import { QUEUE_HISTORY_COLUMNS } from '../contract/queues';

export const SNAPSHOT_VERSION = 2;
/** Older versions the reader still reads (upgraded to the current shape as they are read). */
export const SNAPSHOT_VERSIONS_READ = [1, 2] as const;

/** Largest snapshot file accepted. */
export const MAX_SNAPSHOT_BYTES = 512 * 1024 * 1024;
/** Deepest nesting of arrays/objects accepted (the format itself needs 5). */
export const MAX_SNAPSHOT_DEPTH = 16;
/** History points per series: 24 h at 4 Hz. */
const MAX_POINTS = 24 * 3600 * 4;

const num = z.number();
const nnum = z.number().nullable();
const count = z.number().int().nonnegative();
const text = (max: number) => z.string().max(max);
const name = text(1024);

const systemSchema = z
  .object({
    hostname: name,
    platform: name,
    distro: name,
    release: name,
    arch: name,
    cpuModel: name,
    cores: z.number().int().min(1).max(100_000),
    memTotal: count,
  })
  .strict();

const procKeySchema = z.string().regex(/^\d{1,10}:\d{1,20}$/, 'expected "<pid>:<starttime>"');

/** One ProcRow field's check, from its spec in the contract. */
function procFieldSchema(spec: ProcFieldSpec): z.ZodType {
  const base =
    spec.kind === 'key'
      ? procKeySchema
      : spec.kind === 'count'
        ? count
        : spec.kind === 'number'
          ? num
          : text(spec.max ?? 1024);
  return spec.nullable ? base.nullable() : base;
}

/** A process row: every field of the contract's PROC_FIELDS, null exactly where it allows null. */
export const procRowSchema = z
  .object(
    Object.fromEntries(PROC_FIELD_NAMES.map((f) => [f, procFieldSchema(PROC_FIELDS[f])])) as {
      [K in ProcField]: z.ZodType<ProcRow[K]>;
    },
  )
  .strict();

const column = z.array(nnum).max(MAX_POINTS);
/** Series names: letters, digits, dots (cpu.user, cpu3.iowait, mem.used…); never `__proto__`. */
const seriesName = z.string().regex(/^[a-zA-Z][a-zA-Z0-9.]{0,63}$/, 'bad series name');

const procSeriesSchema = z.object({ name, cpu: column, rss: column, threads: column }).strict();

const seriesSchema = z
  .object({
    t: z.array(num).max(MAX_POINTS),
    series: z.record(seriesName, column),
    procs: z.record(procKeySchema, procSeriesSchema),
  })
  .strict()
  .superRefine((s, ctx) => {
    const n = s.t.length;
    for (const [k, col] of Object.entries(s.series)) {
      if (col.length !== n)
        ctx.addIssue({
          code: 'custom',
          path: ['series', k],
          message: `has ${col.length} points, t has ${n}`,
        });
    }
    for (const [k, p] of Object.entries(s.procs)) {
      for (const f of ['cpu', 'rss', 'threads'] as const) {
        if (p[f].length !== n)
          ctx.addIssue({
            code: 'custom',
            path: ['procs', k, f],
            message: `has ${p[f].length} points, t has ${n}`,
          });
      }
    }
  });

const managedSchema = z
  .object({
    id: name,
    name,
    command: text(65_536),
    args: z.array(text(65_536)).max(10_000),
    state: text(32),
    pid: count.nullable(),
    startTime: nnum,
    exitCode: z.number().int().nullable(),
    signal: text(32).nullable(),
    restarts: count,
    startedAt: nnum,
    exitedAt: nnum,
    output: z
      .object({
        lines: z
          .array(z.object({ stream: z.enum(['stdout', 'stderr']), text: text(65_536), t: num }).strict())
          .max(10_000),
        dropped: count,
      })
      .strict(),
  })
  .strict();

const percentiles = z.object({ p50: nnum, p95: nnum, p99: nnum }).strict();

export const poolSchema = z
  .object({
    id: name,
    name,
    kind: z.enum(['threads', 'processes']),
    size: count,
    stats: z
      .object({
        submitted: count,
        queued: count,
        active: count,
        completed: count,
        failed: count,
        cancelled: count,
        timedOut: count,
        throughput: nnum,
        utilization: nnum,
        wait: percentiles,
        run: percentiles,
      })
      .strict(),
    history: z
      .object({
        t: z.array(num).max(MAX_POINTS),
        queued: column,
        active: column,
        completed: column,
        failed: column,
      })
      .strict(),
  })
  .strict();

const auditEntrySchema = z
  .object({
    seq: count,
    t: num,
    client: name,
    action: name,
    target: z
      .object({
        pid: count.optional(),
        startTime: num.optional(),
        name: name.optional(),
        id: name.optional(),
      })
      .strict(),
    outcome: name,
    detail: text(4096),
  })
  .strict();

const queueColumns = QUEUE_HISTORY_COLUMNS;

const queueHistoryShape = Object.fromEntries(queueColumns.map((c) => [c, column])) as Record<
  (typeof queueColumns)[number],
  typeof column
>;

const latency = z.object({ p50: num, p95: num, p99: num, n: count }).strict().nullable();

/** A watched queue (version 2): the connection without its password, stats, history, workers seen. */
export const queueSchema = z
  .object({
    connection: z.object({ id: name, name, url: text(4096), prefix: name }).strict(),
    name,
    stats: z
      .object({
        counts: z.record(
          z.enum([
            'waiting',
            'prioritized',
            'delayed',
            'active',
            'waiting-children',
            'completed',
            'failed',
            'paused',
          ]),
          count,
        ),
        paused: z.boolean(),
        completedPerSec: nnum,
        failedPerSec: nnum,
        wait: latency,
        run: latency,
      })
      .strict(),
    history: z.object({ t: z.array(num).max(MAX_POINTS), ...queueHistoryShape }).strict(),
    workers: z
      .array(
        z
          .object({
            id: name,
            state: z.enum(['reporting', 'lost', 'bullmq']),
            addr: name.nullable(),
            host: name.nullable(),
            pid: count.nullable(),
            cores: count.nullable(),
            concurrency: count.nullable(),
            processed: count.nullable(),
            failed: count.nullable(),
            lastSeen: nnum,
          })
          .strict(),
      )
      .max(1_000),
  })
  .strict();

const snapshotV1Fields = {
  createdAt: num,
  spindle: text(64),
  intervalMs: z.number().positive(),
  system: systemSchema,
  series: seriesSchema,
  processes: z.array(procRowSchema).max(1_000_000),
  managed: z.array(managedSchema).max(10_000),
  pools: z.array(poolSchema).max(1_000),
  audit: z.array(auditEntrySchema).max(100_000),
};

/** Version 1 as written before queues existed; read and given `queues: []`. */
export const snapshotV1Schema = z.object({ ...snapshotV1Fields, version: z.literal(1) }).strict();

export const snapshotSchema = z
  .object({
    ...snapshotV1Fields,
    version: z.literal(SNAPSHOT_VERSION),
    queues: z.array(queueSchema).max(2_048),
  })
  .strict();

export type Snapshot = z.infer<typeof snapshotSchema>;
export type SnapshotQueue = z.infer<typeof queueSchema>;
export type SnapshotManaged = z.infer<typeof managedSchema>;
export type SnapshotPool = z.infer<typeof poolSchema>;
