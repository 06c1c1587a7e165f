/** Where every bench leaves its figures: bench/results/<name>.json. */
import { mkdirSync, writeFileSync } from 'node:fs';

/** Write `data` as bench/results/`name`.json (the folder made if missing). */
export function writeResult(name: string, data: unknown): void {
  const dir = new URL('./results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  writeFileSync(new URL(`${name}.json`, dir), JSON.stringify(data, null, 2) + '\n');
}
