/**
 * The Managed view's store: the list of managed processes and the recent output lines of
 * each (bounded per process; older lines stay in core and are fetched on search).
 */
import type { ManagedStatus, OutputBatch, OutputLine } from '../../../../shared/contract';
import type { ErrorValue } from '../../../../shared/result';
import type { Client } from '../../api/client';
import { FrameStore } from '../../lib/frame-store';

/** Lines kept per process in the window; the core ring holds more. */
export const LIVE_LINES = 2_000;

export interface SupervisorState {
  items: ManagedStatus[];
  /** Recent lines by managed id. A new array whenever lines arrive. */
  output: ReadonlyMap<string, OutputLine[]>;
  /** Dropped-line counts by id (core's ring). */
  dropped: ReadonlyMap<string, number>;
  /** Why the last subscribe failed; null once it succeeds. */
  error: ErrorValue | null;
}

export function createSupervisorStore(client: Client): FrameStore<SupervisorState> {
  const store = new FrameStore<SupervisorState>({
    items: [],
    output: new Map(),
    dropped: new Map(),
    error: null,
  });
  const subscribe = async (): Promise<void> => {
    const res = await client.api.request('supervisor.subscribe', {});
    if (!res.ok) {
      store.set({ ...store.get(), error: res.error });
      return;
    }
    store.set({ ...store.get(), items: res.value, error: null });
    // Fill each process's window with what core holds now.
    for (const m of res.value) {
      const page = await client.api.request('supervisor.output', { id: m.id, tail: 500 });
      if (!page.ok) continue;
      const s = store.get();
      const output = new Map(s.output);
      output.set(m.id, page.value.lines);
      store.set({ ...s, output });
    }
  };
  client.api.on('supervisor.list', (items: ManagedStatus[]) => {
    const s = store.get();
    const ids = new Set(items.map((m) => m.id));
    const output = new Map([...s.output].filter(([id]) => ids.has(id)));
    store.set({ ...s, items, output });
  });
  client.api.on('supervisor.output', (b: OutputBatch) => {
    const s = store.get();
    const prev = s.output.get(b.id) ?? [];
    const last = prev.at(-1)?.seq ?? 0;
    const fresh = b.lines.filter((l) => l.seq > last);
    const next = prev.concat(fresh);
    const output = new Map(s.output);
    output.set(b.id, next.length > LIVE_LINES ? next.slice(-LIVE_LINES) : next);
    const dropped = new Map(s.dropped);
    dropped.set(b.id, b.dropped);
    store.set({ ...s, output, dropped });
  });
  client.onReconnect(() => void subscribe());
  void subscribe();
  return store;
}

/** Short text for a state and its exit, e.g. "exited (code 3)". */
export function stateText(m: ManagedStatus): string {
  const e = m.lastExit;
  const exit = e ? (e.signal ? `signal ${e.signal}` : `code ${e.code}`) : '';
  if (m.state === 'exited' && exit) return `exited (${exit})`;
  if (m.state === 'backoff' && m.nextStartAt)
    return `backoff (${Math.max(0, Math.round((m.nextStartAt - Date.now()) / 100) / 10)} s)`;
  return m.state;
}
