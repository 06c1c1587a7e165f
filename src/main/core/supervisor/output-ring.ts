/**
 * The bounded output of one managed process: the last `maxLines` lines within `maxBytes`,
 * oldest dropped first and counted. Lines are stored in arrival order with a sequence
 * number, so a reader can ask for "after seq N" and a search can run over what is held.
 */
import type { OutputLine, OutputPage, StyleSpan } from '../../../shared/contract';

/** Approximate bytes held for a line: its text (UTF-16) plus the object and its spans. */
const lineBytes = (l: OutputLine): number => l.text.length * 2 + 64 + (l.spans ? l.spans.length * 48 : 0);

export interface RingLimits {
  maxLines: number;
  maxBytes: number;
}

export class OutputRing {
  #limits: RingLimits;
  // Appended at the end; `#head` marks the oldest kept line, compacted when half is dead,
  // keeping both append and drop amortised O(1).
  #lines: OutputLine[] = [];
  #head = 0;
  #bytes = 0;
  #seq = 0;
  #dropped = 0;

  constructor(limits: RingLimits) {
    this.#limits = limits;
  }

  get dropped(): number {
    return this.#dropped;
  }

  get held(): number {
    return this.#lines.length - this.#head;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Add one line; returns it with its sequence number. */
  push(
    stream: OutputLine['stream'],
    stage: number,
    text: string,
    t = Date.now(),
    spans?: StyleSpan[],
  ): OutputLine {
    const line: OutputLine = spans?.length
      ? { seq: ++this.#seq, t, stream, stage, text, spans }
      : { seq: ++this.#seq, t, stream, stage, text };
    this.#lines.push(line);
    this.#bytes += lineBytes(line);
    this.#trim();
    return line;
  }

  #trim(): void {
    while (this.held > this.#limits.maxLines || (this.#bytes > this.#limits.maxBytes && this.held > 1)) {
      const old = this.#lines[this.#head]!;
      this.#bytes -= lineBytes(old);
      this.#head++;
      this.#dropped++;
    }
    if (this.#head > 1024 && this.#head * 2 > this.#lines.length) {
      this.#lines = this.#lines.slice(this.#head);
      this.#head = 0;
    }
  }

  /** New limits (an edited definition): oldest lines beyond them are dropped now. */
  setLimits(limits: RingLimits): void {
    this.#limits = limits;
    this.#trim();
  }

  /** Count lines lost before they reached the ring (e.g. cut in the helper under a flood). */
  addDropped(n: number): void {
    this.#dropped += n;
  }

  /** Every held line, oldest first (a copy: later pushes and drops do not change it). */
  lines(): OutputLine[] {
    return this.#lines.slice(this.#head);
  }

  /** The last `tail` held lines matching `match` (all when absent). */
  query(tail: number, match?: (text: string) => boolean): OutputPage {
    const out: OutputLine[] = [];
    let matched = 0;
    for (let i = this.#lines.length - 1; i >= this.#head; i--) {
      const line = this.#lines[i]!;
      if (match && !match(line.text)) continue;
      matched++;
      if (out.length < tail) out.push(line);
    }
    return { lines: out.reverse(), matched, held: this.held, dropped: this.#dropped };
  }
}
