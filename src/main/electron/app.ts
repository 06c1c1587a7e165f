/** The Electron adapter: one locked-down window serving the core. Kept thin on purpose. */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BrowserWindow, Menu, app, dialog, session, shell } from 'electron';
import { Core } from '../core/core';
import { serveIpc } from './ipc';
import { loadBounds, rememberBounds } from './window-state';

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

export function runElectronApp(outDir: string): void {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  let win: BrowserWindow | null = null;
  const core = new Core({
    // Managed process definitions live beside the window state, in Electron's user data folder.
    dataDir: app.getPath('userData'),
    chooseSavePath: async (name) => {
      const options = { defaultPath: join(app.getPath('downloads'), name) };
      const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      return r.canceled || !r.filePath ? null : r.filePath;
    },
  });
  const rendererIndex = join(outDir, 'renderer', 'index.html');
  const devUrl = process.env.ELECTRON_RENDERER_URL;
  const trustedPrefix = devUrl ?? pathToFileURL(join(outDir, 'renderer')).href;
  const isTrustedUrl = (url: string): boolean => url.startsWith(trustedPrefix);

  app.on('second-instance', () => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });

  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (e, url) => {
      if (!isTrustedUrl(url)) e.preventDefault();
    });
    contents.on('will-attach-webview', (e) => e.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (url.startsWith('https://')) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });

  void app.whenReady().then(() => {
    session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
    session.defaultSession.setPermissionCheckHandler(() => false);
    session.defaultSession.webRequest.onHeadersReceived((details, cb) => {
      cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
    });
    Menu.setApplicationMenu(
      Menu.buildFromTemplate([
        { label: 'Spindle', submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'quit' }] },
        { role: 'editMenu' },
        { role: 'viewMenu' },
        { role: 'windowMenu' },
      ]),
    );
    core.start();
    const dataDir = app.getPath('userData');
    win = new BrowserWindow({
      ...loadBounds(dataDir),
      minWidth: 640,
      minHeight: 420,
      show: false,
      title: 'Spindle',
      icon: join(outDir, '..', 'resources', 'icon.png'),
      webPreferences: {
        preload: join(outDir, 'preload', 'index.cjs'),
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        spellcheck: false,
      },
    });
    rememberBounds(win, dataDir);
    const stopIpc = serveIpc(core, win, isTrustedUrl);
    win.on('ready-to-show', () => win?.show());
    win.on('closed', () => {
      stopIpc();
      win = null;
    });
    if (devUrl) void win.loadURL(devUrl);
    else void win.loadFile(rendererIndex);
  });

  app.on('window-all-closed', () => app.quit());
  let quitting = false;
  app.on('before-quit', (e) => {
    if (quitting) return;
    // Let core stop what it owns (managed processes, pools) before the app exits.
    e.preventDefault();
    quitting = true;
    void core.stop().finally(() => app.quit());
  });
}
