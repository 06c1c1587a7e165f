/** The supervisor's part of a usage snapshot: each managed process with its recent output. */
import type { SnapshotManaged } from '../../../shared/snapshot/schema';
import { joinCommandLine } from '../../../shared/supervisor/split-command';
import type { Supervisor } from './supervisor';

/** Lines of output per process in a snapshot (the schema allows up to 10,000). */
const SNAPSHOT_LINES = 1_000;

/** One snapshot row per managed process; a pipeline's command is its stages joined with |. */
export function snapshotRows(sup: Supervisor): SnapshotManaged[] {
  return sup.list().map((m) => {
    const first = m.definition.stages[0]!;
    const rest = m.definition.stages.slice(1);
    const page = sup.tail(m.id, SNAPSHOT_LINES);
    const starts = m.timeline.filter((e) => e.kind === 'start');
    return {
      id: m.id,
      name: m.definition.name,
      command: first.command,
      args: rest.length
        ? [...first.args, '|', joinCommandLine(rest.map((s) => [s.command, ...s.args]))]
        : first.args,
      state: m.state,
      pid: m.stages.find((s) => s.exit === null)?.pid ?? null,
      startTime: null,
      exitCode: m.lastExit?.code ?? null,
      signal: m.lastExit?.signal ?? null,
      restarts: m.restarts,
      startedAt: starts.at(-1)?.t ?? null,
      exitedAt: m.lastExit?.at ?? null,
      output: {
        lines: page.lines
          .filter((l) => l.stream !== 'sys')
          .map((l) => ({
            stream: l.stream === 'err' ? ('stderr' as const) : ('stdout' as const),
            text: l.text,
            t: l.t,
          })),
        dropped: page.dropped,
      },
    };
  });
}
