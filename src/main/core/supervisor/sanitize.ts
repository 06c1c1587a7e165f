/**
 * Makes captured output safe to show: ANSI escape sequences are removed (colours, cursor
 * moves, OSC titles and hyperlinks), other control characters become visible Control
 * Pictures (␀ ␛ …), and bidirectional overrides (used to disguise text) become U+FFFD.
 */

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

/** One line (no newline in it) made safe for display. */
export function sanitizeLine(line: string): string {
  let s = line;
  // A carriage return redraws the line in a terminal: keep what would be visible last.
  const cr = s.lastIndexOf('\r', s.length - 2);
  if (cr >= 0) s = s.slice(cr + 1);
  if (s.endsWith('\r')) s = s.slice(0, -1);
  if (s.includes('\x1b') || s.includes('\x9b')) s = s.replace(ANSI, '');
  return s.replace(CONTROL, picture).replace(BIDI, '\ufffd');
}
