/**
 * The Hosts view: this machine and every remote Spindle it watches, one row each with CPU,
 * load and memory sparklines (gaps while a host was down), managed processes running and
 * failed, pool backlog, connection state and whether the host allows control. Choosing a
 * row switches every view to that host. Credentials go to the local server and stay there.
 */
import { useEffect, useState, useSyncExternalStore, type FormEvent } from 'react';
import type { HostRow } from '../../../../shared/contract';
import { LOCAL_HOST } from '../../../../shared/local-host';
import type { Client } from '../../api/client';
import { useReadOnly } from '../../lib/read-only';
import { useHosts } from './hosts-context';
import { Sparkline } from './sparkline';
import './hosts.css';

const pct = (v: number): string => `${v.toFixed(0)} %`;
const load = (v: number): string => v.toFixed(2);

const STATE_LABEL: Record<HostRow['state'], string> = {
  connecting: 'connecting…',
  up: 'up',
  down: 'down',
  reconnecting: 'reconnecting…',
};

function AddHost({ client }: { client: Client }) {
  const readOnly = useReadOnly();
  const [url, setUrl] = useState('');
  const [token, setToken] = useState('');
  const [name, setName] = useState('');
  const [certificate, setCertificate] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    const res = await client.api.request('hosts.add', {
      url,
      token,
      ...(name ? { name } : {}),
      ...(certificate.trim() ? { certificate: certificate.trim() } : {}),
    });
    setBusy(false);
    if (!res.ok) return setError(`${res.error.code}: ${res.error.message}`);
    setError(null);
    setUrl('');
    setToken('');
    setName('');
    setCertificate('');
  };
  return (
    <form className="host-add toolbar" onSubmit={(e) => void submit(e)} aria-label="Add a host">
      <label>
        URL{' '}
        <input
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          placeholder="http://10.0.0.5:7070"
          required
          size={28}
          name="host-url"
        />
      </label>
      <label>
        Token{' '}
        <input
          type="password"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          autoComplete="off"
          required
          size={20}
          name="host-token"
        />
      </label>
      <label>
        Name{' '}
        <input
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="optional"
          size={12}
          name="host-name"
        />
      </label>
      <details className="host-cert">
        <summary>Self-signed?</summary>
        <label>
          <span>
            Trust this host&apos;s certificate (PEM, https only: its <code>--tls-cert</code> file, or the CA
            that signed it)
          </span>
          <textarea
            value={certificate}
            onChange={(e) => setCertificate(e.target.value)}
            placeholder="-----BEGIN CERTIFICATE-----"
            rows={4}
            cols={64}
            spellCheck={false}
            name="host-certificate"
          />
        </label>
      </details>
      <button
        className="btn"
        type="submit"
        disabled={busy || readOnly !== null}
        title={readOnly ?? undefined}
      >
        Add host
      </button>
      {error && (
        <span className="error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}

export function HostsView({ client }: { client: Client }) {
  const hosts = useHosts();
  const view = useSyncExternalStore(hosts.store.subscribe, hosts.store.get);
  // The sparklines move each tick: the list comes each tick while this view is shown.
  useEffect(() => hosts.store.watchTicks(), [hosts.store]);
  const readOnly = useReadOnly();
  const [removeError, setRemoveError] = useState<string | null>(null);
  const remove = async (id: string): Promise<void> => {
    const res = await client.api.request('hosts.remove', { id });
    setRemoveError(res.ok ? null : `${res.error.code}: ${res.error.message}`);
    if (res.ok && hosts.current === id) hosts.choose(LOCAL_HOST);
  };
  return (
    <section className="hosts-view">
      <p className="muted">
        Other Spindle servers (<code>spindle agent</code> or <code>spindle web</code>) watched by this one.
        Choose a host to show it in every view; its credential stays on this server.
      </p>
      <AddHost client={client} />
      {view.error && (
        <p className="error" role="alert">
          cannot list hosts — {view.error.code}: {view.error.message}
        </p>
      )}
      {removeError && (
        <p className="error" role="alert">
          {removeError}
        </p>
      )}
      <table className="hosts-table" aria-label="Hosts">
        <thead>
          <tr>
            <th scope="col">Host</th>
            <th scope="col">State</th>
            <th scope="col">Control</th>
            <th scope="col">CPU</th>
            <th scope="col">Load</th>
            <th scope="col">Memory</th>
            <th scope="col">Managed</th>
            <th scope="col">Pool backlog</th>
            <th scope="col">Queue backlog</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {view.hosts.map((h) => {
            const current = h.id === hosts.current;
            const loadMax = Math.max(1, ...h.series.load1.map((v) => v ?? 0));
            return (
              <tr
                key={h.id}
                className={current ? 'host-row current' : 'host-row'}
                data-host={h.id}
                aria-current={current}
              >
                <th scope="row">
                  <button
                    className="link host-choose"
                    onClick={() => hosts.choose(h.id)}
                    aria-pressed={current}
                  >
                    {h.name}
                  </button>
                  <div className="muted host-url">{h.id === LOCAL_HOST ? 'this machine' : h.url}</div>
                  {h.trusts && (
                    <div className="muted host-trust" title={`SHA-256 ${h.trusts}`} data-testid="host-trust">
                      trusts its own certificate {h.trusts.slice(0, 11)}…
                    </div>
                  )}
                </th>
                <td>
                  <span className={`host-state host-state-${h.state}`} data-state={h.state}>
                    {STATE_LABEL[h.state]}
                  </span>
                  {h.error && (
                    <div className="host-error" title={h.error.message}>
                      {h.error.code}: {h.error.message}
                    </div>
                  )}
                </td>
                <td data-testid="host-control">
                  {h.readOnly === null ? '—' : h.readOnly ? 'read-only' : 'allowed'}
                </td>
                <td>
                  <Sparkline values={h.series.cpuBusy} max={100} label={`${h.name} CPU busy`} format={pct} />
                </td>
                <td>
                  <Sparkline
                    values={h.series.load1}
                    max={loadMax}
                    label={`${h.name} load (1 min)`}
                    format={load}
                  />
                </td>
                <td>
                  <Sparkline
                    values={h.series.memUsedPct}
                    max={100}
                    label={`${h.name} memory used`}
                    format={pct}
                  />
                </td>
                <td>
                  {h.managed ? (
                    <>
                      <span className="sup-state-running">{h.managed.running} running</span>
                      {h.managed.failed > 0 && (
                        <span className="sup-state-fatal"> · {h.managed.failed} failed</span>
                      )}
                    </>
                  ) : (
                    '—'
                  )}
                </td>
                <td>{h.poolBacklog ?? '—'}</td>
                <td>{h.queueBacklog ?? '—'}</td>
                <td>
                  {h.id !== LOCAL_HOST && (
                    <button
                      className="btn"
                      onClick={() => void remove(h.id)}
                      disabled={readOnly !== null}
                      aria-label={`Remove host ${h.name}`}
                    >
                      Remove
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
