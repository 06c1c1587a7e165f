/** The processes area's request handlers, spread into Core's handler table. */
import type { Handlers } from '../rpc';
import type { ProcessControl } from './process-control';

type ProcessesHandlers = Pick<Handlers, `processes.${string}` & keyof Handlers>;

/** One handler per `processes.*` method; the client label goes into the audit log. */
export function processesHandlers(control: ProcessControl): ProcessesHandlers {
  return {
    'processes.end': (p, ctx) => control.end(ctx.client.label, p.key, p.timeoutMs),
    'processes.kill': (p, ctx) => control.kill(ctx.client.label, p.key),
    'processes.signal': (p, ctx) => control.signal(ctx.client.label, p.key, p.signal),
    'processes.end-tree': (p, ctx) => control.endTree(ctx.client.label, p.key, p.timeoutMs),
    'processes.renice': (p, ctx) => control.renice(ctx.client.label, p.key, p.nice),
    'processes.details': (p) => control.details(p.key),
    'processes.tree-size': (p) => control.treeSize(p.key),
  };
}
