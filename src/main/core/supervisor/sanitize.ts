/**
 * Makes captured output safe to show: ANSI escape sequences are removed from the text
 * (colours, cursor moves, OSC titles and hyperlinks), other control characters become
 * visible Control Pictures (␀ ␛ …), and bidirectional overrides (used to disguise text)
 * become U+FFFD. Colours and bold/dim/italic/underline (SGR) are kept apart from the text
 * as style spans, so the UI can render them while search and export see plain text.
 */
import type { StyleSpan } from '../../../shared/contract';

// CSI (ESC [ … final), OSC (ESC ] … BEL or ST), and two-byte escapes; 8-bit CSI too.
const ANSI =
  // eslint-disable-next-line no-control-regex
  /\x1b\[[0-?]*[ -/]*[@-~]|\x9b[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[P^_][^\x1b]*(?:\x1b\\)?|\x1b[ -/]*[0-~]?/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;
const BIDI = /[\u202a-\u202e\u2066-\u2069]/g;

const picture = (c: string): string => {
  const code = c.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return '\u2421';
  return '\ufffd';
};

/** At most this many style changes are kept per line; the rest of the line is plain. */
export const MAX_SPANS = 64;

type Colour = string | null; // palette index "0".."255" or "#rrggbb"

/** The SGR state a terminal carries from line to line; pass one per stream to `sanitizeStyled`. */
export interface Sgr {
  b: boolean;
  d: boolean;
  i: boolean;
  u: boolean;
  fg: Colour;
  bg: Colour;
}

export const plain = (): Sgr => ({ b: false, d: false, i: false, u: false, fg: null, bg: null });

/** The style as the span's string: space-separated tokens (b d i u fgN fg#rrggbb bgN …). */
function styleKey(s: Sgr): string {
  const t: string[] = [];
  if (s.b) t.push('b');
  if (s.d) t.push('d');
  if (s.i) t.push('i');
  if (s.u) t.push('u');
  if (s.fg !== null) t.push(`fg${s.fg}`);
  if (s.bg !== null) t.push(`bg${s.bg}`);
  return t.join(' ');
}

const hex = (n: number): string =>
  Math.max(0, Math.min(255, n | 0))
    .toString(16)
    .padStart(2, '0');

/** Apply one SGR parameter list (`1;31`, `38;5;208`, `38;2;255;128;0`) to `s`. */
function applySgr(s: Sgr, params: string): void {
  const p = params === '' ? [0] : params.split(/[;:]/).map((x) => (x === '' ? 0 : Number(x)));
  for (let k = 0; k < p.length; k++) {
    const c = p[k]!;
    if (c === 0) Object.assign(s, plain());
    else if (c === 1) s.b = true;
    else if (c === 2) s.d = true;
    else if (c === 3) s.i = true;
    else if (c === 4) s.u = true;
    else if (c === 22) s.b = s.d = false;
    else if (c === 23) s.i = false;
    else if (c === 24) s.u = false;
    else if (c >= 30 && c <= 37) s.fg = String(c - 30);
    else if (c >= 90 && c <= 97) s.fg = String(c - 90 + 8);
    else if (c === 39) s.fg = null;
    else if (c >= 40 && c <= 47) s.bg = String(c - 40);
    else if (c >= 100 && c <= 107) s.bg = String(c - 100 + 8);
    else if (c === 49) s.bg = null;
    else if (c === 38 || c === 48) {
      let colour: Colour = null;
      if (p[k + 1] === 5 && p[k + 2] !== undefined) {
        colour = String(Math.max(0, Math.min(255, p[k + 2]! | 0)));
        k += 2;
      } else if (p[k + 1] === 2 && p[k + 4] !== undefined) {
        colour = `#${hex(p[k + 2]!)}${hex(p[k + 3]!)}${hex(p[k + 4]!)}`;
        k += 4;
      } else break; // malformed: ignore the rest, as terminals do
      if (c === 38) s.fg = colour;
      else s.bg = colour;
    }
  }
}

// eslint-disable-next-line no-control-regex
const SGR = /^(?:\x1b\[|\x9b)([0-9;:]*)m$/;

/**
 * A line made safe, with its colours as spans over the safe text (null when it has none).
 * `carry` is the style in force when the line starts, as a terminal keeps it across
 * newlines; it is updated in place to the style at the line's end.
 */
export function sanitizeStyled(
  line: string,
  carry: Sgr = plain(),
): { text: string; spans: StyleSpan[] | null } {
  let s = line;
  // A carriage return redraws the line in a terminal: keep what would be visible last.
  const cr = s.lastIndexOf('\r', s.length - 2);
  if (cr >= 0) s = s.slice(cr + 1);
  if (s.endsWith('\r')) s = s.slice(0, -1);
  let spans: StyleSpan[] | null = null;
  let key = styleKey(carry);
  if (key || s.includes('\x1b') || s.includes('\x9b')) {
    let out = '';
    let last = 0;
    let start = 0;
    const close = (): void => {
      if (key && out.length > start && (spans ??= []).length < MAX_SPANS)
        spans.push([start, out.length, key]);
    };
    for (const m of s.matchAll(ANSI)) {
      out += s.slice(last, m.index);
      last = m.index + m[0].length;
      const sgr = SGR.exec(m[0]);
      if (!sgr) continue;
      applySgr(carry, sgr[1]!);
      const next = styleKey(carry);
      if (next === key) continue;
      close();
      key = next;
      start = out.length;
    }
    out += s.slice(last);
    close();
    s = out;
  }
  // Both replacements are one UTF-16 unit for one, so span offsets stay valid.
  return { text: s.replace(CONTROL, picture).replace(BIDI, '\ufffd'), spans };
}

/** One line (no newline in it) made safe for display, colours dropped. */
export function sanitizeLine(line: string): string {
  return sanitizeStyled(line).text;
}
