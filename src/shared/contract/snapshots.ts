import { z } from 'zod';
import { request } from './define';

/** How writing or reading a snapshot fails besides the transport's codes. */
export type SnapshotsErrorCode =
  | 'ENOENT' // no such file
  | 'ENOENT_DIR' // the folder to write in does not exist
  | 'EACCES' // not permitted
  | 'EISDIR' // the path is a folder
  | 'ENOSPC' // the disk is full
  | 'EIO' // any other read or write failure
  | 'ESNAPSHOT_TOO_LARGE'
  | 'ESNAPSHOT_EMPTY'
  | 'ESNAPSHOT_MALFORMED' // not JSON (or CSV) Spindle can read
  | 'ESNAPSHOT_TOO_DEEP'
  | 'ESNAPSHOT_FORBIDDEN_KEY' // __proto__ and the like
  | 'ESNAPSHOT_VERSION' // written by a newer Spindle
  | 'ESNAPSHOT_INVALID' // fails the schema (the message names the field)
  | 'EREPLAY'; // a control request while a snapshot is replayed

/** Export formats: the whole snapshot as JSON, or the process table / series as CSV. */
export const SNAPSHOT_FORMATS = ['json', 'csv-processes', 'csv-series'] as const;
const snapshotFormat = z.enum(SNAPSHOT_FORMATS);
export type SnapshotFormat = (typeof SNAPSHOT_FORMATS)[number];

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
