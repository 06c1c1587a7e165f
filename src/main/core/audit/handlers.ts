/** The audit area's request: the log so far, and its live entries. */
import type { AreaHandlers } from '../rpc';
import type { AuditLog } from './audit-log';

/** Handler for `audit.list`. */
export function auditHandlers(log: AuditLog): AreaHandlers<'audit'> {
  return {
    'audit.list': (p, ctx) => {
      if (p?.subscribe) ctx.subscribe('audit');
      return log.list();
    },
  };
}
