/**
 * The boundary: every request from any client passes here. The envelope, the method name
 * and the params are checked before any handler runs; failures return as values.
 */
import type { z } from 'zod';
import { requestEnvelope } from '../../shared/envelope';
import { requests, type EventName, type Events, type Method, type ResultOf } from '../../shared/contract';
import { SpindleError, fail, ok, type Result } from '../../shared/result';

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
  /** This session's own id (never shown to clients). */
  sessionId: string;
  subscribe(event: EventName): void;
  unsubscribe(event: EventName): void;
}

type ParsedParams<M extends Method> = z.output<(typeof requests)[M]['params']>;

export type Handler<M extends Method> = (
  params: ParsedParams<M>,
  ctx: HandlerContext,
) => ResultOf<M> | Promise<ResultOf<M>>;

/** One handler per method; the compiler refuses a missing one. */
export type Handlers = { [M in Method]: Handler<M> };

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** Check and run one request. Never throws. */
export async function dispatch(
  handlers: Handlers,
  raw: unknown,
  ctx: HandlerContext,
): Promise<Result<unknown>> {
  const env = requestEnvelope.safeParse(raw);
  if (!env.success) return fail('EBAD_MESSAGE', 'expected { method, params }');
  const { method } = env.data;
  if (!hasOwn(requests, method)) return fail('EUNKNOWN_METHOD', `unknown method ${method}`);
  const m = method as Method;
  const def = requests[m];
  if (def.control && ctx.client.readOnly) {
    return fail('EREADONLY', `${m} refused: this session is read-only`);
  }
  const params = def.params.safeParse(env.data.params);
  if (!params.success) {
    const issue = params.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') + ': ' : '';
    return fail('EINVAL', `${m}: ${where}${issue?.message ?? 'invalid params'}`);
  }
  try {
    const handler = handlers[m] as (p: unknown, c: HandlerContext) => unknown;
    return ok(await handler(params.data, ctx));
  } catch (err) {
    if (err instanceof SpindleError) return fail(err.code, err.message);
    console.error(`spindle: ${m} failed`, err);
    return fail('EINTERNAL', `${m} failed: internal error`);
  }
}

/** Sends one event to one client; `host` names the remote host it came from (absent: this server). */
export type Push = <E extends EventName>(event: E, payload: Events[E], host?: string) => void;
