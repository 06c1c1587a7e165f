/** The contract over Electron IPC: one invoke channel for requests, one channel for events. */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { IPC_EVENT, IPC_REQUEST, MAX_REQUEST_BYTES } from '../../shared/contract';
import { fail } from '../../shared/result';
import type { Core, Session } from '../core/core';

/** Serve `core` to `win` only; messages from any other frame are refused before a handler runs. */
export function serveIpc(core: Core, win: BrowserWindow, isTrustedUrl: (url: string) => boolean): () => void {
  const session: Session = core.openSession(
    { transport: 'electron', readOnly: false, label: 'window' },
    (event, payload, host) => {
      if (!win.isDestroyed()) win.webContents.send(IPC_EVENT, { event, payload, ...(host ? { host } : {}) });
    },
  );
  const handler = async (e: IpcMainInvokeEvent, raw: unknown): Promise<unknown> => {
    const frame = e.senderFrame;
    if (
      e.sender !== win.webContents ||
      !frame ||
      frame !== win.webContents.mainFrame ||
      !isTrustedUrl(frame.url)
    ) {
      return fail('EFORBIDDEN', 'request from an untrusted frame');
    }
    // Structured clone already parsed it; bound the size as the WebSocket does.
    let size = 0;
    try {
      size = JSON.stringify(raw ?? null).length;
    } catch {
      return fail('EBAD_MESSAGE', 'request is not plain data');
    }
    if (size > MAX_REQUEST_BYTES) return fail('ETOO_LARGE', `request over ${MAX_REQUEST_BYTES} bytes`);
    return session.request(raw);
  };
  ipcMain.handle(IPC_REQUEST, handler);
  return () => {
    ipcMain.removeHandler(IPC_REQUEST);
    session.close();
  };
}
