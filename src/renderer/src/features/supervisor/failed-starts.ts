/** How close a managed process is to giving up; plain text, so it is tested under Node. */
import type { ManagedStatus } from '../../../../shared/contract';

/**
 * Failed starts against the limit, e.g. "2 of 5 failed starts (up < 1 s)"; empty when the
 * policy never restarts. At the limit the process is fatal.
 */
export function failedStartsText(m: Pick<ManagedStatus, 'failedStarts' | 'definition'>): string {
  const { restart, startLimit } = m.definition;
  if (restart === 'never') return '';
  const within = startLimit.minUptimeMs === 0 ? 'never gives up' : `up < ${startLimit.minUptimeMs / 1000} s`;
  return `${m.failedStarts} of ${startLimit.count} failed starts (${within})`;
}
