/** Writes docs/snapshot.schema.json from the zod schema (`npx tsx scripts/snapshot-schema.ts`). */
import { writeFileSync } from 'node:fs';
import { snapshotJsonSchema } from '../src/shared/snapshot/json-schema';

writeFileSync(new URL('../docs/snapshot.schema.json', import.meta.url), snapshotJsonSchema() + '\n');
