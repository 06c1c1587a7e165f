import { useState, type FormEvent } from 'react';
import type { Client } from '../../api/client';
import { Controls } from '../../lib/controls';
import { ErrorLine, type CodedError } from './error-line';

const num = (v: string): number | undefined => (v.trim() === '' ? undefined : Number(v));

/**
 * Connect to a Redis server: URL (redis:// or rediss://), user, password, db, key prefix.
 * The password field is cleared once sent and is never filled from the server (which only
 * ever answers `***`). With redis-server on the server's PATH, it offers a local one.
 */
export function ConnectForm({
  client,
  localRedisAvailable,
  onConnected,
}: {
  client: Client;
  localRedisAvailable: boolean;
  onConnected: (connectionId: string) => void;
}) {
  const [url, setUrl] = useState('redis://127.0.0.1:6379');
  const [name, setName] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [db, setDb] = useState('');
  const [prefix, setPrefix] = useState('');
  const [save, setSave] = useState(true);
  const [busy, setBusy] = useState<'connect' | 'local' | null>(null);
  const [error, setError] = useState<CodedError | null>(null);

  const connect = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy('connect');
    const res = await client.api.request('queues.connect', {
      url: url.trim(),
      name: name.trim() || undefined,
      username: username || undefined,
      password: password || undefined,
      db: num(db),
      prefix: prefix.trim() || undefined,
      save,
    });
    setBusy(null);
    setPassword('');
    if (!res.ok) return setError(res.error);
    setError(null);
    onConnected(res.value.id);
  };
  const startLocal = async (): Promise<void> => {
    setBusy('local');
    const res = await client.api.request('queues.startLocalRedis', {});
    setBusy(null);
    if (!res.ok) return setError(res.error);
    setError(null);
    onConnected(res.value.id);
  };

  return (
    <form className="card queue-form" aria-label="Connect to Redis" onSubmit={(e) => void connect(e)}>
      <h2>Connect to Redis</h2>
      <Controls>
        <div className="queue-form-grid">
          <label className="wide">
            URL
            <input
              name="url"
              value={url}
              onChange={(e) => setUrl(e.target.value)}
              placeholder="redis://host:6379/0 or rediss://…"
              required
            />
          </label>
          <label>
            User
            <input name="username" value={username} onChange={(e) => setUsername(e.target.value)} />
          </label>
          <label>
            Password
            <input
              name="password"
              type="password"
              autoComplete="off"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </label>
          <label>
            DB
            <input name="db" type="number" min={0} value={db} onChange={(e) => setDb(e.target.value)} />
          </label>
          <label>
            Prefix
            <input
              name="prefix"
              placeholder="bull"
              value={prefix}
              onChange={(e) => setPrefix(e.target.value)}
            />
          </label>
          <label>
            Label
            <input
              name="name"
              placeholder="host:port"
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          </label>
          <label className="check">
            <input type="checkbox" checked={save} onChange={(e) => setSave(e.target.checked)} /> Remember
          </label>
          <button type="submit" className="primary" disabled={busy !== null}>
            {busy === 'connect' ? 'Connecting…' : 'Connect'}
          </button>
          {localRedisAvailable && (
            <button type="button" onClick={() => void startLocal()} disabled={busy !== null}>
              {busy === 'local' ? 'Starting…' : 'Start a local Redis'}
            </button>
          )}
        </div>
      </Controls>
      <ErrorLine error={error} />
    </form>
  );
}
