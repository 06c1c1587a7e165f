import { useEffect, useState } from 'react';
import type { Client } from '../../api/client';

const EMPTY: ReadonlyMap<string, string> = new Map();
/** Managed processes change rarely; a light poll keeps the table's marks current. */
const POLL_MS = 2000;

/** Process-table keys of Spindle's managed processes (every live stage), to their names. */
export function useManagedKeys(client: Client): ReadonlyMap<string, string> {
  const [keys, setKeys] = useState(EMPTY);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async (): Promise<void> => {
      const r = await client.api.request('supervisor.list', {});
      if (stopped) return;
      if (r.ok) {
        const next = new Map<string, string>();
        for (const m of r.value) for (const k of m.procKeys) next.set(k, m.definition.name);
        setKeys((prev) => (sameMap(prev, next) ? prev : next));
      }
      // A replay or a refusal answers with an error: no marks, no more polling.
      if (r.ok) timer = setTimeout(() => void load(), POLL_MS);
    };
    void load();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [client]);
  return keys;
}

function sameMap(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}
