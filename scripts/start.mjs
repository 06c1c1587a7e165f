// `npm start`: install and build when needed, then open the Electron window — or, where the
// Electron runtime cannot be had, say so in one line and serve the same UI in web mode.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ensureBuild, ensureDeps, root } from './ensure.mjs';

ensureDeps();
ensureBuild();

/** Path of the Electron binary if it is already on disk (never triggers a download). */
function electronBinary() {
  try {
    const dir = join(createRequire(import.meta.url).resolve('electron'), '..');
    const pathFile = join(dir, 'path.txt');
    if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
      const p = join(
        process.env.ELECTRON_OVERRIDE_DIST_PATH,
        existsSync(pathFile) ? readFileSync(pathFile, 'utf8') : 'electron',
      );
      return existsSync(p) ? p : null;
    }
    if (!existsSync(pathFile)) return null;
    const bin = join(dir, 'dist', readFileSync(pathFile, 'utf8'));
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

const passThrough = process.argv.slice(2);
const bin = electronBinary();
const hasDisplay =
  process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
let child;
if (bin && hasDisplay) {
  child = spawn(bin, ['.', ...passThrough], { cwd: root, stdio: 'inherit' });
} else {
  const why = bin
    ? 'no display (DISPLAY is unset)'
    : 'the Electron runtime is not installed (its download host is unreachable)';
  console.error(`spindle: cannot open the desktop window: ${why}; serving the same UI in web mode instead.`);
  child = spawn(process.execPath, [join(root, 'bin', 'spindle.mjs'), 'web', ...passThrough], {
    cwd: root,
    stdio: 'inherit',
  });
}
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
