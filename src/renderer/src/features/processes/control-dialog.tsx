import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
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
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
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
    void client.api.request('processes.treeSize', { key: state.row.key }).then((r) => {
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
    // A native modal <dialog>: showModal() makes the page behind it inert (no clicks, no focus).
    <dialog
      ref={dialog}
      className="modal"
      aria-label={state.mode === 'menu' ? `Signal ${row.name}` : 'Confirm'}
      data-testid="control-dialog"
      // Escape is handled below (it must not reach the view's own Escape); the native close is refused.
      onCancel={(e) => e.preventDefault()}
      onMouseDown={(e) => {
        // A press on the backdrop lands on the dialog element itself, outside its box.
        const r = e.currentTarget.getBoundingClientRect();
        const outside =
          e.clientX < r.left || e.clientX > r.right || e.clientY < r.top || e.clientY > r.bottom;
        if (e.target === e.currentTarget && outside) onClose();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          onClose();
        } else if (e.key === 'Tab') trapTab(e);
      }}
    >
      {state.mode === 'menu' ? (
        <SignalMenu row={row} onChoose={onChoose} onClose={onClose} firstRef={first} />
      ) : phase.kind === 'done' ? (
        <>
          <p className="question">
            {action ? verb(action) : ''} · {row.name} (PID {row.pid})
          </p>
          <p className={phase.ok ? 'outcome ok' : 'outcome bad'} role="status" data-testid="control-outcome">
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
    </dialog>
  );
}

/** Tab from the last control goes to the first and Shift+Tab from the first to the last. */
function trapTab(e: KeyboardEvent<HTMLDialogElement>): void {
  const focusable = [
    ...e.currentTarget.querySelectorAll<HTMLElement>('button, input, select, textarea, [tabindex]'),
  ].filter((el) => !(el as HTMLButtonElement).disabled && el.tabIndex >= 0);
  if (!focusable.length) return;
  const first = focusable[0]!;
  const last = focusable.at(-1)!;
  const at = document.activeElement;
  if (e.shiftKey ? at === first || !e.currentTarget.contains(at) : at === last) {
    e.preventDefault();
    (e.shiftKey ? last : first).focus();
  }
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
