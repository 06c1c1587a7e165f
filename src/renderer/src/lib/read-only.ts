import { createContext, useContext } from 'react';

/**
 * Why control actions are off (viewing a snapshot, or a `--read-only` server), or null when
 * they are on. Views disable their controls from this; core refuses them regardless.
 */
export const ReadOnlyContext = createContext<string | null>(null);

/** The reason controls are disabled, or null. */
export const useReadOnly = (): string | null => useContext(ReadOnlyContext);
