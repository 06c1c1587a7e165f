/**
 * `spindle agent`: web mode made to run as a service on each machine of a fleet. Read-only
 * unless told otherwise, `/metrics` on, a fixed port, and a token kept in a 0600 file that
 * Prometheus reads with `credentials_file`. Its start line says all of that at once.
 */
import { join } from 'node:path';
import { dataDirOf } from '../core/supervisor/definitions-store';
import { tokenFromEnv } from './security';
import { tokenFromFile } from './token-file';

/** The agent's default port (any free one is taken with --port 0). */
export const AGENT_PORT = 9556;

/** Where the agent's token comes from: --token-file, else SPINDLE_TOKEN, else `<data dir>/agent-token`. */
export function agentToken(
  tokenFile: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): { token: string; where: string; created: boolean } {
  if (tokenFile === undefined && env.SPINDLE_TOKEN) {
    return { token: tokenFromEnv(env), where: 'the SPINDLE_TOKEN variable', created: false };
  }
  const path = tokenFile ?? join(dataDirOf(env.SPINDLE_DATA_DIR), 'agent-token');
  return { ...tokenFromFile(path), where: path };
}

/**
 * The lines the agent prints once it listens; the first says what, where and whether it
 * controls. No one-time code: a service's output lands in a journal others may read, so a
 * window link is asked for (Enter on a terminal, or `POST /api/code` with the token).
 */
export function agentStartLines(o: {
  origin: string;
  readOnly: boolean;
  tokenWhere: string;
  created: boolean;
}): string[] {
  const mode = o.readOnly
    ? 'read-only: spawn, signal, stop and every other control are refused'
    : 'CONTROL ALLOWED (--allow-control): anyone with the token can spawn and end processes';
  return [
    `Spindle agent at ${o.origin} (${mode})`,
    `  metrics: ${o.origin}/metrics with Authorization: Bearer <the token in ${o.tokenWhere}>${o.created ? ' (new token, mode 0600)' : ''}`,
    `  window:  ${o.origin}/ (a one-time link: POST /api/code with the token, or Enter in a terminal)`,
  ];
}
