import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { appBase, devServerUrl, isAllowedExternal, isAppUrl } from './trust';

const outDir = join('/opt', 'Spindle app', 'résumé', 'out');
const base = appBase(join(outDir, 'renderer'), null);
const page = (rel: string): string => pathToFileURL(join(outDir, rel)).href;

describe('isAppUrl for the packaged renderer folder', () => {
  it('admits the renderer page and its assets, with a query or a hash', () => {
    expect(isAppUrl(page('renderer/index.html'), base)).toBe(true);
    expect(isAppUrl(page('renderer/assets/index-abc.js'), base)).toBe(true);
    expect(isAppUrl(`${page('renderer/index.html')}#/pools?x=1`, base)).toBe(true);
  });

  it('refuses a sibling folder whose name starts with the same letters', () => {
    // The old check was `url.startsWith(pathToFileURL(rendererDir).href)`, which admits this.
    const evil = page('renderer-evil/x.html');
    expect(evil.startsWith(pathToFileURL(join(outDir, 'renderer')).href)).toBe(true);
    expect(isAppUrl(evil, base)).toBe(false);
    expect(isAppUrl(page('renderer.evil/index.html'), base)).toBe(false);
  });

  it('refuses the folder itself without a trailing separator and anything above it', () => {
    expect(isAppUrl(pathToFileURL(join(outDir, 'renderer')).href, base)).toBe(false);
    expect(isAppUrl(page('main/index.js'), base)).toBe(false);
    expect(isAppUrl('file:///etc/passwd', base)).toBe(false);
  });

  it('resolves dot segments, plain or percent-encoded, before checking', () => {
    const dir = pathToFileURL(join(outDir, 'renderer')).href;
    expect(isAppUrl(`${dir}/../renderer-evil/x.html`, base)).toBe(false);
    expect(isAppUrl(`${dir}/%2e%2e/renderer-evil/x.html`, base)).toBe(false);
    expect(isAppUrl(`${dir}/.%2E/.%2e/main/index.js`, base)).toBe(false);
    expect(isAppUrl(`${dir}/assets/../index.html`, base)).toBe(true);
  });

  it('refuses encoded separators and backslashes the file loader could decode', () => {
    const dir = pathToFileURL(join(outDir, 'renderer')).href;
    expect(isAppUrl(`${dir}/..%2frenderer-evil/x.html`, base)).toBe(false);
    expect(isAppUrl(`${dir}/..%2Frenderer-evil/x.html`, base)).toBe(false);
    expect(isAppUrl(`${dir}/..%5crenderer-evil/x.html`, base)).toBe(false);
    expect(isAppUrl(`${dir}/..\\renderer-evil\\x.html`, base)).toBe(false);
  });

  it('refuses other schemes, other hosts and junk', () => {
    const path = pathToFileURL(join(outDir, 'renderer', 'index.html')).pathname;
    expect(isAppUrl(`file://evil.example${path}`, base)).toBe(false);
    expect(isAppUrl(`https://evil.example${path}`, base)).toBe(false);
    expect(isAppUrl(`http://localhost${path}`, base)).toBe(false);
    expect(isAppUrl('javascript:alert(1)', base)).toBe(false);
    expect(isAppUrl('data:text/html,<script>1</script>', base)).toBe(false);
    expect(isAppUrl('about:blank', base)).toBe(false);
    expect(isAppUrl('devtools://devtools/bundled/inspector.html', base)).toBe(false);
    expect(isAppUrl('', base)).toBe(false);
    expect(isAppUrl('not a url', base)).toBe(false);
  });
});

describe('isAppUrl for the dev server', () => {
  const dev = appBase('/unused', 'http://localhost:5173/some/page');

  it('admits the same origin only', () => {
    expect(dev).toBe('http://localhost:5173/');
    expect(isAppUrl('http://localhost:5173/', dev)).toBe(true);
    expect(isAppUrl('http://localhost:5173/src/main.tsx?t=1', dev)).toBe(true);
    expect(isAppUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isAppUrl('https://localhost:5173/', dev)).toBe(false);
    expect(isAppUrl('http://localhost:5173.evil.example/', dev)).toBe(false);
    expect(isAppUrl('http://evil@localhost:5173/', dev)).toBe(false);
    expect(isAppUrl(page('renderer/index.html'), dev)).toBe(false);
  });
});

describe('devServerUrl', () => {
  it('takes a loopback http(s) URL in development only', () => {
    expect(devServerUrl('http://localhost:5173', false)).toBe('http://localhost:5173/');
    expect(devServerUrl('http://127.0.0.1:5173/', false)).toBe('http://127.0.0.1:5173/');
    expect(devServerUrl('http://[::1]:5173/', false)).toBe('http://[::1]:5173/');
    expect(devServerUrl('http://localhost:5173', true)).toBeNull();
    expect(devServerUrl(undefined, false)).toBeNull();
  });

  it('refuses a remote host, another scheme, credentials and junk', () => {
    expect(devServerUrl('https://evil.example/', false)).toBeNull();
    expect(devServerUrl('http://localhost.evil.example:5173/', false)).toBeNull();
    expect(devServerUrl('file:///tmp/x.html', false)).toBeNull();
    expect(devServerUrl('http://u:p@localhost:5173/', false)).toBeNull();
    expect(devServerUrl('::', false)).toBeNull();
  });
});

describe('isAllowedExternal', () => {
  const allowed = ['https://docs.example.org/spindle/', 'https://example.com/exact'];

  it('admits https URLs under an allowed prefix', () => {
    expect(isAllowedExternal('https://docs.example.org/spindle/', allowed)).toBe(true);
    expect(isAllowedExternal('https://docs.example.org/spindle/pools.html#x', allowed)).toBe(true);
    expect(isAllowedExternal('https://example.com/exact', allowed)).toBe(true);
    expect(isAllowedExternal('https://example.com/exact/sub', allowed)).toBe(true);
  });

  it('refuses any https URL that is not listed (the old rule opened them all)', () => {
    expect(isAllowedExternal('https://evil.example/', allowed)).toBe(false);
    expect(isAllowedExternal('https://docs.example.org/other/', allowed)).toBe(false);
    expect(isAllowedExternal('https://docs.example.org/spindle-evil/', allowed)).toBe(false);
    expect(isAllowedExternal('https://docs.example.org/spindle/../other/', allowed)).toBe(false);
    expect(isAllowedExternal('https://docs.example.org.evil.example/spindle/', allowed)).toBe(false);
    expect(isAllowedExternal('https://example.com/exactly', allowed)).toBe(false);
    expect(isAllowedExternal('https://u:p@docs.example.org/spindle/', allowed)).toBe(false);
    expect(isAllowedExternal('https://evil.example/', [])).toBe(false);
  });

  it('refuses every other scheme, even on an allowed host', () => {
    expect(isAllowedExternal('http://docs.example.org/spindle/', allowed)).toBe(false);
    expect(isAllowedExternal('file:///etc/passwd', allowed)).toBe(false);
    expect(isAllowedExternal('smb://docs.example.org/spindle/', allowed)).toBe(false);
    expect(isAllowedExternal('javascript:alert(1)', allowed)).toBe(false);
    expect(isAllowedExternal('not a url', allowed)).toBe(false);
  });
});
