/**
 * Reading a snapshot safely: size, nesting depth, forbidden keys, version, then the schema.
 * Every failure is a value naming the problem; nothing is thrown and nothing is changed.
 */
import type { Result } from '../result';
import {
  MAX_SNAPSHOT_BYTES,
  MAX_SNAPSHOT_DEPTH,
  SNAPSHOT_VERSION,
  snapshotSchema,
  snapshotV1Schema,
  type Snapshot,
} from './schema';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Deepest bracket nesting outside strings; stops early past `limit`. */
export function jsonDepth(text: string, limit: number): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91 /* { [ */) {
      if (++depth > max) max = depth;
      if (max > limit) return max;
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}

const bad = (code: string, message: string): Result<never> => ({ ok: false, error: { code, message } });

/** Parse and check a snapshot's text. */
export function parseSnapshot(text: string, bytes = text.length): Result<Snapshot> {
  if (bytes > MAX_SNAPSHOT_BYTES) {
    return bad('ESNAPSHOT_TOO_LARGE', `snapshot is ${bytes} bytes; the limit is ${MAX_SNAPSHOT_BYTES}`);
  }
  if (text.trim() === '') return bad('ESNAPSHOT_EMPTY', 'the file is empty');
  if (jsonDepth(text, MAX_SNAPSHOT_DEPTH) > MAX_SNAPSHOT_DEPTH) {
    return bad(
      'ESNAPSHOT_TOO_DEEP',
      `nesting deeper than ${MAX_SNAPSHOT_DEPTH} levels: not a Spindle snapshot`,
    );
  }
  let raw: unknown;
  let forbidden: string | null = null;
  try {
    raw = JSON.parse(text, function (key, value: unknown) {
      if (FORBIDDEN_KEYS.has(key)) forbidden ??= key;
      return value;
    });
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return bad('ESNAPSHOT_MALFORMED', `not valid JSON (truncated or damaged?): ${why}`);
  }
  if (forbidden !== null)
    return bad('ESNAPSHOT_FORBIDDEN_KEY', `the file contains a forbidden key "${forbidden}"`);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return bad('ESNAPSHOT_MALFORMED', 'expected a JSON object at the top level');
  }
  const version = (raw as { version?: unknown }).version;
  if (version !== SNAPSHOT_VERSION && version !== 1) {
    const v = typeof version === 'number' ? String(version) : JSON.stringify(version ?? null).slice(0, 40);
    return bad(
      'ESNAPSHOT_VERSION',
      typeof version === 'number' && version > SNAPSHOT_VERSION
        ? `snapshot version ${v} is newer than this Spindle reads (${SNAPSHOT_VERSION})`
        : `unsupported snapshot version ${v} (expected 1 to ${SNAPSHOT_VERSION})`,
    );
  }
  // Version 1 has no queues: read with its own schema, then given the current shape.
  const checked =
    version === 1
      ? snapshotV1Schema
          .transform((v1): Snapshot => ({ ...v1, version: SNAPSHOT_VERSION, queues: [] }))
          .safeParse(raw)
      : snapshotSchema.safeParse(raw);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    const more =
      checked.error.issues.length > 1 ? ` (and ${checked.error.issues.length - 1} more problems)` : '';
    return bad('ESNAPSHOT_INVALID', `snapshot${path}: ${issue.message}${more}`);
  }
  return { ok: true, value: checked.data };
}
