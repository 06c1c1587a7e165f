/**
 * `npm run bench`: every benchmark, one after another (never in parallel: they measure
 * ratios side by side on a shared machine). Results land in bench/results/*.json.
 */
import { existsSync } from 'node:fs';
import { mkdirSync } from 'node:fs';

const BENCHES = ['sampler', 'spawn', 'pools', 'renderer', 'table-sort', 'selfcost', 'metrics', 'queues'];

mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
const only = process.argv.slice(2);
let failed = 0;
for (const name of BENCHES) {
  if (only.length && !only.includes(name)) continue;
  const file = new URL(`./${name}.ts`, import.meta.url);
  if (!existsSync(file)) {
    console.log(`\n== ${name}: no benchmark yet`);
    continue;
  }
  console.log(`\n== ${name}`);
  try {
    const mod = (await import(file.href)) as { run: () => Promise<void> };
    await mod.run();
  } catch (err) {
    failed++;
    console.error(`bench ${name} failed:`, err);
  }
}
process.exit(failed ? 1 : 0);
