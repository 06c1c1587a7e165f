/** The topbar's host choice (shown once there is more than this machine), and the banner of a remote host. */
import { useMemo, useSyncExternalStore } from 'react';
import type { HostRow } from '../../../../shared/contract';
import { LOCAL_HOST } from '../../../../shared/local-host';
import { useHosts } from './hosts-context';

type HostBrief = Pick<HostRow, 'id' | 'name' | 'url' | 'state' | 'readOnly' | 'error'>;

/**
 * The hosts' names and states only. The hosts event comes every second with sparklines; the
 * picker and the banner re-render when what they show changes, not on every tick (the
 * snapshot is a string, equal while nothing they show changed).
 */
function useHostBriefs(): HostBrief[] {
  const { store } = useHosts();
  const key = useSyncExternalStore(store.subscribe, () =>
    JSON.stringify(
      store.get().hosts.map(({ id, name, url, state, readOnly, error }) => ({
        id,
        name,
        url,
        state,
        readOnly,
        error,
      })),
    ),
  );
  return useMemo(() => JSON.parse(key) as HostBrief[], [key]);
}

export function HostPicker() {
  const hosts = useHosts();
  const briefs = useHostBriefs();
  if (briefs.length < 2) return null;
  return (
    <label className="host-picker">
      Host{' '}
      <select value={hosts.current} onChange={(e) => hosts.choose(e.target.value)} data-testid="host-picker">
        {briefs.map((h) => (
          <option key={h.id} value={h.id}>
            {h.name}
            {h.state === 'up' ? '' : ` (${h.state})`}
          </option>
        ))}
      </select>
    </label>
  );
}

export function HostBanner() {
  const hosts = useHosts();
  const briefs = useHostBriefs();
  if (hosts.current === LOCAL_HOST) return null;
  const h = briefs.find((x) => x.id === hosts.current);
  if (!h) return null;
  return (
    <div className="host-banner" role="status" data-testid="host-banner">
      Showing host <strong>{h.name}</strong> <span className="muted">{h.url}</span>
      {h.readOnly && ' — read-only: control requests are refused (EREADONLY)'}
      {h.state !== 'up' && ` — ${h.state}${h.error ? `: ${h.error.code} ${h.error.message}` : ''}`}
    </div>
  );
}
