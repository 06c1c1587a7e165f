import { useMemo, useState, type FormEvent } from 'react';
import type { DefinitionInput, ManagedStatus, RestartPolicy } from '../../../../shared/contract';
import { joinCommandLine, splitCommandLine } from '../../../../shared/supervisor/split-command';
import type { Client } from '../../api/client';
import { parseEnv } from './parse-env';

/** The env editor's text for a stored definition (the inverse of parseEnv). */
const envToText = (env: { set: Record<string, string>; unset: string[] }): string =>
  [...Object.entries(env.set).map(([k, v]) => `${k}=${v}`), ...env.unset.map((k) => `-${k}`)].join('\n');

/**
 * The launch form: a pasted command line is split as a shell would and shown as argv before
 * launch. Given `editing`, it starts from that definition and saves it in place instead
 * (settings the form does not show, such as backoff and output limits, are kept).
 */
export function LaunchForm({
  client,
  onLaunched,
  editing = null,
  onCancelEdit,
}: {
  client: Client;
  onLaunched: (id: string) => void;
  editing?: ManagedStatus | null;
  onCancelEdit?: () => void;
}) {
  const def = editing?.definition;
  const [name, setName] = useState(def?.name ?? '');
  const [line, setLine] = useState(
    !def
      ? ''
      : def.shell
        ? def.stages.map((s) => s.command).join(' | ')
        : joinCommandLine(def.stages.map((s) => [s.command, ...s.args])),
  );
  const [cwd, setCwd] = useState(def?.cwd ?? '');
  const [envText, setEnvText] = useState(def ? envToText(def.env) : '');
  const [shell, setShell] = useState(def?.shell ?? false);
  const [restart, setRestart] = useState<RestartPolicy>(def?.restart ?? 'never');
  const [runTimeout, setRunTimeout] = useState(
    def?.runTimeoutMs != null ? String(def.runTimeoutMs / 1000) : '',
  );
  const [stopTimeout, setStopTimeout] = useState(def ? String(def.stopTimeoutMs / 1000) : '5');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const split = useMemo(() => splitCommandLine(line), [line]);
  const env = useMemo(() => parseEnv(envText), [envText]);
  // Editing and the env field untouched: the stored environment is kept as it is.
  const envKept = !!def && envText === envToText(def.env);
  const envError = envKept ? null : env.error;
  const problem = shell
    ? line.trim() === ''
      ? 'enter a command'
      : envError
    : (split.error ?? (split.stages.length === 0 ? 'enter a command' : envError));

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (problem) return;
    // In shell mode the shell itself runs any pipeline in the text: one stage.
    const stages = shell
      ? [{ command: line, args: [] }]
      : split.stages.map(([command, ...args]) => ({ command: command!, args }));
    let kept: Omit<DefinitionInput, 'name' | 'stages'> = {};
    if (def) {
      const { id: _id, ...rest } = def;
      kept = rest;
    }
    const definition: DefinitionInput = {
      ...kept,
      name: name.trim() || (shell ? line.slice(0, 40) : split.stages[0]![0]!.split('/').pop()!),
      stages,
      shell,
      restart,
      // An untouched env field keeps the stored environment exactly (a value with a newline
      // cannot round-trip through the one-variable-per-line editor).
      env: envKept && def ? def.env : { set: env.set, unset: env.unset },
      stopTimeoutMs: Math.round(Number(stopTimeout || '5') * 1000),
      runTimeoutMs: runTimeout.trim() ? Math.round(Number(runTimeout) * 1000) : null,
      cwd: cwd.trim() || undefined,
    };
    if (definition.cwd === undefined) delete definition.cwd;
    setBusy(true);
    const res = editing
      ? await client.api.request('supervisor.update', { id: editing.id, definition })
      : await client.api.request('supervisor.launch', { definition });
    setBusy(false);
    if (!res.ok) {
      setError(`${res.error.code}: ${res.error.message}`);
      return;
    }
    setError(null);
    onLaunched(res.value.id);
  };

  return (
    <form
      className="card sup-launch"
      onSubmit={(e) => void submit(e)}
      aria-label={editing ? 'Edit a managed process' : 'Launch a process'}
    >
      <h2>{editing ? `Edit “${editing.definition.name}”` : 'Launch'}</h2>
      {editing && (
        <p className="muted sup-note" data-testid="sup-edit-note">
          {editing.state === 'running' || editing.state === 'starting' || editing.state === 'backoff'
            ? 'Saving stops it (TERM, then KILL) and starts it again with these settings.'
            : 'Saving keeps it stopped; start it when you are ready.'}
        </p>
      )}
      <label>
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="(from the command)" />
      </label>
      <label>
        Command line
        <textarea
          data-testid="sup-command"
          value={line}
          rows={2}
          spellCheck={false}
          onChange={(e) => setLine(e.target.value)}
          placeholder={shell ? 'shell code, run with /bin/sh -c' : 'program arg1 "arg 2" | next-stage'}
        />
      </label>
      {!shell && line.trim() !== '' && (
        <div className="sup-argv" data-testid="sup-argv" aria-label="Arguments as they will be passed">
          {split.error ? (
            <span className="sup-bad">{split.error}</span>
          ) : (
            split.stages.map((argv, i) => (
              <div key={i} className="sup-stage">
                {split.stages.length > 1 && <span className="sup-stage-n">stage {i + 1}</span>}
                {argv.map((a, j) => (
                  <code key={j} className={j === 0 ? 'sup-arg sup-exe' : 'sup-arg'}>
                    {a === '' ? '""' : a}
                  </code>
                ))}
              </div>
            ))
          )}
          {split.literal.length > 0 && (
            <div className="sup-note">
              passed as plain text, not interpreted: {split.literal.map((o) => `“${o}”`).join(' ')}
            </div>
          )}
        </div>
      )}
      <label className="sup-check">
        <input type="checkbox" checked={shell} onChange={(e) => setShell(e.target.checked)} /> Run through a
        shell
      </label>
      {shell && (
        <div className="sup-warn" role="alert">
          Shell mode runs the text as /bin/sh code: quotes, $(…), ; and globs are interpreted. Only use it for
          text you wrote.
        </div>
      )}
      <div className="sup-row">
        <label>
          Working directory
          <input value={cwd} onChange={(e) => setCwd(e.target.value)} placeholder="(home)" />
        </label>
        <label>
          Restart
          <select value={restart} onChange={(e) => setRestart(e.target.value as RestartPolicy)}>
            <option value="never">never</option>
            <option value="on-failure">on failure</option>
            <option value="always">always</option>
          </select>
        </label>
      </div>
      <div className="sup-row">
        <label>
          Run timeout (s)
          <input
            inputMode="decimal"
            value={runTimeout}
            onChange={(e) => setRunTimeout(e.target.value)}
            placeholder="none"
          />
        </label>
        <label>
          Stop timeout (s)
          <input inputMode="decimal" value={stopTimeout} onChange={(e) => setStopTimeout(e.target.value)} />
        </label>
      </div>
      <label>
        Environment (NAME=value to add, -NAME to remove)
        <textarea value={envText} rows={2} spellCheck={false} onChange={(e) => setEnvText(e.target.value)} />
      </label>
      {(error || (problem && line.trim() !== '')) && (
        <div className="sup-bad" role="alert" data-testid="sup-launch-error">
          {error ?? problem}
        </div>
      )}
      <div className="sup-row">
        <button type="submit" className="primary" disabled={busy || !!problem} data-testid="sup-launch">
          {editing ? (busy ? 'Saving…' : 'Save') : busy ? 'Launching…' : 'Launch'}
        </button>
        {editing && (
          <button type="button" onClick={onCancelEdit} data-testid="sup-edit-cancel">
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
