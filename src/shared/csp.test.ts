import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HEADER_CSP, PAGE_CSP, withPageCsp } from './csp';

const directives = (csp: string): Map<string, string[]> =>
  new Map(
    csp.split(';').map((d) => {
      const [name = '', ...sources] = d.trim().split(/\s+/);
      return [name, sources];
    }),
  );

const metaCsp = (html: string): string | undefined =>
  /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html)?.[1];

describe('the shared CSP', () => {
  it('lets pages connect to their own origin only: no bare ws:/wss: or wildcard source', () => {
    for (const csp of [PAGE_CSP, HEADER_CSP]) {
      const d = directives(csp);
      expect(d.get('connect-src')).toEqual(["'self'"]);
      expect(csp).not.toMatch(/(^|\s)(wss?:|https?:|\*)(\s|;|$)/);
      expect(d.get('script-src')).toEqual(["'self'"]);
      expect(d.get('object-src')).toEqual(["'none'"]);
    }
    expect(directives(HEADER_CSP).get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('is what the renderer page carries once built', () => {
    const source = readFileSync(new URL('../renderer/index.html', import.meta.url), 'utf8');
    // The old page allowed `connect-src 'self' ws: wss:`, i.e. a socket to any host.
    expect(metaCsp(withPageCsp(source))).toBe(PAGE_CSP);
  });

  it('refuses a page that has no placeholder', () => {
    expect(() => withPageCsp('<html></html>')).toThrow(/placeholder/);
  });
});
