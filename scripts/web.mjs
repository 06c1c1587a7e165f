// `npm run web -- [--host H] [--port N] [--read-only] [--public-host NAME] [--tls-cert F --tls-key F] [--insecure]`:
// build when needed, then serve web mode.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ensureBuild, ensureDeps, root } from './ensure.mjs';

ensureDeps();
ensureBuild();
const child = spawn(process.execPath, [join(root, 'bin', 'spindle.mjs'), 'web', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 1));
