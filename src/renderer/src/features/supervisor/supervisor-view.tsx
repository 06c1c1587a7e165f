import { useRef, useState, useSyncExternalStore } from 'react';
import { Controls } from '../../lib/controls';
import type { ManagedStatus } from '../../../../shared/contract';
import type { Client } from '../../api/client';
import { SubscribeError } from '../../lib/subscribe-error';
import { useStores } from '../../stores';
import { LaunchForm } from './launch-form';
import { AddWorker } from './add-worker';
import { ManagedDetail } from './managed-detail';
import { ManagedList } from './managed-list';
import './supervisor.css';

/** The Managed view: launch form, list, and the selected process's output, chart and controls. */
export function SupervisorView({ client }: { client: Client }) {
  const { supervisor } = useStores();
  const state = useSyncExternalStore(supervisor.subscribe, supervisor.get);
  const [selected, setSelected] = useState<string | null>(null);
  const [editId, setEditId] = useState<string | null>(null);
  const current = state.items.find((m) => m.id === selected) ?? state.items.at(-1) ?? null;
  // The definition as it was when Edit was pressed: later list updates do not reset the form.
  const [editing, setEditing] = useState<ManagedStatus | null>(null);
  const startEdit = (m: ManagedStatus): void => {
    setEditing(m);
    setEditId(m.id);
  };
  const endEdit = (): void => {
    setEditing(null);
    setEditId(null);
  };
  const edited = editId && state.items.some((m) => m.id === editId) ? editing : null;
  return (
    <div className="sup-view">
      <div className="sup-side">
        <Controls>
          <LaunchForm
            key={edited?.id ?? 'new'}
            client={client}
            editing={edited}
            onCancelEdit={endEdit}
            onLaunched={(id) => {
              endEdit();
              setSelected(id);
            }}
          />
          <AddWorker client={client} onLaunched={setSelected} />
          <ImportExport client={client} />
        </Controls>
      </div>
      <div className="sup-main">
        <SubscribeError what="managed processes" error={state.error} />
        <section className="card" aria-label="Managed processes">
          <h2>Managed</h2>
          <ManagedList items={state.items} selected={current?.id ?? null} onSelect={setSelected} />
        </section>
        {current && (
          <ManagedDetail
            key={current.id}
            client={client}
            m={current}
            live={state.output.get(current.id) ?? []}
            dropped={state.dropped.get(current.id) ?? current.dropped}
            onEdit={() => startEdit(current)}
          />
        )}
      </div>
    </div>
  );
}

/** Export the definitions file as a download; import one (merged, as stopped). */
function ImportExport({ client }: { client: Client }) {
  const [note, setNote] = useState<string | null>(null);
  const file = useRef<HTMLInputElement>(null);
  const exportFile = async (): Promise<void> => {
    const res = await client.api.request('supervisor.export', {});
    if (!res.ok) return setNote(res.error.message);
    const url = URL.createObjectURL(new Blob([res.value.json], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'spindle-processes.json';
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  const importFile = async (f: File): Promise<void> => {
    const res = await client.api.request('supervisor.import', { json: await f.text(), mode: 'merge' });
    setNote(res.ok ? `imported ${res.value.added}` : `${res.error.code}: ${res.error.message}`);
  };
  return (
    <section className="card sup-io" aria-label="Definitions file">
      <button onClick={() => void exportFile()}>Export definitions</button>
      <button onClick={() => file.current?.click()}>Import…</button>
      <input
        ref={file}
        type="file"
        accept="application/json,.json"
        hidden
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) void importFile(f);
          e.target.value = '';
        }}
      />
      {note && <span className="muted">{note}</span>}
    </section>
  );
}
