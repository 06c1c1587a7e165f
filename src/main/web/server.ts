/**
 * Web mode: the built renderer over HTTP(S) and the contract over a WebSocket at /ws, served
 * from the same Core the Electron window uses. Loopback by default; the printed URL carries a
 * one-time code the page trades for a session credential (see sessions.ts); Host, Origin and
 * fetch metadata checked; no CORS; connections, header time and unsent bytes bounded.
 */
import { readFileSync } from 'node:fs';
import {
  createServer as createHttp,
  type IncomingMessage,
  type Server,
  type ServerOptions,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { resolve } from 'node:path';
import type { Core } from '../core/core';
import { Metrics, type MetricsOptions } from '../core/metrics/metrics';
import { handleRequest, type RouteContext } from './routes';
import { allowedHosts, isLoopback, machineAddresses } from './security';
import { Credentials } from './sessions';
import { rateLimited } from './rate-limited';
import { createWss, handleUpgrade } from './ws-session';

export interface WebServerOptions {
  core: Core;
  staticDir: string;
  /** The long-lived token: accepted only as `Authorization: Bearer` (non-browser clients). */
  token: string;
  host?: string;
  port?: number;
  readOnly?: boolean;
  /** A name (DNS or address) browsers elsewhere use to reach this server; accepted as Host. */
  publicHost?: string;
  /** PEM files: serve HTTPS and WSS. */
  tls?: { cert: string; key: string };
  /** Sockets open at once (HTTP and WebSocket); past it new connections are closed at once. */
  maxConnections?: number;
  /** Time a client has to send a request's headers (also the limit for a socket that sends nothing). */
  headersTimeoutMs?: number;
  /** WebSocket ping interval; a socket with no pong by the next ping is half-open and dropped. */
  pingMs?: number;
  /** `GET /metrics` (Prometheus text, same credential as /api): its options, or false for none. */
  metrics?: MetricsOptions | false;
}

export interface WebServer {
  /** The URL to open, with a one-time code (printed once at start). */
  url: string;
  /** The origin, `http(s)://host:port`, without a code. */
  origin: string;
  port: number;
  credentials: Credentials;
  /** Sockets currently open to this server (HTTP keep-alive and WebSockets). */
  connections(): Promise<number>;
  close(): Promise<void>;
}

/** Default connection bound: a browser opens ~6 HTTP sockets and one WebSocket per tab. */
export const MAX_CONNECTIONS = 128;
/** Default ping interval: a half-open socket (peer gone without a FIN) is dropped within two of these. */
export const PING_MS = 30_000;
/** Default header time: a client on loopback sends headers in milliseconds; a slow one is holding a socket. */
export const HEADERS_TIMEOUT_MS = 10_000;

/** Answers to client errors that are expected (and not worth a log line). */
const CLIENT_ERROR_STATUS: Record<string, string> = {
  HPE_HEADER_OVERFLOW: '431 Request Header Fields Too Large',
  ERR_HTTP_REQUEST_TIMEOUT: '408 Request Timeout',
};

/** Start the web server; resolves once it listens. */
export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  // A client can send bad requests as fast as it likes; the log of them is bounded.
  const badRequestLog = rateLimited((line) => console.error(line));
  const host = opts.host ?? '127.0.0.1';
  const scheme = opts.tls ? 'https' : 'http';
  let allowed = new Set<string>();
  const credentials = new Credentials(opts.token);
  const metrics = opts.metrics === false ? null : new Metrics(opts.core, opts.metrics);
  const ctx: RouteContext = {
    core: opts.core,
    staticRoot: resolve(opts.staticDir),
    credentials,
    scheme,
    readOnly: opts.readOnly ?? false,
    allowed: () => allowed,
    pingMs: opts.pingMs ?? PING_MS,
    metrics,
  };
  const headersTimeout = opts.headersTimeoutMs ?? HEADERS_TIMEOUT_MS;
  const limits: ServerOptions = {
    headersTimeout,
    requestTimeout: Math.max(headersTimeout, 30_000),
    // How often Node looks for sockets past those limits (default 30 s).
    connectionsCheckingInterval: Math.min(1000, headersTimeout),
  };
  // Node's header timeout starts with the first byte; a socket that sends nothing (or never
  // finishes its TLS handshake) is dropped after the same time by this timer, cleared by its first request.
  const silent = new WeakMap<object, NodeJS.Timeout>();
  const watch = (socket: Socket): void => {
    const timer = setTimeout(() => socket.destroy(), headersTimeout);
    socket.once('close', () => clearTimeout(timer));
    silent.set(socket, timer);
  };
  const spoke = (socket: object): void => clearTimeout(silent.get(socket));
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    spoke(req.socket);
    handleRequest(ctx, req, res);
  };
  const server: Server = opts.tls
    ? createHttps(
        {
          ...limits,
          handshakeTimeout: headersTimeout,
          cert: readFileSync(opts.tls.cert),
          key: readFileSync(opts.tls.key),
        },
        onRequest,
      )
    : createHttp(limits, onRequest);
  server.on(opts.tls ? 'secureConnection' : 'connection', watch);
  server.maxConnections = opts.maxConnections ?? MAX_CONNECTIONS;
  // Node answers a request line it cannot parse with 400 here; handled, it never ends the process.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    const status = CLIENT_ERROR_STATUS[err.code ?? ''] ?? '400 Bad Request';
    if (err.code !== 'ECONNRESET' && !CLIENT_ERROR_STATUS[err.code ?? '']) {
      badRequestLog(`spindle: bad client request: ${err.code ?? err.message}`);
    }
    if (!socket.writable || socket.writableEnded) return void socket.destroy();
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`, () =>
      socket.destroy(),
    );
  });
  const wss = createWss();
  server.on('upgrade', (req: IncomingMessage, socket, head: Buffer) => {
    spoke(req.socket);
    handleUpgrade(ctx, wss, req, socket, head);
  });

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', fail);
      ok();
    });
  });
  // Accept failing (EMFILE: out of file descriptors) is reported with its code, never thrown.
  server.on('error', (err: NodeJS.ErrnoException) =>
    console.error(`spindle: web server: ${err.code ?? ''} ${err.message}`),
  );
  const port = (server.address() as AddressInfo).port;
  allowed = allowedHosts(host, port, opts.publicHost);
  const origin = `${scheme}://${shownHost(host, opts.publicHost)}:${port}`;
  return {
    url: `${origin}/?code=${credentials.newCode(Infinity)}`,
    origin,
    port,
    credentials,
    connections: () => new Promise((ok) => server.getConnections((_e, n) => ok(n ?? 0))),
    close: () =>
      new Promise<void>((ok) => {
        metrics?.close();
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}

/** The host to print: the public name, else the bound address (a wildcard bind shows an address of the machine). */
function shownHost(host: string, publicHost: string | undefined): string {
  let h = publicHost ?? host;
  if (!publicHost && (host === '0.0.0.0' || host === '::')) {
    h = machineAddresses().find((a) => !isLoopback(a) && !a.includes(':')) ?? '127.0.0.1';
  }
  return h.includes(':') && !h.startsWith('[') ? `[${h}]` : h;
}
