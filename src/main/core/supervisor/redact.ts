/**
 * What a read-only session may see of a definition: everything but the values of its
 * environment additions (tokens and passwords usually travel there). Names stay, so the
 * viewer still sees what is set.
 */
import type { Definition, ManagedStatus } from '../../../shared/contract';

/** Shown instead of an environment value. */
const REDACTED = '***';

/** The definition with every `env.set` value replaced by `***`. */
export function redactDefinition(def: Definition): Definition {
  const set = Object.fromEntries(Object.keys(def.env.set).map((k) => [k, REDACTED]));
  return { ...def, env: { ...def.env, set } };
}

/** The list as a read-only session receives it. */
export const redactList = (list: readonly ManagedStatus[]): ManagedStatus[] =>
  list.map((m) => ({ ...m, definition: redactDefinition(m.definition) }));
