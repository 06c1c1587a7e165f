/** The supervisor area's request handlers, spread into Core's handler table; control actions are audited. */
import type { AuditInput } from '../audit/audit-log';
import type { Handlers, HandlerContext } from '../rpc';
import type { ManagedStatus } from '../../../shared/contract';
import { redactList } from './redact';
import type { Supervisor } from './supervisor';

type SupervisorHandlers = Pick<Handlers, `supervisor.${string}` & keyof Handlers>;

/** Where control actions are recorded (Core's audit log). */
export interface AuditSink {
  record(entry: AuditInput): unknown;
}

/** One handler per `supervisor.*` method. */
export function supervisorHandlers(sup: Supervisor, audit: AuditSink): SupervisorHandlers {
  /** Run a control action and record how it went, success or error code. */
  const audited = async <T>(
    ctx: HandlerContext,
    action: string,
    target: { id?: string; name?: string },
    run: () => Promise<T>,
    detail: (v: T) => string = () => '',
  ): Promise<T> => {
    const name =
      target.name ?? (target.id ? sup.list().find((m) => m.id === target.id)?.definition.name : undefined);
    try {
      const v = await run();
      audit.record({
        client: ctx.client.label,
        action,
        target: { ...target, name },
        outcome: 'ok',
        detail: detail(v),
      });
      return v;
    } catch (err) {
      const code = (err as { code?: string }).code ?? 'EINTERNAL';
      audit.record({
        client: ctx.client.label,
        action,
        target: { ...target, name },
        outcome: code,
        detail: (err as Error).message,
      });
      throw err;
    }
  };
  const listFor = (ctx: HandlerContext): ManagedStatus[] =>
    ctx.client.readOnly ? redactList(sup.list()) : sup.list();
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
    'supervisor.launch': (p, ctx) =>
      audited(
        ctx,
        'launch',
        { name: p.definition.name },
        () => sup.launch(p.definition, p.start),
        (s) =>
          `${s.definition.stages.map((st) => [st.command, ...st.args].join(' ')).join(' | ')} ${pidOf(s)}`,
      ),
    'supervisor.update': (p, ctx) =>
      audited(
        ctx,
        'edit',
        { id: p.id, name: p.definition.name },
        () => sup.update(p.id, p.definition),
        pidOf,
      ),
    'supervisor.start': (p, ctx) => audited(ctx, 'start', { id: p.id }, () => sup.start(p.id), pidOf),
    'supervisor.stop': (p, ctx) =>
      audited(
        ctx,
        'stop',
        { id: p.id },
        () => sup.stop(p.id),
        (s) =>
          s.survivors.length
            ? `survivors: ${s.survivors.map((x) => `${x.name} (${x.pid})`).join(', ')}`
            : 'stopped, no survivors',
      ),
    'supervisor.restart': (p, ctx) => audited(ctx, 'restart', { id: p.id }, () => sup.restart(p.id), pidOf),
    'supervisor.remove': (p, ctx) =>
      audited(ctx, 'remove', { id: p.id }, () => sup.remove(p.id).then(() => null)),
    'supervisor.output': (p) => sup.output(p.id, p),
    'supervisor.export': (_p, ctx) => ({ json: sup.exportDefinitions(ctx.client.readOnly) }),
    'supervisor.import': (p, ctx) =>
      audited(
        ctx,
        `import ${p.mode}`,
        {},
        () => sup.importDefinitions(p.json, p.mode),
        (r) => `${r.added} added, ${r.removed} removed`,
      ),
  };
}
