import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { snapshotJsonSchema } from './json-schema';

describe('docs/snapshot.schema.json', () => {
  it('matches the schema the reader enforces (regenerate: npx tsx scripts/snapshot-schema.ts)', () => {
    const docs = readFileSync(new URL('../../../docs/snapshot.schema.json', import.meta.url), 'utf8');
    expect(docs.trim()).toBe(snapshotJsonSchema().trim());
  });
});
