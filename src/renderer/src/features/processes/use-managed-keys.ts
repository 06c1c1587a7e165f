import { useMemo, useSyncExternalStore } from 'react';
import type { ManagedStatus } from '../../../../shared/contract';
import { useStores } from '../../stores';

/** Process-table keys of managed processes (every live stage), to their names. */
export function managedKeys(items: readonly ManagedStatus[]): ReadonlyMap<string, string> {
  const keys = new Map<string, string>();
  for (const m of items) for (const k of m.procKeys) keys.set(k, m.definition.name);
  return keys;
}

/**
 * The managed keys, from the supervisor store: its list is pushed (`supervisor.list`) and
 * fetched again after a reconnect, so the marks follow it without a poll of their own.
 */
export function useManagedKeys(): ReadonlyMap<string, string> {
  const { supervisor } = useStores();
  const items = useSyncExternalStore(supervisor.subscribe, () => supervisor.get().items);
  return useMemo(() => managedKeys(items), [items]);
}
