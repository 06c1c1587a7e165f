import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// A source check of the renderer, run under Node from outside src/renderer (a web page's
// folder, where Node imports are refused).
const SRC = join(import.meta.dirname, '..', 'renderer', 'src');
const tokens = readFileSync(join(SRC, 'styles', 'tokens.css'), 'utf8');
const [light, dark] = tokens.split('@media (prefers-color-scheme: dark)');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

const declared = (block: string): Set<string> =>
  new Set([...block.matchAll(/(--[\w-]+):/g)].map((m) => m[1]!));

describe('chart colours come from the theme tokens', () => {
  it('no colour literal in the renderer code outside the ANSI palette (the dark theme must reach every chart)', () => {
    const offenders = sources(SRC)
      .filter((f) => !f.includes('ansi-style'))
      .flatMap((f) =>
        [...readFileSync(f, 'utf8').matchAll(/['"`]#[0-9a-fA-F]{3,8}['"`]/g)].map((m) => `${f}: ${m[0]}`),
      );
    expect(offenders).toEqual([]);
  });

  it('every chart token the code reads is declared for light, and the palette again for dark', () => {
    const used = new Set(
      sources(SRC).flatMap((f) =>
        [...readFileSync(f, 'utf8').matchAll(/var\((--chart-[\w-]+)\)/g)].map((m) => m[1]!),
      ),
    );
    expect(used.size).toBeGreaterThan(4);
    const l = declared(light!);
    const d = declared(dark!);
    for (const name of used) expect(l.has(name), name).toBe(true);
    // Semantic names (--chart-user) alias the palette, so only the palette needs dark values.
    for (const name of l)
      if (/^--chart-[a-z]+$/.test(name) && !/var\(/.test(light!.split(name + ':')[1]!.split(';')[0]!))
        expect(d.has(name), `${name} in dark`).toBe(true);
  });
});
