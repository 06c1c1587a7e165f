import { createContext, useContext } from 'react';
import type { HostsStore } from './hosts-store';

/** The hosts list, the host every view shows, and how to choose another. */
export interface HostsChoice {
  store: HostsStore;
  current: string;
  choose(id: string): void;
}

export const HostsContext = createContext<HostsChoice | null>(null);

export function useHosts(): HostsChoice {
  const h = useContext(HostsContext);
  if (!h) throw new Error('useHosts outside HostsContext');
  return h;
}
