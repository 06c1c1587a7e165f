/**
 * The one list of process-table fields: each ProcRow field, its kind and whether it may be
 * null, in the order files store them. The delta codec, the snapshot's CSV columns and zod
 * schema (hence docs/snapshot.schema.json), the CSV reader and the window's table columns are
 * derived from it; the checks below make a field missing here, or disagreeing with ProcRow
 * about null or its type, a compile error.
 */
import type { ProcRow } from './stats';

/** How a field is stored: `key` is `${pid}:${starttime}`; `count` a non-negative integer; `number` any finite number; `text` a string up to `max` characters. */
export type ProcFieldKind = 'key' | 'count' | 'number' | 'text';

/** One field's storage: its kind, whether null (unknown) is allowed, and a text's longest length. */
export interface ProcFieldSpec {
  kind: ProcFieldKind;
  nullable: boolean;
  max?: number;
}

const count = { kind: 'count', nullable: false } as const;
const number = { kind: 'number', nullable: false } as const;
const nullableNumber = { kind: 'number', nullable: true } as const;

/** Every ProcRow field, in CSV column order (the long `key` and `cmd` last). */
export const PROC_FIELDS = {
  pid: count,
  ppid: count,
  name: { kind: 'text', nullable: false, max: 1024 },
  user: { kind: 'text', nullable: true, max: 1024 },
  state: { kind: 'text', nullable: false, max: 16 },
  cpu: number,
  cpuNorm: number,
  rss: number,
  vsize: number,
  threads: { kind: 'count', nullable: true },
  fds: { kind: 'count', nullable: true },
  nice: number,
  priority: number,
  readBps: nullableNumber,
  writeBps: nullableNumber,
  startTime: number,
  key: { kind: 'key', nullable: false },
  cmd: { kind: 'text', nullable: false, max: 65_536 },
} as const satisfies { [K in keyof ProcRow]: ProcFieldSpec };

/** A ProcRow field name. */
export type ProcField = keyof typeof PROC_FIELDS;

/** The field names in CSV column order. */
export const PROC_FIELD_NAMES = Object.keys(PROC_FIELDS) as ProcField[];

type Specs = typeof PROC_FIELDS;
type ValueOf<S extends ProcFieldSpec> =
  (S['kind'] extends 'key' | 'text' ? string : number) | (S['nullable'] extends true ? null : never);
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Each field's value type from its spec must be exactly ProcRow's (null allowed iff nullable). */
type Agrees = { [K in ProcField]: Same<ValueOf<Specs[K]>, ProcRow[K]> };
type AllTrue<T extends { [K in ProcField]: true }> = T;
// Compile time only: a spec that disagrees with ProcRow fails here, naming the field.
export type ProcFieldsAgree = AllTrue<Agrees>;
