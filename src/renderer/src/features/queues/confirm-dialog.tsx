import { useEffect, useRef, useState, type ReactNode } from 'react';

/**
 * A native modal <dialog> (showModal makes the page behind it inert) that asks before a
 * destructive queue action. With `typed`, the action stays disabled until that exact text is
 * typed (obliterate: the queue's name), so a stray Enter cannot destroy a queue.
 */
export function ConfirmDialog({
  question,
  action,
  typed,
  onConfirm,
  onClose,
}: {
  question: ReactNode;
  /** The button's text ("Obliterate"). */
  action: string;
  typed?: string;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [text, setText] = useState('');
  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  const ok = typed === undefined || text === typed;
  return (
    <dialog
      ref={dialog}
      className="modal"
      aria-label={`Confirm ${action.toLowerCase()}`}
      data-testid="queue-confirm"
      // Escape closes through onClose, so the parent's state says the dialog is gone.
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          if (ok) onConfirm();
        }}
      >
        <p className="question">{question}</p>
        {typed !== undefined && (
          <label className="inline">
            Type <code>{typed}</code> to confirm{' '}
            <input
              autoFocus
              aria-label="Confirmation text"
              value={text}
              onChange={(e) => setText(e.target.value)}
              autoComplete="off"
              spellCheck={false}
            />
          </label>
        )}
        <div className="modal-buttons">
          <button type="button" onClick={onClose} autoFocus={typed === undefined}>
            Cancel
          </button>
          <button type="submit" className="danger" disabled={!ok}>
            {action}
          </button>
        </div>
      </form>
    </dialog>
  );
}
