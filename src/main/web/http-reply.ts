/** Headers every answer carries, and the small answers (refusals, JSON) the routes send. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HEADER_CSP as CSP } from '../../shared/csp';

/** Set on every response: strict CSP, no sniffing, no framing, no referrer, same-origin only. */
export function securityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

/** A plain-text refusal (4xx/5xx). */
export function refuse(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) return void res.destroy();
  securityHeaders(res);
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(message) + 1,
  });
  res.end(message + '\n');
}

/** A JSON answer. */
export function json(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  securityHeaders(res);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** A JSON error in the contract's shape `{ ok: false, error: { code, message } }`. */
export function jsonError(res: ServerResponse, status: number, code: string, message: string): void {
  json(res, status, { ok: false, error: { code, message } });
}

/** The body of a small JSON request, or null when too big, not JSON or not an object. */
export function readJson(req: IncomingMessage, maxBytes = 1024): Promise<Record<string, unknown> | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBytes) {
        resolve(null);
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('error', () => resolve(null));
    req.on('end', () => {
      try {
        const v: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        resolve(
          v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null,
        );
      } catch {
        resolve(null);
      }
    });
  });
}
