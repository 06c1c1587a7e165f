/** RFC 4180 CSV with formula-injection defence, for process tables and time series. */

/** One cell: text that a spreadsheet would run as a formula is made inert with a leading `'`. */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One record, CRLF-terminated. */
export const csvRow = (cells: readonly unknown[]): string => cells.map(csvCell).join(',') + '\r\n';
