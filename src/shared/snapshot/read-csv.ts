/**
 * Reading back a process table written as CSV (`csv-processes`): RFC 4180 records, the
 * header naming the contract's fields, each cell read by its field's spec (empty = null where
 * null is allowed; the `'` that made a formula inert removed), then the row schema.
 */
import { PROC_FIELDS, type ProcField } from '../contract/proc-fields';
import type { ProcRow } from '../contract/stats';
import type { Result } from '../result';
import { MAX_SNAPSHOT_BYTES, procRowSchema } from './schema';

/** Split RFC 4180 text into records of cells (quoted cells may hold commas, quotes and line breaks). */
function csvRecords(text: string): string[][] {
  const records: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c !== '"') cell += c;
      else if (text[i + 1] === '"') {
        cell += '"';
        i++;
      } else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      records.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length) records.push([...row, cell]);
  return records;
}

const bad = (message: string): Result<never> => ({
  ok: false,
  error: { code: 'ESNAPSHOT_INVALID', message },
});

/** One cell as its field's value: text as is (inert prefix removed), numbers parsed, empty as null. */
function cellValue(field: ProcField, cell: string): unknown {
  const spec = PROC_FIELDS[field];
  if (cell === '' && spec.nullable) return null;
  if (spec.kind === 'text' || spec.kind === 'key') return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
  return cell === '' ? Number.NaN : Number(cell);
}

/** Parse a `csv-processes` file back into rows; every failure is a value naming the line and field. */
export function parseProcessesCsv(text: string): Result<ProcRow[]> {
  if (text.length > MAX_SNAPSHOT_BYTES) return bad(`over ${MAX_SNAPSHOT_BYTES} bytes`);
  const [header, ...records] = csvRecords(text);
  if (!header) return { ok: false, error: { code: 'ESNAPSHOT_EMPTY', message: 'the file is empty' } };
  const known = new Set<string>(Object.keys(PROC_FIELDS));
  const unknown = header.find((h) => !known.has(h));
  if (unknown !== undefined) return bad(`unknown column ${JSON.stringify(unknown.slice(0, 64))}`);
  const rows: ProcRow[] = [];
  for (let i = 0; i < records.length; i++) {
    const rec = records[i]!;
    if (rec.length !== header.length)
      return bad(`line ${i + 2}: ${rec.length} cells, header has ${header.length}`);
    const raw = Object.fromEntries(header.map((h, j) => [h, cellValue(h as ProcField, rec[j]!)]));
    const parsed = procRowSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return bad(`line ${i + 2}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
    }
    rows.push(parsed.data);
  }
  return { ok: true, value: rows };
}
