/**
 * Renders an output line's colour spans (from the program's ANSI SGR escapes, parsed in
 * core) as styled runs. The 16 basic colours come from the theme (`--ansi-0` … `--ansi-15`),
 * so they stay readable in light and dark; 256-colour and true-colour values are used as is.
 */
import { createElement, type CSSProperties, type ReactNode } from 'react';
import type { StyleSpan } from '../../../../shared/contract';

const CUBE = [0, 95, 135, 175, 215, 255];

/** CSS colour of a span token's value: a palette index "0".."255" or "#rrggbb"; null if malformed. */
export function ansiColour(v: string): string | null {
  if (/^#[0-9a-f]{6}$/i.test(v)) return v;
  if (!/^\d{1,3}$/.test(v)) return null;
  const n = Number(v);
  if (n < 16) return `var(--ansi-${n})`;
  if (n < 232) {
    const i = n - 16;
    return `rgb(${CUBE[Math.floor(i / 36)]}, ${CUBE[Math.floor(i / 6) % 6]}, ${CUBE[i % 6]})`;
  }
  if (n < 256) {
    const g = 8 + 10 * (n - 232);
    return `rgb(${g}, ${g}, ${g})`;
  }
  return null;
}

const cache = new Map<string, CSSProperties>();

/** The inline style for a span's token string (`b fg1 bg#102030` …), cached. */
export function spanStyle(key: string): CSSProperties {
  let s = cache.get(key);
  if (s) return s;
  s = {};
  for (const t of key.split(' ')) {
    if (t === 'b') s.fontWeight = 'bold';
    else if (t === 'd') s.opacity = 0.65;
    else if (t === 'i') s.fontStyle = 'italic';
    else if (t === 'u') s.textDecoration = 'underline';
    else if (t.startsWith('fg')) s.color = ansiColour(t.slice(2)) ?? undefined;
    else if (t.startsWith('bg')) s.backgroundColor = ansiColour(t.slice(2)) ?? undefined;
  }
  if (cache.size < 512) cache.set(key, s);
  return s;
}

/** The text with its spans as styled runs; spans out of order or out of range are skipped. */
export function styledText(text: string, spans: readonly StyleSpan[] | undefined): ReactNode {
  if (!spans?.length) return text;
  const out: ReactNode[] = [];
  let at = 0;
  for (const [start, end, key] of spans) {
    if (start < at || end <= start || end > text.length) continue;
    if (start > at) out.push(text.slice(at, start));
    // createElement rather than JSX keeps this file plain .ts, type-checked with the Node-side tests.
    out.push(createElement('span', { key: start, style: spanStyle(key) }, text.slice(start, end)));
    at = end;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}
