/**
 * View preferences (columns, sort, history window) remembered across restarts in
 * localStorage, which both Electron and the browser keep. Values are validated on read:
 * storage is user-editable and outlives versions.
 */
import { useCallback, useState } from 'react';

const PREFIX = 'spindle.';

/** Read a stored value, or `fallback` when absent, unparsable or refused by `valid`. */
export function readPref<T>(key: string, fallback: T, valid: (v: unknown) => v is T): T {
  try {
    const raw = localStorage.getItem(PREFIX + key);
    if (raw === null) return fallback;
    const v: unknown = JSON.parse(raw);
    return valid(v) ? v : fallback;
  } catch {
    return fallback;
  }
}

/** Store a value; a full or disabled storage only loses the preference. */
export function writePref(key: string, value: unknown): void {
  try {
    localStorage.setItem(PREFIX + key, JSON.stringify(value));
  } catch {
    // Private mode or quota: the preference lasts this session only.
  }
}

/** useState that persists. */
export function usePref<T>(key: string, fallback: T, valid: (v: unknown) => v is T): [T, (v: T) => void] {
  const [value, setValue] = useState(() => readPref(key, fallback, valid));
  const set = useCallback(
    (v: T) => {
      setValue(v);
      writePref(key, v);
    },
    [key],
  );
  return [value, set];
}

/** History windows offered, minutes. */
export const WINDOW_MINUTES = [1, 5, 10] as const;
export type WindowMinutes = (typeof WINDOW_MINUTES)[number];
export const isWindowMinutes = (v: unknown): v is WindowMinutes =>
  WINDOW_MINUTES.includes(v as WindowMinutes);
