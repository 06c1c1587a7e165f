import { useEffect, useRef, useState } from 'react';
import { PROCESS_LIMITS, SIGNALS, type ProcRow } from '../../../../shared/contract';
import type { Client } from '../../api/client';
import { describe, runAction, verb, type ControlAction } from './control-actions';

/** What the dialog is showing: a signal menu to choose from, or one action to confirm. */
export type DialogState =
  { mode: 'menu'; row: ProcRow } | { mode: 'confirm'; row: ProcRow; action: ControlAction };

type Phase =
  { kind: 'ask' } | { kind: 'running' } | { kind: 'done'; ok: boolean; code?: string; message: string };

interface Props {
  client: Client;
  state: DialogState;
  onChoose: (a: ControlAction) => void;
  onClose: () => void;
}

/** A modal that confirms a control action, naming its target, then shows how it ended. Escape closes. */
export function ControlDialog({ client, state, onChoose, onClose }: Props) {
  const [phase, setPhase] = useState<Phase>({ kind: 'ask' });
  const [action, setAction] = useState<ControlAction | null>(state.mode === 'confirm' ? state.action : null);
  const first = useRef<HTMLButtonElement>(null);
  const row = state.mode === 'confirm' ? state.row : state.row;

  useEffect(() => {
    setPhase({ kind: 'ask' });
    setAction(state.mode === 'confirm' ? state.action : null);
  }, [state]);
  useEffect(() => first.current?.focus(), [state, phase.kind]);

  // A tree's size is counted by core at the moment of asking, not from a possibly stale table.
  useEffect(() => {
    if (state.mode !== 'confirm' || state.action.kind !== 'end-tree' || state.action.total !== null) return;
    let live = true;
    void client.api.request('processes.tree-size', { key: state.row.key }).then((r) => {
      if (!live) return;
      if (r.ok)
        setAction({
          ...(state.action as Extract<ControlAction, { kind: 'end-tree' }>),
          total: r.value.total,
        });
      else setPhase({ kind: 'done', ok: false, code: r.error.code, message: r.error.message });
    });
    return () => void (live = false);
  }, [client, state]);

  const run = async (): Promise<void> => {
    if (!action) return;
    setPhase({ kind: 'running' });
    const r = await runAction(client, row.key, action);
    setPhase(
      r.ok
        ? { kind: 'done', ok: r.value.result !== 'running', message: r.value.message }
        : { kind: 'done', ok: false, code: r.error.code, message: r.error.message },
    );
  };

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-label={state.mode === 'menu' ? `Signal ${row.name}` : 'Confirm'}
        data-testid="control-dialog"
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            onClose();
          }
        }}
      >
        {state.mode === 'menu' ? (
          <SignalMenu row={row} onChoose={onChoose} onClose={onClose} firstRef={first} />
        ) : phase.kind === 'done' ? (
          <>
            <p className="question">
              {action ? verb(action) : ''} · {row.name} (PID {row.pid})
            </p>
            <p
              className={phase.ok ? 'outcome ok' : 'outcome bad'}
              role="status"
              data-testid="control-outcome"
            >
              {phase.code && <code>{phase.code}</code>} {phase.message}
            </p>
            <div className="modal-buttons">
              <button ref={first} onClick={onClose}>
                Close
              </button>
            </div>
          </>
        ) : (
          <>
            <p className="question">{action ? describe(action, row) : ''}</p>
            {action?.kind === 'end' || action?.kind === 'end-tree' ? (
              <label className="inline">
                KILL after{' '}
                <input
                  type="number"
                  min={PROCESS_LIMITS.endTimeoutMs.min / 1000}
                  max={PROCESS_LIMITS.endTimeoutMs.max / 1000}
                  step={0.5}
                  value={action.timeoutMs / 1000}
                  onChange={(e) =>
                    setAction({ ...action, timeoutMs: Math.round(Number(e.target.value) * 1000) || 50 })
                  }
                />{' '}
                s
              </label>
            ) : null}
            {action?.kind === 'renice' && (
              <label className="inline">
                nice{' '}
                <input
                  type="number"
                  min={PROCESS_LIMITS.nice.min}
                  max={PROCESS_LIMITS.nice.max}
                  value={action.nice}
                  onChange={(e) =>
                    setAction({
                      kind: 'renice',
                      nice: Math.max(-20, Math.min(19, Math.round(Number(e.target.value)) || 0)),
                    })
                  }
                />
              </label>
            )}
            <div className="modal-buttons">
              <button onClick={onClose}>Cancel</button>
              <button
                ref={first}
                className="danger"
                disabled={phase.kind === 'running' || (action?.kind === 'end-tree' && action.total === null)}
                onClick={() => void run()}
              >
                {phase.kind === 'running' ? 'Working…' : action ? verb(action) : ''}
              </button>
            </div>
          </>
        )}
      </div>
    </div>
  );
}

function SignalMenu({
  row,
  onChoose,
  onClose,
  firstRef,
}: {
  row: ProcRow;
  onChoose: (a: ControlAction) => void;
  onClose: () => void;
  firstRef: React.RefObject<HTMLButtonElement | null>;
}) {
  return (
    <>
      <p className="question">
        Send a signal to {row.name} (PID {row.pid})
      </p>
      <div className="signal-grid" role="menu">
        {SIGNALS.map((s, i) => (
          <button
            key={s}
            role="menuitem"
            ref={i === 0 ? firstRef : undefined}
            onClick={() => onChoose({ kind: 'signal', signal: s })}
          >
            SIG{s}
          </button>
        ))}
        <button
          role="menuitem"
          onClick={() => onChoose({ kind: 'renice', nice: Math.min(19, row.nice + 5) })}
        >
          Renice…
        </button>
      </div>
      <div className="modal-buttons">
        <button onClick={onClose}>Cancel</button>
      </div>
    </>
  );
}
