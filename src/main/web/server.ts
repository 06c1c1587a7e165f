/**
 * Web mode: the built renderer over HTTP and the contract over a WebSocket at /ws, served
 * from the same Core the Electron window uses. Loopback by default, a token on everything,
 * Host and Origin checked, no CORS.
 */
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_REQUEST_BYTES } from '../../shared/contract';
import { HEADER_CSP as CSP } from '../../shared/csp';
import type { Core } from '../core/core';
import { suggestedName, type SnapshotFormat } from '../core/snapshots/snapshots';
import { TOKEN_COOKIE, allowedHosts, hostAllowed, originAllowed, tokenMatches, tokenOf } from './security';

export interface WebServerOptions {
  core: Core;
  staticDir: string;
  token: string;
  host?: string;
  port?: number;
  readOnly?: boolean;
}

export interface WebServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Events are dropped for a client whose socket has this much unsent data (a slow reader). */
const MAX_BUFFERED = 8 * 1024 * 1024;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

function securityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cache-Control', 'no-store');
}

function refuse(res: ServerResponse, status: number, message: string): void {
  securityHeaders(res);
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(message + '\n');
}

/** Start the web server; resolves once it listens. */
export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const host = opts.host ?? '127.0.0.1';
  const staticRoot = resolve(opts.staticDir);
  let allowed = new Set<string>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_REQUEST_BYTES });

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    if (!hostAllowed(req, allowed)) return refuse(res, 421, 'Host not allowed');
    const given = tokenOf(req, url);
    if (!tokenMatches(given, opts.token)) return refuse(res, 401, 'Token required');
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Method not allowed');
    if (url.searchParams.has('token')) {
      // Trade the token in the URL for a cookie and drop it from the address bar.
      url.searchParams.delete('token');
      securityHeaders(res);
      res.writeHead(302, {
        'Set-Cookie': `${TOKEN_COOKIE}=${encodeURIComponent(opts.token)}; HttpOnly; SameSite=Strict; Path=/`,
        Location: url.pathname + url.search,
      });
      return void res.end();
    }
    if (url.pathname === '/api/snapshot') return void sendSnapshot(opts.core, url, res);
    if (url.pathname === '/api/ping') {
      securityHeaders(res);
      res.writeHead(204);
      return void res.end();
    }
    serveStatic(staticRoot, url.pathname, res);
  });

  server.on('upgrade', (req: IncomingMessage, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    const deny = (status: string): void => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (url.pathname !== '/ws') return deny('404 Not Found');
    if (!hostAllowed(req, allowed)) return deny('421 Misdirected Request');
    if (!tokenMatches(tokenOf(req, url), opts.token)) return deny('401 Unauthorized');
    if (!originAllowed(req)) return deny('403 Forbidden');
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws, req));
  });

  function attach(ws: WebSocket, req: IncomingMessage): void {
    let dropped = 0;
    const session = opts.core.openSession(
      {
        transport: 'web',
        readOnly: opts.readOnly ?? false,
        label: `web ${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`,
      },
      (event, payload) => {
        if (ws.readyState !== ws.OPEN) return;
        if (ws.bufferedAmount > MAX_BUFFERED) {
          dropped++;
          return;
        }
        ws.send(JSON.stringify({ event, payload, ...(dropped ? { dropped } : {}) }));
      },
    );
    ws.on('message', (data, isBinary) => {
      void (async () => {
        let msg: unknown;
        try {
          msg = isBinary ? undefined : JSON.parse(String(data));
        } catch {
          msg = undefined;
        }
        const id =
          msg && typeof msg === 'object' && typeof (msg as { id?: unknown }).id === 'number'
            ? (msg as { id: number }).id
            : null;
        const result = await session.request(msg);
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, ...result }));
      })();
    });
    ws.on('close', () => session.close());
    ws.on('error', () => session.close());
  }

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', fail);
      ok();
    });
  });
  const port = (server.address() as AddressInfo).port;
  allowed = allowedHosts(host, port);
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/?token=${encodeURIComponent(opts.token)}`,
    port,
    close: () =>
      new Promise<void>((ok) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}

const FORMATS = new Set<SnapshotFormat>(['json', 'csv-processes', 'csv-series']);

/** A snapshot download, streamed straight from core to the browser. */
async function sendSnapshot(core: Core, url: URL, res: ServerResponse): Promise<void> {
  const format = (url.searchParams.get('format') ?? 'json') as SnapshotFormat;
  if (!FORMATS.has(format)) return refuse(res, 400, 'format must be json, csv-processes or csv-series');
  const name = suggestedName((await core.systemInfo()).hostname, format);
  securityHeaders(res);
  res.writeHead(200, {
    'Content-Type': format === 'json' ? 'application/json' : 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${name}"`,
  });
  try {
    await core.snapshots.stream(format, res);
    res.end();
  } catch (err) {
    console.error('spindle: snapshot download failed', err);
    res.destroy();
  }
}

function serveStatic(root: string, pathname: string, res: ServerResponse): void {
  let rel: string;
  try {
    rel = normalize(decodeURIComponent(pathname));
  } catch {
    return refuse(res, 400, 'Bad path');
  }
  if (rel.includes('\0')) return refuse(res, 400, 'Bad path');
  let file = join(root, rel);
  if (file !== root && !file.startsWith(root + sep)) return refuse(res, 403, 'Forbidden');
  try {
    if (statSync(file).isDirectory()) file = join(file, 'index.html');
  } catch {
    // Unknown paths get the app (client-side routes); assets 404.
    if (extname(rel)) return refuse(res, 404, 'Not found');
    file = join(root, 'index.html');
  }
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return refuse(res, 404, 'Not found — was the renderer built? (npm run build)');
  }
  securityHeaders(res);
  res.writeHead(200, {
    'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
    'Content-Length': size,
  });
  createReadStream(file).pipe(res);
}
