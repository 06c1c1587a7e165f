/**
 * The HTTP side of web mode. Static files (the renderer, the same for everyone) are public;
 * everything under /api/ needs a credential in `Authorization: Bearer` — the long-lived token
 * or a session credential — except the code exchange itself and a download's ticket.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Core } from '../core/core';
import type { Metrics } from '../core/metrics/metrics';
import { SNAPSHOT_FORMATS, type SnapshotFormat } from '../../shared/contract';
import { suggestedName } from '../core/snapshots/snapshots';
import { json, jsonError, readJson, refuse, securityHeaders } from './http-reply';
import { bearerOf, crossSite, hostAllowed, originAllowed } from './security';
import type { Credentials } from './sessions';
import { serveStatic } from './static-files';

export interface RouteContext {
  core: Core;
  staticRoot: string;
  credentials: Credentials;
  scheme: 'http' | 'https';
  readOnly: boolean;
  /** Host header values that name this server (known once it listens). */
  allowed(): Set<string>;
  /** How often each WebSocket is pinged; one that has not answered the previous ping is dropped. */
  pingMs: number;
  /** The Prometheus families of `GET /metrics`; null when the server has none. */
  metrics: Metrics | null;
}

/**
 * The path and query of an origin-form request target (`/path?query`), or null. An absolute
 * form (`http://[`), an authority (`//host`) or anything `URL` cannot parse is refused here,
 * so no handler ever sees it, and no answer can point at another host.
 */
export function parseTarget(target: string | undefined): URL | null {
  if (!target || target[0] !== '/' || target.startsWith('//')) return null;
  let url: URL;
  try {
    url = new URL(target, 'http://spindle.invalid');
  } catch {
    return null;
  }
  if (url.host !== 'spindle.invalid' || url.pathname.startsWith('//')) return null;
  return url;
}

/** The checks every request and upgrade passes first; a refusal's status and text, or null. */
export function precheck(
  req: IncomingMessage,
  ctx: RouteContext,
): { status: number; message: string } | { url: URL } {
  if (!hostAllowed(req, ctx.allowed())) return { status: 421, message: 'Host not allowed' };
  if (crossSite(req)) return { status: 403, message: 'Cross-site requests are refused' };
  const url = parseTarget(req.url);
  if (!url) return { status: 400, message: 'Bad request target' };
  return { url };
}

/** Answer one HTTP request. Never throws: a failure inside becomes a 500 and a log line. */
export function handleRequest(ctx: RouteContext, req: IncomingMessage, res: ServerResponse): void {
  const fail = (err: unknown): void => {
    console.error('spindle: web request failed', err);
    refuse(res, 500, 'Internal error');
  };
  try {
    const checked = precheck(req, ctx);
    if ('status' in checked) return refuse(res, checked.status, checked.message);
    const { url } = checked;
    if (url.pathname.startsWith('/api/')) return void api(ctx, req, res, url).catch(fail);
    if (url.pathname === '/metrics') {
      if (!ctx.metrics) return refuse(res, 404, 'No metrics on this server');
      return void metrics(ctx, ctx.metrics, req, res).catch(fail);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Method not allowed');
    serveStatic(ctx.staticRoot, url.pathname, res, req.method === 'HEAD');
  } catch (err) {
    fail(err);
  }
}

const FORMATS = new Set<string>(SNAPSHOT_FORMATS);

async function api(ctx: RouteContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const route = `${req.method ?? ''} ${url.pathname}`;
  if (req.method === 'POST') {
    // A browser cannot send application/json across origins without a CORS preflight, which
    // is never granted; a page elsewhere cannot post here.
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '') || !originAllowed(req, ctx.scheme)) {
      return jsonError(res, 403, 'EFORBIDDEN', 'POST needs Content-Type: application/json from this origin');
    }
  }
  if (route === 'POST /api/session') return exchange(ctx, req, res);
  if (route === 'GET /api/snapshot' && url.searchParams.has('ticket')) {
    const format = ctx.credentials.useTicket(url.searchParams.get('ticket')!);
    if (format === null) return jsonError(res, 401, 'ETICKET', 'download link expired or already used');
    return sendSnapshot(ctx.core, format as SnapshotFormat, res);
  }
  if (!ctx.credentials.valid(bearerOf(req))) {
    return jsonError(res, 401, 'EUNAUTHORIZED', 'Authorization: Bearer <token or session> required');
  }
  switch (route) {
    case 'GET /api/ping':
      securityHeaders(res);
      res.writeHead(204);
      return void res.end();
    case 'POST /api/code': {
      const code = ctx.credentials.newCode();
      return json(res, 200, {
        ok: true,
        value: { code, url: `${ctx.scheme}://${req.headers.host}/?code=${code}` },
      });
    }
    case 'POST /api/snapshot-link': {
      const body = await readJson(req);
      const format = body?.format ?? 'json';
      if (typeof format !== 'string' || !FORMATS.has(format)) return badFormat(res);
      return json(res, 200, {
        ok: true,
        value: { href: `/api/snapshot?ticket=${ctx.credentials.newTicket(format)}` },
      });
    }
    case 'GET /api/snapshot': {
      const format = url.searchParams.get('format') ?? 'json';
      if (!FORMATS.has(format)) return badFormat(res);
      return sendSnapshot(ctx.core, format as SnapshotFormat, res);
    }
    default:
      return jsonError(res, 404, 'ENOT_FOUND', `no route ${route}`);
  }
}

/**
 * `GET /metrics`: what a Prometheus `authorization` block sends (Bearer + the token) is checked
 * like any /api request. A read, not a contract request: it works the same on a read-only server.
 */
async function metrics(
  ctx: RouteContext,
  m: Metrics,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Method not allowed');
  if (!ctx.credentials.valid(bearerOf(req))) {
    res.setHeader('WWW-Authenticate', 'Bearer realm="spindle"');
    return jsonError(res, 401, 'EUNAUTHORIZED', 'Authorization: Bearer <token> required');
  }
  const text = await m.scrape();
  // Prometheus asks for gzip; the text shrinks about 8x for a few hundred µs off the main thread.
  const zipped = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const body = zipped ? await gzipAsync(text) : Buffer.from(text);
  securityHeaders(res);
  res.writeHead(200, {
    'Content-Type': m.contentType,
    'Content-Length': body.length,
    'Cache-Control': 'no-store',
    Vary: 'Accept-Encoding',
    ...(zipped ? { 'Content-Encoding': 'gzip' } : {}),
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

const gzipAsync = promisify(gzip);

const badFormat = (res: ServerResponse): void =>
  jsonError(res, 400, 'EINVAL', `format must be one of ${SNAPSHOT_FORMATS.join(', ')}`);

/** `POST /api/session {"code"}`: the printed one-time code, traded once for a session credential. */
async function exchange(ctx: RouteContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJson(req);
  const code = body?.code;
  const session = typeof code === 'string' ? ctx.credentials.exchange(code) : null;
  if (session === null) {
    return jsonError(res, 401, 'ECODE_USED', 'this code is unknown, expired or already used; open a new one');
  }
  json(res, 200, { ok: true, value: { session, readOnly: ctx.readOnly } });
}

/** A snapshot download, streamed straight from core to the client. */
async function sendSnapshot(core: Core, format: SnapshotFormat, res: ServerResponse): Promise<void> {
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
