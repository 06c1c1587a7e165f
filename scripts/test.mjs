// `npm test`: everything a contributor must pass — lint, typecheck, unit tests, e2e.
import { ensureDeps, run } from './ensure.mjs';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
ensureDeps();
for (const step of ['lint', 'typecheck', 'test:unit', 'test:e2e']) {
  console.error(`\n── npm run ${step}`);
  run(npm, ['run', '--silent', step]);
}
