/** The snapshots area's request: export through the desktop save dialog. */
import { SpindleError } from '../../../shared/result';
import type { AreaHandlers } from '../rpc';
import { suggestedName, type Snapshots } from './snapshots';

export interface SnapshotsHandlerOptions {
  /** The desktop save dialog (Electron adapter); absent in web mode, where browsers download. */
  chooseSavePath?: (suggestedName: string) => Promise<string | null>;
  hostname: () => Promise<string>;
}

/** Handler for `snapshots.export`. */
export function snapshotsHandlers(
  snapshots: Snapshots,
  opts: SnapshotsHandlerOptions,
): AreaHandlers<'snapshots'> {
  return {
    'snapshots.export': async ({ format }) => {
      const choose = opts.chooseSavePath;
      if (!choose)
        throw new SpindleError('EUNSUPPORTED', 'no save dialog here: download /api/snapshot instead');
      const path = await choose(suggestedName(await opts.hostname(), format));
      if (path === null) return { path: null, bytes: 0 };
      return snapshots.writeFile(path, format);
    },
  };
}
