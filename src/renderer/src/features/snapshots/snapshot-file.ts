/** Export and open snapshot files from the window (Electron) or the browser (web mode). */
import type { SnapshotFormat } from '../../../../shared/contract';
import { parseSnapshot } from '../../../../shared/snapshot/read';
import type { Snapshot } from '../../../../shared/snapshot/schema';
import { MAX_SNAPSHOT_BYTES } from '../../../../shared/snapshot/schema';
import type { Result } from '../../../../shared/result';
import type { Client } from '../../api/client';

/** Export: a save dialog in Electron, a download in web mode. Resolves to a message for the user. */
export async function exportSnapshot(client: Client, format: SnapshotFormat): Promise<Result<string>> {
  if (client.transport === 'electron') {
    const r = await client.api.request('snapshots.export', { format });
    if (!r.ok) return r;
    return {
      ok: true,
      value: r.value.path ? `Saved ${r.value.path} (${r.value.bytes} bytes)` : 'Export cancelled',
    };
  }
  if (!client.snapshotLink)
    return { ok: false, error: { code: 'EUNSUPPORTED', message: 'no download in this view' } };
  const link = await client.snapshotLink(format);
  if (!link.ok) return link;
  const a = document.createElement('a');
  a.href = link.value;
  a.download = '';
  document.body.append(a);
  a.click();
  a.remove();
  return { ok: true, value: 'Download started' };
}

/** Read and check a snapshot the user picked. */
export async function openSnapshotFile(file: File): Promise<Result<Snapshot>> {
  if (file.size > MAX_SNAPSHOT_BYTES) {
    return {
      ok: false,
      error: {
        code: 'ESNAPSHOT_TOO_LARGE',
        message: `${file.name} is ${file.size} bytes; the limit is ${MAX_SNAPSHOT_BYTES}`,
      },
    };
  }
  let text: string;
  try {
    text = await file.text();
  } catch {
    return { ok: false, error: { code: 'EIO', message: `could not read ${file.name}` } };
  }
  const r = parseSnapshot(text, file.size);
  if (!r.ok) return { ok: false, error: { code: r.error.code, message: `${file.name}: ${r.error.message}` } };
  return r;
}
