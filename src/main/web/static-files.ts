/** The built renderer as static files; never a byte from outside its folder. */
import { createReadStream, statSync, type Stats } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { refuse, securityHeaders } from './http-reply';

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

/** Serve `pathname` from `root` (an absolute, resolved folder); unknown routes get the app. */
export function serveStatic(root: string, pathname: string, res: ServerResponse, head: boolean): void {
  let rel: string;
  try {
    rel = normalize(decodeURIComponent(pathname));
  } catch {
    return refuse(res, 400, 'Bad path');
  }
  if (rel.includes('\0')) return refuse(res, 400, 'Bad path');
  let file = join(root, rel);
  if (file !== root && !file.startsWith(root + sep)) return refuse(res, 403, 'Forbidden');
  let stats = statOf(file);
  if (stats?.isDirectory()) stats = statOf((file = join(file, 'index.html')));
  else if (!stats) {
    // Unknown paths get the app (client-side routes); assets 404.
    if (extname(rel)) return refuse(res, 404, 'Not found');
    stats = statOf((file = join(root, 'index.html')));
  }
  if (!stats) return refuse(res, 404, 'Not found — was the renderer built? (npm run build)');
  securityHeaders(res);
  res.writeHead(200, {
    'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
    'Content-Length': stats.size,
  });
  if (head) return void res.end();
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

/** One stat per file served (this runs on the event loop); null for any failure (missing, ENOTDIR, EACCES). */
function statOf(file: string): Stats | null {
  try {
    return statSync(file);
  } catch {
    return null;
  }
}
