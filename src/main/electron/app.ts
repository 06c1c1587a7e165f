/** The Electron adapter: one locked-down window serving the core. Kept thin on purpose. */
import { join } from 'node:path';
import { BrowserWindow, Menu, app, dialog, session, shell, type WebContents } from 'electron';
import { HEADER_CSP } from '../../shared/csp';
import { Core } from '../core/core';
import { useChildLauncher } from '../core/launcher';
import { serveIpc } from './ipc';
import { menuTemplate } from './menu';
import { appBase, devServerUrl, isAllowedExternal, isAppUrl } from './trust';
import { utilityLauncher } from './utility-launcher';
import { loadBounds, rememberBounds } from './window-state';

/**
 * URL prefixes a link may open in the user's browser. The renderer links nowhere today; add
 * exact https prefixes here when it does (anything else is refused, never opened).
 */
const EXTERNAL_LINKS: readonly string[] = [];

/** Every way a page can leave the app (links, forms, frames, redirects) ends here unless it stays inside. */
function lockNavigation(contents: WebContents, isTrustedUrl: (url: string) => boolean): void {
  const guard = (e: { preventDefault(): void }, url: string): void => {
    if (!isTrustedUrl(url)) e.preventDefault();
  };
  contents.on('will-navigate', (e, url) => guard(e, url));
  // will-navigate sees only the main frame; this sees every frame.
  contents.on('will-frame-navigate', (e) => guard(e, e.url));
  // A server redirect is not a navigation the page started: checked on its own.
  contents.on('will-redirect', (e, url) => guard(e, url));
  contents.on('will-attach-webview', (e) => e.preventDefault());
  // New windows (window.open, target=_blank, middle click) never open inside the app.
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternal(url, EXTERNAL_LINKS)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

export function runElectronApp(outDir: string): void {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  let win: BrowserWindow | null = null;
  // Packaged builds have the RunAsNode fuse off: Spindle's own children run as utility processes.
  useChildLauncher(utilityLauncher);
  const core = new Core({
    // Managed process definitions live beside the window state, in Electron's user data folder.
    dataDir: app.getPath('userData'),
    // `--redis URL` (repeatable) as in `spindle web`; none: SPINDLE_REDIS_URL.
    redis: redisArgs(process.argv),
    chooseSavePath: async (name) => {
      const options = { defaultPath: join(app.getPath('downloads'), name) };
      const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      return r.canceled || !r.filePath ? null : r.filePath;
    },
  });
  const rendererIndex = join(outDir, 'renderer', 'index.html');
  const devUrl = devServerUrl(process.env.ELECTRON_RENDERER_URL, app.isPackaged);
  const base = appBase(join(outDir, 'renderer'), devUrl);
  const isTrustedUrl = (url: string): boolean => isAppUrl(url, base);

  app.on('second-instance', () => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });

  app.on('web-contents-created', (_e, contents) => lockNavigation(contents, isTrustedUrl));

  void app.whenReady().then(() => {
    session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
    session.defaultSession.setPermissionCheckHandler(() => false);
    session.defaultSession.webRequest.onHeadersReceived((details, cb) => {
      cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [HEADER_CSP] } });
    });
    Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(app.isPackaged)));
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
        // No DevTools in a packaged build: no menu item, no shortcut, openDevTools does nothing.
        devTools: !app.isPackaged,
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

/** The values of every `--redis URL` / `--redis=URL` in argv, or undefined when there is none. */
function redisArgs(argv: readonly string[]): string[] | undefined {
  const out: string[] = [];
  argv.forEach((a, i) => {
    if (a === '--redis' && argv[i + 1]) out.push(argv[i + 1]!);
    else if (a.startsWith('--redis=')) out.push(a.slice('--redis='.length));
  });
  return out.length ? out : undefined;
}
