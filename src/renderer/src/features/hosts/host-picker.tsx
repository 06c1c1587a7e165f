/** The topbar's host choice (shown once there is more than this machine), and the banner of a remote host. */
import { useSyncExternalStore } from 'react';
import { LOCAL_HOST } from '../../../../shared/local-host';
import { useHosts } from './hosts-context';

export function HostPicker() {
  const hosts = useHosts();
  const view = useSyncExternalStore(hosts.store.subscribe, hosts.store.get);
  if (view.hosts.length < 2) return null;
  return (
    <label className="host-picker">
      Host{' '}
      <select value={hosts.current} onChange={(e) => hosts.choose(e.target.value)} data-testid="host-picker">
        {view.hosts.map((h) => (
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
  const view = useSyncExternalStore(hosts.store.subscribe, hosts.store.get);
  if (hosts.current === LOCAL_HOST) return null;
  const h = view.hosts.find((x) => x.id === hosts.current);
  if (!h) return null;
  return (
    <div className="host-banner" role="status" data-testid="host-banner">
      Showing host <strong>{h.name}</strong> <span className="muted">{h.url}</span>
      {h.readOnly && ' — read-only: control requests are refused (EREADONLY)'}
      {h.state !== 'up' && ` — ${h.state}${h.error ? `: ${h.error.code} ${h.error.message}` : ''}`}
    </div>
  );
}
