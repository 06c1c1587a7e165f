/**
 * The contract over a WebSocket at /ws. The upgrade needs a credential (`Authorization:
 * Bearer`, or from a browser the subprotocol `spindle.bearer.<credential>` beside
 * `spindle.v1`); then every message is one request of one core session, with everything a
 * client can make the server hold bounded: unsent bytes and requests in flight.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_REQUEST_BYTES } from '../../shared/contract';
import { precheck, type RouteContext } from './routes';
import { WS_PROTOCOL, originAllowed, wsCredentialOf } from './security';

/** Unsent bytes a client may leave on the server: events are dropped past it, a reply closes the socket. */
export const MAX_BUFFERED = 8 * 1024 * 1024;
/** Requests of one socket being answered at once; past it the socket is not read (TCP backpressure). */
export const MAX_IN_FLIGHT = 32;
/**
 * Messages already read when the socket paused still arrive (one read can hold hundreds of
 * small frames); they wait here. Past this many waiting, a message is refused with EBUSY.
 */
const MAX_WAITING = 4096;

/** A WebSocket server for `noServer` use that selects `spindle.v1` and never echoes a credential. */
export function createWss(): WebSocketServer {
  return new WebSocketServer({
    noServer: true,
    maxPayload: MAX_REQUEST_BYTES,
    handleProtocols: (offered) => (offered.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
  });
}

/** Answer an upgrade request: refuse it with a status, or attach a core session. Never throws. */
export function handleUpgrade(
  ctx: RouteContext,
  wss: WebSocketServer,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): void {
  // The HTTP server stops watching an upgraded socket for errors; a reset must not crash us.
  socket.on('error', () => socket.destroy());
  const deny = (status: string): void => {
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  };
  try {
    const checked = precheck(req, ctx);
    if ('status' in checked) return deny(`${checked.status} ${checked.message}`);
    if (checked.url.pathname !== '/ws') return deny('404 Not Found');
    if (!originAllowed(req, ctx.scheme)) return deny('403 Forbidden');
    if (!ctx.credentials.valid(wsCredentialOf(req))) return deny('401 Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => attach(ctx, ws, req));
  } catch (err) {
    console.error('spindle: web upgrade failed', err);
    socket.destroy();
  }
}

function attach(ctx: RouteContext, ws: WebSocket, req: IncomingMessage): void {
  let dropped = 0;
  let inFlight = 0;
  const session = ctx.core.openSession(
    {
      transport: 'web',
      readOnly: ctx.readOnly,
      label: `web ${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`,
    },
    (event, payload, host) => {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > MAX_BUFFERED) {
        dropped++;
        return;
      }
      ws.send(JSON.stringify({ event, payload, ...(host ? { host } : {}), ...(dropped ? { dropped } : {}) }));
    },
  );
  /** A reply past the bound closes the socket: the client is not reading, and replies cannot be dropped. */
  const reply = (text: string): void => {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount + text.length > MAX_BUFFERED) {
      console.error(
        `spindle: closing ${req.socket.remoteAddress ?? '?'}: over ${MAX_BUFFERED} bytes of replies unread`,
      );
      return ws.terminate();
    }
    ws.send(text);
  };
  const waiting: { data: unknown; isBinary: boolean }[] = [];
  const run = (data: unknown, isBinary: boolean): void => {
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
    inFlight++;
    void session
      .request(msg)
      .then((result) => reply(JSON.stringify({ id, ...result })))
      .catch((err: unknown) => {
        // dispatch never throws by contract; a throw here is a bug, and the socket keeps serving.
        console.error('spindle: web request failed', err);
        reply(JSON.stringify({ id, ok: false, error: { code: 'EINTERNAL', message: 'internal error' } }));
      })
      .finally(() => {
        inFlight--;
        const next = waiting.shift();
        if (next) run(next.data, next.isBinary);
        else if (ws.isPaused && ws.readyState === ws.OPEN) ws.resume();
      });
  };
  ws.on('message', (data, isBinary) => {
    if (inFlight < MAX_IN_FLIGHT) return run(data, isBinary);
    ws.pause();
    if (waiting.length < MAX_WAITING) return void waiting.push({ data, isBinary });
    const message = `more than ${MAX_IN_FLIGHT + MAX_WAITING} requests unanswered; wait for replies`;
    reply(JSON.stringify({ id: null, ok: false, error: { code: 'EBUSY', message } }));
  });
  // A peer that vanished without closing (a sleeping laptop, a pulled cable) leaves a
  // half-open socket that would hold its session and buffers for ever; browsers answer pings
  // by themselves, so one that missed a whole interval is gone.
  let answered = true;
  ws.on('pong', () => (answered = true));
  const pinger = setInterval(() => {
    if (!answered) return ws.terminate();
    answered = false;
    ws.ping();
  }, ctx.pingMs);
  pinger.unref();
  ws.on('close', () => clearInterval(pinger));
  ws.on('close', () => (waiting.length = 0));
  ws.on('close', () => session.close());
  ws.on('error', () => session.close());
}
