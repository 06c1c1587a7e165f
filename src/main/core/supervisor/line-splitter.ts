/**
 * Turns a byte stream into bounded lines: UTF-8 decoded without ever throwing (invalid
 * bytes become U+FFFD), split on newlines, each line cut at `maxLineBytes` (see `formatStyled`).
 * The partial line is bounded too, so a child printing 200 MB without a newline costs
 * no more than one line of memory.
 */
import type { StyleSpan } from '../../../shared/contract';
import { sanitizeStyled, type Sgr } from './sanitize';

/** Marker appended to a cut line; the count is how many characters were left out. */
const truncatedMarker = (n: number): string => ` … [${n} more characters cut]`;

/** A raw line made displayable, with its colour spans (done late, only for lines that are kept). */
export function formatStyled(
  raw: string,
  cut: number,
  carry?: Sgr,
): { text: string; spans: StyleSpan[] | null } {
  const s = sanitizeStyled(raw, carry);
  return cut > 0 ? { text: s.text + truncatedMarker(cut), spans: s.spans } : s;
}

export class LineSplitter {
  readonly #decoder = new TextDecoder('utf-8', { fatal: false });
  readonly #maxChars: number;
  readonly #emit: (raw: string, cut: number) => void;
  #partial = '';
  #cut = 0;

  /** `maxLineBytes` is applied to UTF-16 characters, a close and cheap stand-in for bytes. */
  constructor(maxLineBytes: number, emit: (raw: string, cut: number) => void) {
    this.#maxChars = maxLineBytes;
    this.#emit = emit;
  }

  push(chunk: Uint8Array): void {
    this.#text(this.#decoder.decode(chunk, { stream: true }));
  }

  /** End of stream: decode what is left and emit an unterminated last line. */
  end(): void {
    this.#text(this.#decoder.decode());
    if (this.#partial !== '' || this.#cut > 0) this.#flushLine();
  }

  #text(text: string): void {
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      const piece = nl < 0 ? text.slice(start) : text.slice(start, nl);
      this.#append(piece);
      if (nl < 0) return;
      this.#flushLine();
      start = nl + 1;
    }
  }

  #append(piece: string): void {
    if (piece === '') return;
    const room = this.#maxChars - this.#partial.length;
    if (room >= piece.length) this.#partial += piece;
    else {
      if (room > 0) this.#partial += piece.slice(0, room);
      this.#cut += piece.length - Math.max(room, 0);
    }
  }

  #flushLine(): void {
    const raw = this.#partial;
    const cut = this.#cut;
    this.#partial = '';
    this.#cut = 0;
    this.#emit(raw, cut);
  }
}
