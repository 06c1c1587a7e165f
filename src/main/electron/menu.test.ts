import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { menuTemplate } from './menu';

const roles = (items: MenuItemConstructorOptions[]): string[] =>
  items.flatMap((i) => [
    ...(i.role ? [i.role.toLowerCase()] : []),
    ...(Array.isArray(i.submenu) ? roles(i.submenu) : []),
  ]);

describe('menuTemplate', () => {
  it('offers no DevTools or reload in a packaged build', () => {
    const packaged = roles(menuTemplate(true));
    // viewMenu is Electron's stock View menu, which includes Toggle Developer Tools.
    for (const role of ['toggledevtools', 'viewmenu', 'reload', 'forcereload']) {
      expect(packaged).not.toContain(role);
    }
    expect(packaged).toContain('zoomin');
  });

  it('keeps the stock View menu (with DevTools) in development', () => {
    expect(roles(menuTemplate(false))).toContain('viewmenu');
  });
});
