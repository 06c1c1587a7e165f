/** Window size and position, remembered in the user's data folder. */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { screen, type BrowserWindow, type Rectangle } from 'electron';

const DEFAULT = { width: 1280, height: 820 };

export function loadBounds(dataDir: string): Partial<Rectangle> {
  try {
    const b = JSON.parse(readFileSync(join(dataDir, 'window.json'), 'utf8')) as Rectangle;
    const ok =
      [b.x, b.y, b.width, b.height].every((n) => Number.isInteger(n)) && b.width >= 400 && b.height >= 300;
    // Only reuse a position that is still on some display.
    const visible = screen.getAllDisplays().some((d) => {
      const a = d.workArea;
      return b.x < a.x + a.width && b.x + b.width > a.x && b.y < a.y + a.height && b.y + b.height > a.y;
    });
    if (ok && visible) return b;
  } catch {
    // First run or unreadable file: defaults.
  }
  return DEFAULT;
}

export function rememberBounds(win: BrowserWindow, dataDir: string): void {
  let timer: NodeJS.Timeout | null = null;
  const save = (): void => {
    if (win.isDestroyed() || win.isMinimized()) return;
    const file = join(dataDir, 'window.json');
    writeFileSync(file + '.tmp', JSON.stringify(win.getNormalBounds()));
    renameSync(file + '.tmp', file);
  };
  const later = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, 500);
  };
  win.on('resize', later);
  win.on('move', later);
  win.on('close', save);
}
