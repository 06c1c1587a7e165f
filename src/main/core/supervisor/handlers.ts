/** The supervisor area's request handlers and the audit description of each control request. */
import type { AuditTarget, ManagedStatus } from '../../../shared/contract';
import type { AreaHandlers, HandlerContext } from '../rpc';
import { redactList } from './redact';
import type { Supervisor } from './supervisor';

/** One handler per `supervisor.*` method. */
export function supervisorHandlers(sup: Supervisor): AreaHandlers<'supervisor'> {
  const listFor = (ctx: HandlerContext): ManagedStatus[] =>
    ctx.client.readOnly ? redactList(sup.list()) : sup.list();
  // Read before the action runs, so a removed definition still has its name in the log.
  const byId = (p: { id: string }): AuditTarget => ({
    id: p.id,
    name: sup.list().find((m) => m.id === p.id)?.definition.name,
  });
  const pidOf = (s: { procKeys: string[] }): string =>
    s.procKeys.length ? `pid ${s.procKeys.join(', ')}` : '';
  return {
    'supervisor.subscribe': (_p, ctx) => {
      ctx.subscribe('supervisor.list');
      ctx.subscribe('supervisor.output');
      return listFor(ctx);
    },
    'supervisor.unsubscribe': (_p, ctx) => {
      ctx.unsubscribe('supervisor.list');
      ctx.unsubscribe('supervisor.output');
      return null;
    },
    'supervisor.list': (_p, ctx) => listFor(ctx),
    'supervisor.launch': {
      run: (p) => sup.launch(p.definition, p.start),
      audit: {
        action: 'launch',
        target: (p) => ({ name: p.definition.name }),
        detail: (s) =>
          `${s.definition.stages.map((st) => [st.command, ...st.args].join(' ')).join(' | ')} ${pidOf(s)}`,
      },
    },
    'supervisor.update': {
      run: (p) => sup.update(p.id, p.definition),
      audit: { action: 'edit', target: (p) => ({ id: p.id, name: p.definition.name }), detail: pidOf },
    },
    'supervisor.start': {
      run: (p) => sup.start(p.id),
      audit: { action: 'start', target: byId, detail: pidOf },
    },
    'supervisor.stop': {
      run: (p) => sup.stop(p.id),
      audit: {
        action: 'stop',
        target: byId,
        detail: (s) =>
          s.survivors.length
            ? `survivors: ${s.survivors.map((x) => `${x.name} (${x.pid})`).join(', ')}`
            : 'stopped, no survivors',
      },
    },
    'supervisor.restart': {
      run: (p) => sup.restart(p.id),
      audit: { action: 'restart', target: byId, detail: pidOf },
    },
    'supervisor.remove': {
      run: (p) => sup.remove(p.id).then(() => null),
      audit: { action: 'remove', target: byId },
    },
    'supervisor.output': (p) => sup.output(p.id, p),
    'supervisor.export': (_p, ctx) => ({ json: sup.exportDefinitions(ctx.client.readOnly) }),
    'supervisor.import': {
      run: (p) => sup.importDefinitions(p.json, p.mode),
      audit: { action: (p) => `import ${p.mode}`, detail: (r) => `${r.added} added, ${r.removed} removed` },
    },
  };
}
