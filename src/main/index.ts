/** Electron main entry: everything lives in core; this only wires the adapter. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runElectronApp } from './electron/app';

runElectronApp(join(dirname(fileURLToPath(import.meta.url)), '..'));
