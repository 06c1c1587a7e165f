/**
 * The boundary: every request from any client passes here. The envelope, the method name
 * and the params are checked before any handler runs; failures return as values, and every
 * control request that reaches its handler leaves exactly one audit entry.
 */
import type { z } from 'zod';
import { requestEnvelope } from '../../shared/envelope';
import {
  requests,
  type AuditOutcome,
  type AuditTarget,
  type ControlMethod,
  type EventName,
  type Events,
  type Method,
  type ResultOf,
} from '../../shared/contract';
import { SpindleError, fail, ok, type Result } from '../../shared/result';
import type { AuditInput } from './audit/audit-log';

/** Who is asking: recorded in the audit log and used for read-only refusal. */
export interface ClientInfo {
  transport: 'electron' | 'web';
  readOnly: boolean;
  /** e.g. "window" or "web 127.0.0.1:53122" */
  label: string;
}

/** What a handler may use about the session that called it. */
export interface HandlerContext {
  client: ClientInfo;
  subscribe(event: EventName): void;
  unsubscribe(event: EventName): void;
}

/** The params a handler receives: already checked and defaulted by the contract's schema. */
export type ParamsFor<M extends Method> = z.output<(typeof requests)[M]['params']>;

export type Handler<M extends Method> = (
  params: ParamsFor<M>,
  ctx: HandlerContext,
) => ResultOf<M> | Promise<ResultOf<M>>;

/**
 * How dispatch records one control request in the audit log, declared next to its handler.
 * A failure is recorded with its error code and the message the client got (so an
 * EINTERNAL's detail stays out of the log as it stays out of the reply).
 */
export interface AuditDescription<M extends Method> {
  /** The verb the log shows: "end", "pool resize 4", "launch". */
  action: string | ((p: ParamsFor<M>) => string);
  /** What the request aims at, read before the handler runs (a removed thing still has its name). */
  target?: (p: ParamsFor<M>) => AuditTarget;
  /** A sentence for a success: "gone after 120 ms", "4 × sleep". */
  detail?: (r: ResultOf<M>, p: ParamsFor<M>) => string;
  /** From a success: the target as the handler confirmed it, and an outcome other than "ok". */
  settled?: (r: ResultOf<M>) => { target?: AuditTarget; outcome?: AuditOutcome };
}

/** A control request's handler and its audit description; the compiler refuses one without the other. */
export interface ControlHandler<M extends Method> {
  run: Handler<M>;
  audit: AuditDescription<M>;
}

/** One handler per method; the compiler refuses a missing one, or a control one without its audit. */
export type Handlers = {
  [M in Method]: M extends ControlMethod ? ControlHandler<M> : Handler<M>;
};

/** The handlers of one area, by method prefix: `AreaHandlers<'pools'>`. */
export type AreaHandlers<A extends string> = Pick<Handlers, Extract<Method, `${A}.${string}`>>;

/** Where dispatch records control requests (Core's audit log). */
export interface AuditSink {
  record(entry: AuditInput): unknown;
}

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** The one classification of a thrown failure: expected ones keep their code, bugs become EINTERNAL. */
function failure(m: Method, err: unknown): Result<never> {
  if (err instanceof SpindleError) return fail(err.code, err.message);
  console.error(`spindle: ${m} failed`, err);
  return fail('EINTERNAL', `${m} failed: internal error`);
}

/** Check and run one request; audit it when it is a control request. Never throws. */
export async function dispatch(
  handlers: Handlers,
  raw: unknown,
  ctx: HandlerContext,
  audit: AuditSink,
): Promise<Result<unknown>> {
  const env = requestEnvelope.safeParse(raw);
  if (!env.success) return fail('EBAD_MESSAGE', 'expected { method, params }');
  const { method } = env.data;
  if (!hasOwn(requests, method)) return fail('EUNKNOWN_METHOD', `unknown method ${method}`);
  const m = method as Method;
  const def = requests[m];
  // Refusals before the handler are not audited: a read-only or malformed client could
  // otherwise push real actions out of the bounded log.
  if (def.control && ctx.client.readOnly) {
    return fail('EREADONLY', `${m} refused: this session is read-only`);
  }
  const params = def.params.safeParse(env.data.params);
  if (!params.success) {
    const issue = params.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') + ': ' : '';
    return fail('EINVAL', `${m}: ${where}${issue?.message ?? 'invalid params'}`);
  }
  const entry = handlers[m] as Handler<Method> | ControlHandler<Method>;
  const run = (typeof entry === 'function' ? entry : entry.run) as (p: unknown, c: HandlerContext) => unknown;
  const desc: AuditDescription<Method> | null = def.control
    ? ((entry as Partial<ControlHandler<Method>>).audit ?? { action: m })
    : null;
  const before: AuditTarget = (desc && guarded(() => desc.target?.(params.data as never), undefined)) ?? {};
  let res: Result<unknown>;
  try {
    res = ok(await run(params.data, ctx));
  } catch (err) {
    res = failure(m, err);
  }
  if (desc) audit.record(auditEntry(desc, params.data, ctx.client.label, before, res));
  return res;
}

/** The one audit entry of a control request, from its description and how it ended. */
function auditEntry(
  desc: AuditDescription<Method>,
  params: unknown,
  client: string,
  target: AuditTarget,
  res: Result<unknown>,
): AuditInput {
  const p = params as never;
  const named = desc.action;
  const action = typeof named === 'string' ? named : guarded(() => named(p), 'control');
  if (!res.ok) return { client, action, target, outcome: res.error.code, detail: res.error.message };
  const r = res.value as never;
  const settled = guarded(() => desc.settled?.(r), undefined);
  return {
    client,
    action,
    target: settled?.target ?? target,
    outcome: settled?.outcome ?? 'ok',
    detail: guarded(() => desc.detail?.(r, p), undefined) ?? '',
  };
}

/** A description is a few property reads; a bug in one must not lose the request's reply. */
function guarded<T>(fn: () => T | undefined, fallback: T): T {
  try {
    return fn() ?? fallback;
  } catch (err) {
    console.error('spindle: audit description failed', err);
    return fallback;
  }
}

/** Sends one event to one client (the transport bounds what it queues). */
export type Push = <E extends EventName>(event: E, payload: Events[E]) => void;
