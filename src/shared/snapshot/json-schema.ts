import { z } from 'zod';
import { snapshotSchema } from './schema';

/** The snapshot format as JSON Schema (draft 2020-12), as published in docs/. */
export function snapshotJsonSchema(): string {
  const schema = z.toJSONSchema(snapshotSchema, { target: 'draft-2020-12', unrepresentable: 'any' });
  return JSON.stringify(
    {
      ...schema,
      $id: 'https://spindle.dev/schemas/snapshot-v2.json',
      title: 'Spindle usage snapshot, version 2',
      description:
        'System info, history as columns over one time axis (null = gap), the process table, managed processes, pools, the audit log and the watched queues (version 2; version 1 has no queues). Column lengths equal t.length.',
    },
    null,
    2,
  );
}
