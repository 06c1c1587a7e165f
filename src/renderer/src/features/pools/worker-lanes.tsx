import type { PoolStats, ProcRow } from '../../../../shared/contract';
import { showProcess } from '../../lib/navigate';
import { fmtMs } from '../../lib/format';
import { LANE_POINTS } from './pools-store';

/** One lane per worker: busy share per tick as cell shade (dead = hatched), its state and task now. */
export function WorkerLanes({
  pool,
  lanes,
  procCpu,
}: {
  pool: PoolStats;
  lanes: Record<number, number[]>;
  procCpu: (pid: number) => ProcRow | undefined;
}) {
  return (
    <section className="card" aria-label="Workers">
      <h2>Workers · activity over the last {LANE_POINTS} s</h2>
      <table className="lanes" data-testid="worker-lanes">
        <tbody>
          {pool.workers.map((w) => {
            const lane = lanes[w.n] ?? [];
            const row = pool.options.kind === 'processes' && w.pid ? procCpu(w.pid) : undefined;
            return (
              <tr key={w.n} className={`worker worker-${w.state}`} data-state={w.state}>
                <th scope="row">#{w.n}</th>
                <td className={`wstate wstate-${w.state}`}>{w.blocked ? 'blocked' : w.state}</td>
                <td className="lane">
                  <div className="lane-cells" aria-label={`worker ${w.n} activity`}>
                    {Array.from({ length: LANE_POINTS }, (_, k) => {
                      const v = lane[k - (LANE_POINTS - lane.length)];
                      if (v === undefined) return <span key={k} className="cell empty" />;
                      if (v < 0) return <span key={k} className="cell dead" />;
                      return (
                        <span
                          key={k}
                          className="cell"
                          title={`${Math.round(v * 100)}% busy`}
                          style={{ opacity: 0.12 + 0.88 * v }}
                        />
                      );
                    })}
                  </div>
                </td>
                <td className="num">
                  {w.state === 'dead' || w.task === null
                    ? (w.reason ?? '')
                    : `task ${w.task} · ${fmtMs(w.taskMs)}${w.inFlight > 1 ? ` (+${w.inFlight - 1} sent)` : ''}`}
                </td>
                <td className="num">{w.done} done</td>
                <td className="num">{Math.round(w.util * 100)}%</td>
                <td className="num muted">
                  {w.tid ? (
                    `tid ${w.tid}`
                  ) : w.pid ? (
                    <button
                      className="link"
                      title="Show this worker process in the process table"
                      onClick={() => showProcess(w.pid!)}
                    >
                      pid {w.pid}
                    </button>
                  ) : (
                    ''
                  )}
                  {w.cpu !== null
                    ? ` · ${w.cpu.toFixed(0)}% cpu`
                    : row
                      ? ` · ${row.cpu.toFixed(0)}% cpu`
                      : ''}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
