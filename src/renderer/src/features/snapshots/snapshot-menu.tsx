import { useRef, useState } from 'react';
import type { SnapshotFormat } from '../../../../shared/contract';
import type { Snapshot } from '../../../../shared/snapshot/schema';
import type { Client } from '../../api/client';
import { exportSnapshot, openSnapshotFile } from './snapshot-file';
import './snapshots.css';

const FORMATS: { format: SnapshotFormat; label: string }[] = [
  { format: 'json', label: 'Everything (JSON)' },
  { format: 'csv-processes', label: 'Process table (CSV)' },
  { format: 'csv-series', label: 'Time series (CSV)' },
];

/** Topbar controls: export a snapshot now, or open one to replay. */
export function SnapshotMenu({ client, onOpen }: { client: Client; onOpen: (s: Snapshot) => void }) {
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const menu = useRef<HTMLDetailsElement>(null);

  const doExport = async (format: SnapshotFormat): Promise<void> => {
    menu.current?.removeAttribute('open');
    const r = await exportSnapshot(client, format);
    setMessage(
      r.ok ? { text: r.value, error: false } : { text: `${r.error.code}: ${r.error.message}`, error: true },
    );
  };

  const doOpen = async (file: File | undefined): Promise<void> => {
    if (!file) return;
    const r = await openSnapshotFile(file);
    if (input.current) input.current.value = '';
    if (r.ok) {
      setMessage(null);
      onOpen(r.value);
    } else setMessage({ text: `${r.error.code}: ${r.error.message}`, error: true });
  };

  return (
    <div className="snapshot-menu">
      <details ref={menu} className="menu">
        <summary role="button" aria-label="Export snapshot">
          Export
        </summary>
        <div className="menu-items" role="menu">
          {FORMATS.map((f) => (
            <button key={f.format} role="menuitem" onClick={() => void doExport(f.format)}>
              {f.label}
            </button>
          ))}
        </div>
      </details>
      <button className="btn" onClick={() => input.current?.click()}>
        Open snapshot…
      </button>
      <input
        ref={input}
        type="file"
        accept=".json,application/json"
        hidden
        data-testid="snapshot-file"
        onChange={(e) => void doOpen(e.target.files?.[0])}
      />
      {message && (
        <span
          className={message.error ? 'snapshot-msg error' : 'snapshot-msg'}
          role={message.error ? 'alert' : 'status'}
        >
          {message.text}
          <button className="link" aria-label="Dismiss" onClick={() => setMessage(null)}>
            ×
          </button>
        </span>
      )}
    </div>
  );
}
