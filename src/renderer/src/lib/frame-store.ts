/**
 * A tiny external store that notifies React at most once per animation frame, however
 * often data arrives (the stream is 1–4 Hz, but resyncs and bursts happen).
 */
/** The page APIs used, typed by shape: this module also runs under Node (tests), without a DOM. */
interface Page {
  document?: {
    visibilityState: string;
    addEventListener: (type: 'visibilitychange', fn: () => void, opts: { once: true }) => void;
  };
  requestAnimationFrame?: (fn: () => void) => number;
}

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
    // Nobody reads it (the area's view is not shown): no frame is asked for. A listener that
    // comes later reads the value when it subscribes (useSyncExternalStore does).
    if (this.#scheduled || !this.#listeners.size) return;
    this.#scheduled = true;
    const flush = (): void => {
      this.#scheduled = false;
      for (const l of this.#listeners) l();
    };
    const { document: doc, requestAnimationFrame: raf } = globalThis as Page;
    if (!doc || !raf) setTimeout(flush, 0);
    else if (doc.visibilityState === 'hidden') {
      // Nothing is drawn for a hidden window (minimized, background tab): the views catch up
      // with one render when it shows again, instead of rendering every tick unseen.
      doc.addEventListener('visibilitychange', flush, { once: true });
    } else raf(flush);
  }

  subscribe = (l: () => void): (() => void) => {
    this.#listeners.add(l);
    return () => void this.#listeners.delete(l);
  };
}
