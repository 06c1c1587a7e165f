/**
 * A tiny external store that notifies React at most once per animation frame, however
 * often data arrives (the stream is 1–4 Hz, but resyncs and bursts happen).
 */
export class FrameStore<T> {
  #value: T;
  #listeners = new Set<() => void>();
  #scheduled = false;

  constructor(initial: T) {
    this.#value = initial;
  }

  get = (): T => this.#value;

  set(next: T): void {
    this.#value = next;
    if (this.#scheduled) return;
    this.#scheduled = true;
    const flush = (): void => {
      this.#scheduled = false;
      for (const l of this.#listeners) l();
    };
    if (typeof requestAnimationFrame === 'function' && document.visibilityState === 'visible') {
      requestAnimationFrame(flush);
    } else setTimeout(flush, 0);
  }

  subscribe = (l: () => void): (() => void) => {
    this.#listeners.add(l);
    return () => void this.#listeners.delete(l);
  };
}
