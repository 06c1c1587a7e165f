/** The system area's requests: static machine facts and what this client is attached as. */
import type { SystemInfo } from '../../../shared/contract';
import type { AreaHandlers } from '../rpc';
import { APP_VERSION } from '../version';

/** Handlers for `system.info` and `app.info`. */
export function systemHandlers(systemInfo: () => Promise<SystemInfo>): AreaHandlers<'system' | 'app'> {
  return {
    'system.info': () => systemInfo(),
    'app.info': (_p, ctx) => ({
      version: APP_VERSION,
      transport: ctx.client.transport,
      readOnly: ctx.client.readOnly,
    }),
  };
}
