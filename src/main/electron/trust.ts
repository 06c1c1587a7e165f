/**
 * Which URLs the window trusts. Pure functions (no `electron` import) so they are unit-tested
 * under Node; `app.ts` wires them to navigation, redirects, new windows and IPC.
 */
import { pathToFileURL } from 'node:url';

/** The base every app URL must sit under: the renderer folder as a file URL, or a dev-server origin. */
export function appBase(rendererDir: string, devUrl: string | null): string {
  if (devUrl) return new URL(devUrl).origin + '/';
  // Trailing slash: `…/out/renderer-evil/` must not match `…/out/renderer`.
  return pathToFileURL(rendererDir).href.replace(/\/?$/, '/');
}

/**
 * True when `url` is a page of the app: under the renderer folder (a file URL) or, in
 * development, on the dev server's origin. WHATWG parsing resolves `..` and `%2e%2e` before
 * the check; an encoded separator (`%2f`, `%5c`) or a backslash is refused outright because
 * the file loader would decode it into a path step the prefix check never saw.
 */
export function isAppUrl(url: string, base: string): boolean {
  let u: URL;
  let b: URL;
  try {
    u = new URL(url);
    b = new URL(base);
  } catch {
    return false;
  }
  if (b.protocol === 'file:') {
    if (u.protocol !== 'file:' || u.host !== b.host || u.username || u.password) return false;
    const dir = b.pathname.endsWith('/') ? b.pathname : `${b.pathname}/`;
    return u.pathname.startsWith(dir) && !/%2f|%5c|\\/i.test(u.pathname);
  }
  if (b.protocol !== 'http:' && b.protocol !== 'https:') return false;
  return u.origin === b.origin && !u.username && !u.password;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The dev-server URL to load, or null. A packaged build never takes one (an environment
 * variable must not point the window, and the API it exposes, at another server), and a
 * development build takes only http(s) on loopback.
 */
export function devServerUrl(raw: string | undefined, packaged: boolean): string | null {
  if (packaged || !raw) return null;
  try {
    const u = new URL(raw);
    const ok = (u.protocol === 'http:' || u.protocol === 'https:') && LOOPBACK.has(u.hostname);
    return ok && !u.username && !u.password ? u.href : null;
  } catch {
    return null;
  }
}

/**
 * True when `url` may be handed to the operating system (`shell.openExternal`): https only,
 * no credentials, and under one of the `allowed` prefixes (each an https URL; a prefix matches
 * its own origin and path segments, so `https://a.example/docs/` never admits
 * `https://a.example/docs-evil/` or `https://a.example.evil/`).
 */
export function isAllowedExternal(url: string, allowed: readonly string[]): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== 'https:' || u.username || u.password) return false;
  return allowed.some((prefix) => {
    const p = new URL(prefix);
    if (p.protocol !== 'https:' || p.origin !== u.origin) return false;
    const dir = p.pathname.endsWith('/') ? p.pathname : `${p.pathname}/`;
    return u.pathname === p.pathname || u.pathname.startsWith(dir);
  });
}
