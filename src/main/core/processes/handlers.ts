/** The processes area's request handlers and the audit description of each control request. */
import type { AuditOutcome, AuditTarget, ControlOutcome, ProcTarget } from '../../../shared/contract';
import type { AreaHandlers } from '../rpc';
import type { ProcessControl } from './process-control';

const auditTarget = (t: ProcTarget): AuditTarget => ({ pid: t.pid, startTime: t.startTime, name: t.name });

/** One handler per `processes.*` method. */
export function processesHandlers(control: ProcessControl): AreaHandlers<'processes'> {
  // The target is read before the signal (so an ended process keeps its name in the log)
  // and replaced by the one the action confirmed; "running" says the signal did not end it.
  const outcome = {
    target: (p: { key: string }) => auditTarget(control.targetOf(p.key)),
    detail: (r: ControlOutcome) => r.message,
    settled: (r: ControlOutcome) => ({
      target: auditTarget(r.target),
      outcome: (r.result === 'running' ? 'running' : 'ok') as AuditOutcome,
    }),
  };
  return {
    'processes.end': { run: (p) => control.end(p.key, p.timeoutMs), audit: { action: 'end', ...outcome } },
    'processes.kill': { run: (p) => control.kill(p.key), audit: { action: 'kill', ...outcome } },
    'processes.signal': {
      run: (p) => control.signal(p.key, p.signal),
      audit: { action: (p) => `signal SIG${p.signal}`, ...outcome },
    },
    'processes.end-tree': {
      run: (p) => control.endTree(p.key, p.timeoutMs),
      audit: { action: 'end tree', ...outcome },
    },
    'processes.renice': {
      run: (p) => control.renice(p.key, p.nice),
      audit: { action: (p) => `renice ${p.nice}`, ...outcome },
    },
    'processes.details': (p) => control.details(p.key),
    'processes.tree-size': (p) => control.treeSize(p.key),
  };
}
