/**
 * The colour scheme, for code that resolves CSS colours itself (canvas charts): a number that
 * changes when `prefers-color-scheme` does. One `matchMedia` listener for every subscriber,
 * however many charts are mounted; it is added with the first and removed with the last.
 */
import { useSyncExternalStore } from 'react';

let generation = 0;
let query: MediaQueryList | null = null;
const listeners = new Set<() => void>();

function changed(): void {
  generation++;
  for (const l of listeners) l();
}

function subscribe(listener: () => void): () => void {
  if (!query) {
    query = window.matchMedia('(prefers-color-scheme: dark)');
    query.addEventListener('change', changed);
  }
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && query) {
      query.removeEventListener('change', changed);
      query = null;
    }
  };
}

/** How many times the colour scheme has changed: a dependency that redoes work on a change. */
export function useThemeGeneration(): number {
  return useSyncExternalStore(subscribe, () => generation);
}
