/** Counts results held by back pressure and how long at least one was held (a stage's stall time). */
export class HoldClock {
  #held = 0;
  #since = 0;
  #total = 0;

  get held(): number {
    return this.#held;
  }

  hold(now = performance.now()): void {
    if (this.#held++ === 0) this.#since = now;
  }

  release(now = performance.now()): void {
    if (--this.#held === 0) this.#total += now - this.#since;
  }

  /** Total ms with at least one result held, including the current stretch. */
  ms(now = performance.now()): number {
    return this.#total + (this.#held > 0 ? now - this.#since : 0);
  }
}
