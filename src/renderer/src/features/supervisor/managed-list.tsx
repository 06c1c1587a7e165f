import type { ManagedStatus } from '../../../../shared/contract';
import { joinCommandLine } from '../../../../shared/supervisor/split-command';
import { failedStartsText } from './failed-starts';
import { stateText } from './supervisor-store';

/** The managed processes as a list: state, pids, restarts, last exit; click to select. */
export function ManagedList({
  items,
  selected,
  onSelect,
}: {
  items: ManagedStatus[];
  selected: string | null;
  onSelect: (id: string) => void;
}) {
  if (items.length === 0) return <p className="muted sup-empty">Nothing managed yet: launch a command.</p>;
  return (
    <table className="sup-list" data-testid="sup-list">
      <thead>
        <tr>
          <th>Name</th>
          <th>State</th>
          <th>PID</th>
          <th>Restarts</th>
          <th>Command</th>
        </tr>
      </thead>
      <tbody>
        {items.map((m) => (
          <tr
            key={m.id}
            className={m.id === selected ? 'selected' : undefined}
            onClick={() => onSelect(m.id)}
            aria-selected={m.id === selected}
            data-testid="sup-item"
            data-name={m.definition.name}
            data-state={m.state}
          >
            <td>{m.definition.name}</td>
            <td>
              <span className={`sup-state sup-state-${m.state}`} data-testid="sup-state">
                {stateText(m)}
              </span>
            </td>
            <td className="num">{m.procKeys.map((k) => k.split(':')[0]).join(' | ') || '–'}</td>
            <td className="num" title={failedStartsText(m)}>
              {m.restarts}
              {m.failedStarts > 0 && (
                <span className={m.state === 'fatal' ? 'sup-warn-inline' : 'muted'}>
                  {' '}
                  ({m.failedStarts}/{m.definition.startLimit.count} failed)
                </span>
              )}
            </td>
            <td className="sup-cmd" title={commandText(m)}>
              {commandText(m)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The command as one line: argv quoted so it reads back the same; shell code as written. */
export const commandText = (m: ManagedStatus): string =>
  m.definition.shell
    ? m.definition.stages.map((s) => s.command).join(' | ')
    : joinCommandLine(m.definition.stages.map((s) => [s.command, ...s.args]));
