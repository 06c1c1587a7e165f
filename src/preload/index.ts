/** Exposes the typed contract as `window.spindle`, and nothing else. */
import { contextBridge, ipcRenderer } from 'electron';
import type { EventName, SpindleApi } from '../shared/contract';
import { IPC_EVENT, IPC_REQUEST } from '../shared/ipc-channels';

const listeners = new Map<string, Set<(payload: unknown, meta: { host?: string }) => void>>();
ipcRenderer.on(IPC_EVENT, (_e, msg: { event: string; payload: unknown; host?: string }) => {
  const meta = msg.host ? { host: msg.host } : {};
  for (const l of listeners.get(msg.event) ?? []) l(msg.payload, meta);
});

const api: SpindleApi = {
  request: (method, params, opts) =>
    ipcRenderer.invoke(IPC_REQUEST, { method, params, ...(opts?.host ? { host: opts.host } : {}) }),
  on: (event: EventName, listener) => {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    const l = listener as (payload: unknown, meta: { host?: string }) => void;
    set.add(l);
    return () => void set.delete(l);
  },
};

contextBridge.exposeInMainWorld('spindle', api);

// A middle click on a link asks for a new window; main refuses every new window, and this
// stops the request at the source. (The preload is typed against Node, hence EventTarget.)
(globalThis as unknown as EventTarget).addEventListener('auxclick', (e) => e.preventDefault(), {
  capture: true,
});
