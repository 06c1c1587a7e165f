#!/usr/bin/env node
// The `spindle` command runs the built CLI; build it first with `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));
if (!existsSync(cli)) {
  console.error('spindle: not built yet; run `npm run build` in the Spindle folder first');
  process.exit(2);
}
await import(cli);
