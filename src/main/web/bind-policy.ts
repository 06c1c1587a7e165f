/** Whether `spindle web` may bind an address: loopback always; anything else only over TLS or when told `--insecure`. */
import { isLoopback } from './security';

export type BindVerdict = { ok: true; warning?: string } | { ok: false; message: string };

/** Decide on a bind before listening; the warning (if any) is printed to stderr. */
export function checkBind(opts: {
  host: string;
  tls: boolean;
  insecure: boolean;
  readOnly: boolean;
}): BindVerdict {
  if (isLoopback(opts.host)) return { ok: true };
  const reach = `anyone who can reach ${opts.host} and has a code or the token can watch${opts.readOnly ? '' : ' and control'} this machine`;
  if (opts.tls) return { ok: true, warning: `binding ${opts.host}: ${reach}` };
  if (!opts.insecure) {
    return {
      ok: false,
      message: `refusing to bind ${opts.host} without TLS: the session credential would cross the network in clear text. Give --tls-cert and --tls-key, or --insecure to do it anyway`,
    };
  }
  return {
    ok: true,
    warning: `binding ${opts.host} WITHOUT TLS (--insecure): credentials and data travel in clear text; ${reach}`,
  };
}
