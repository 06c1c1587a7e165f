import { useEffect, useState } from 'react';
import type { AppInfo, SystemInfo } from '../../../../shared/contract';
import type { Client } from '../../api/client';
import './host-info.css';

const gib = (b: number): string => `${(b / 1024 ** 3).toFixed(1)} GiB`;

/** Host name, OS, CPU model, cores and memory, read once. */
export function HostInfo({ client }: { client: Client }) {
  const [info, setInfo] = useState<SystemInfo | null>(null);
  const [app, setApp] = useState<AppInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const load = async (): Promise<void> => {
      const [s, a] = await Promise.all([
        client.api.request('system.info', {}),
        client.api.request('app.info', {}),
      ]);
      if (s.ok) setInfo(s.value);
      else setError(s.error.message);
      if (a.ok) setApp(a.value);
    };
    void load();
    return client.onReconnect(() => void load());
  }, [client]);
  if (error && !info) return <section className="card">System info unavailable: {error}</section>;
  if (!info) return <section className="card">Loading system info…</section>;
  return (
    <section className="card host" aria-label="Host">
      <h2 data-testid="hostname">{info.hostname}</h2>
      <dl>
        <dt>OS</dt>
        <dd>
          {info.distro} {info.release} ({info.platform}/{info.arch})
        </dd>
        <dt>CPU</dt>
        <dd>{info.cpuModel}</dd>
        <dt>Cores</dt>
        <dd data-testid="cores">{info.cores}</dd>
        <dt>Memory</dt>
        <dd>{gib(info.memTotal)}</dd>
        {app && (
          <>
            <dt>Spindle</dt>
            <dd>
              {app.version} · {app.transport}
              {app.readOnly ? ' · read-only' : ''}
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}
