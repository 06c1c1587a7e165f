import { z } from 'zod';
import { request } from './define';

/** Export formats: the whole snapshot as JSON, or the process table / series as CSV. */
export const snapshotFormat = z.enum(['json', 'csv-processes', 'csv-series']);
export type SnapshotFormatName = z.infer<typeof snapshotFormat>;

export interface SnapshotExportResult {
  /** Where it was written, or null when the user cancelled the save dialog. */
  path: string | null;
  bytes: number;
}

export const snapshotsRequests = {
  /**
   * Export a snapshot through the desktop save dialog (Electron). Web mode answers
   * EUNSUPPORTED: browsers download from GET /api/snapshot?format=… instead.
   */
  'snapshots.export': request<SnapshotExportResult>()(z.object({ format: snapshotFormat }).strict(), {
    control: false,
  }),
};
