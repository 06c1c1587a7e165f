/** Plain clients for the web server's tests: HTTP(S) requests, raw bytes and WebSockets. */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { WebSocket } from 'ws';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request; `ca` makes it HTTPS trusting that certificate. */
export function send(
  port: number,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string; ca?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = (init.ca ? httpsRequest : httpRequest)(
      { host: '127.0.0.1', port, path, method: init.method ?? 'GET', headers: init.headers, ca: init.ca },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

/** POST a JSON body from the page's own origin. */
export function postJson(
  port: number,
  path: string,
  value: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  return send(port, path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(value),
  });
}

/** Trade a one-time code for a session credential (null when refused). */
export async function exchange(port: number, code: string): Promise<string | null> {
  const r = await postJson(port, '/api/session', { code });
  return r.status === 200 ? (JSON.parse(r.body) as { value: { session: string } }).value.session : null;
}

/** The one-time code in a printed URL. */
export const codeOf = (url: string): string => new URL(url).searchParams.get('code')!;

/** Write raw bytes on a new socket; resolves with everything the server sent before closing. */
export function raw(port: number, bytes: string): Promise<string> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    let got = '';
    s.on('data', (d: Buffer) => (got += d.toString('latin1')));
    s.on('error', () => {});
    s.on('close', () => resolve(got));
    // Half-close after writing: a server that waits for more still answers, then closes.
    s.write(bytes, 'latin1', () => s.end());
  });
}

/** Open a WebSocket the way a browser does (credential in the subprotocol); resolves the socket or the refusal status. */
export function openWs(
  url: string,
  opts: {
    session?: string;
    bearer?: string;
    origin?: string;
    host?: string;
    ca?: string;
    /** False: never answer pings (a peer that is gone). */
    autoPong?: boolean;
  } = {},
): Promise<WebSocket | number> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = {};
    if (opts.host) headers.Host = opts.host;
    if (opts.bearer) headers.Authorization = `Bearer ${opts.bearer}`;
    const protocols = opts.session ? ['spindle.v1', `spindle.bearer.${opts.session}`] : undefined;
    const ws = new WebSocket(url, protocols, {
      headers,
      origin: opts.origin,
      ca: opts.ca,
      autoPong: opts.autoPong ?? true,
    });
    ws.on('open', () => resolve(ws));
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(-1));
  });
}

/** Send one request and resolve its reply (events are skipped). */
export function call(ws: WebSocket, msg: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMsg = (data: Buffer): void => {
      const m = JSON.parse(String(data)) as Record<string, unknown>;
      if ('event' in m) return;
      ws.off('message', onMsg);
      resolve(m);
    };
    ws.on('message', onMsg);
    ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  });
}
