/** The application menu as data, so a test can see what a packaged build offers. */
import type { MenuItemConstructorOptions } from 'electron';

/**
 * The menu template. A packaged build has no DevTools, reload or force-reload item (the
 * `viewMenu` role brings all three, with their shortcuts), only zoom and full screen.
 */
export function menuTemplate(packaged: boolean): MenuItemConstructorOptions[] {
  const view: MenuItemConstructorOptions = packaged
    ? {
        label: 'View',
        submenu: [
          { role: 'resetZoom' },
          { role: 'zoomIn' },
          { role: 'zoomOut' },
          { type: 'separator' },
          { role: 'togglefullscreen' },
        ],
      }
    : { role: 'viewMenu' };
  return [
    { label: 'Spindle', submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'quit' }] },
    { role: 'editMenu' },
    view,
    { role: 'windowMenu' },
  ];
}
