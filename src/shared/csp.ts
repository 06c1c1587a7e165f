/**
 * The one Content-Security-Policy of Spindle's pages: the renderer's meta tag (the only CSP a
 * `file://` page gets in the desktop window) and the web server's header.
 *
 * `connect-src 'self'` is the whole network allowance. CSP Level 3 lets `'self'` match the
 * page's own host and port over ws:/wss:, so web mode's same-origin WebSocket is allowed while a
 * socket to any other host is not (no bare `ws:`/`wss:` source, which would admit every host).
 */
const DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
];

/** The policy for a `<meta http-equiv>` tag (which ignores `frame-ancestors`). */
export const PAGE_CSP = DIRECTIVES.join('; ');

/** The policy for an HTTP header: the page policy plus `frame-ancestors 'none'`. */
export const HEADER_CSP = `${PAGE_CSP}; frame-ancestors 'none'`;

/** Placeholder in `src/renderer/index.html` that the build replaces with {@link PAGE_CSP}. */
export const CSP_PLACEHOLDER = '__SPINDLE_CSP__';

/** `html` with the CSP placeholder filled in; throws when it is missing, so no page ships without a policy. */
export function withPageCsp(html: string): string {
  if (!html.includes(CSP_PLACEHOLDER)) throw new Error(`index.html has no ${CSP_PLACEHOLDER} placeholder`);
  return html.replaceAll(CSP_PLACEHOLDER, PAGE_CSP);
}
