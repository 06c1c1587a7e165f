/**
 * Cross-view links: "show this process" from the Pools or Managed view switches to the
 * Processes view, which filters to that pid and selects it. The request waits here until
 * the Processes view (mounted by the switch) takes it.
 */
type Listener = (pid: number) => void;

let pending: number | null = null;
const listeners = new Set<Listener>();

/** Ask for the Processes view focused on `pid`. */
export function showProcess(pid: number): void {
  pending = pid;
  for (const l of listeners) l(pid);
}

/** Be told of requests (the app switches tab; a mounted Processes view takes the pid). */
export function onShowProcess(l: Listener): () => void {
  listeners.add(l);
  return () => void listeners.delete(l);
}

/** The pid waiting to be shown, once. */
export function takeShowProcess(): number | null {
  const p = pending;
  pending = null;
  return p;
}
