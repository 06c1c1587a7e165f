/**
 * Parsers for /proc/<pid>/{stat,status,io,cmdline}. They work on bytes where they run per
 * process per tick (stat, statm, schedstat, io), and return null rather than throw on text they do not expect.
 */

/** The /proc/<pid>/stat fields the sampler uses; times in clock ticks, rss in pages. */
export interface PidStat {
  pid: number;
  /** Empty unless asked for (`withComm`). */
  comm: string;
  state: string;
  ppid: number;
  /** Process group (stat field 5). */
  pgid: number;
  /** The kernel's PF_* flags (PF_KTHREAD marks a kernel thread). */
  flags: number;
  utime: number;
  stime: number;
  priority: number;
  nice: number;
  threads: number;
  starttime: number;
  vsize: number;
  rssPages: number;
}

const SPACE = 0x20;
const MINUS = 0x2d;
const OPEN = 0x28;
const CLOSE = 0x29;
/** Index of the kept fields among the numbers after the state letter: man proc's field number - 4. */
const F = {
  ppid: 0,
  pgid: 1,
  flags: 5,
  utime: 10,
  stime: 11,
  priority: 14,
  nice: 15,
  threads: 16,
  starttime: 18,
  vsize: 19,
  rss: 20,
};

/**
 * Parse a stat line from `buf[0..len)`. comm may hold spaces and parentheses (`a) (b`), so it
 * runs from the first '(' to the last ')'. Null when the line is cut short or malformed.
 */
export function parsePidStat(buf: Uint8Array, len: number, withComm = true): PidStat | null {
  let close = len - 1;
  while (close > 0 && buf[close] !== CLOSE) close--;
  const open = buf.indexOf(OPEN);
  if (open < 1 || close <= open || close + 3 >= len) return null;
  const pid = digits(buf, 0, open - 1);
  const comm = withComm
    ? Buffer.from(buf.buffer, buf.byteOffset + open + 1, close - open - 1).toString('utf8')
    : '';
  const state = String.fromCharCode(buf[close + 2]!);
  // Walk the space-separated numeric fields after the state letter.
  const vals: number[] = [];
  let i = close + 3;
  while (i < len && vals.length <= F.rss) {
    if (buf[i] !== SPACE) return null;
    i++;
    let neg = false;
    if (buf[i] === MINUS) {
      neg = true;
      i++;
    }
    let v = 0;
    const start = i;
    for (let c = buf[i]!; i < len && c >= 0x30 && c <= 0x39; c = buf[++i]!) v = v * 10 + (c - 0x30);
    if (i === start) return null;
    vals.push(neg ? -v : v);
  }
  if (vals.length <= F.rss || Number.isNaN(pid)) return null;
  return {
    pid,
    comm,
    state,
    ppid: vals[F.ppid]!,
    pgid: vals[F.pgid]!,
    flags: vals[F.flags]!,
    utime: vals[F.utime]!,
    stime: vals[F.stime]!,
    priority: vals[F.priority]!,
    nice: vals[F.nice]!,
    threads: vals[F.threads]!,
    starttime: vals[F.starttime]!,
    vsize: vals[F.vsize]!,
    rssPages: vals[F.rss]!,
  };
}

/** PF_KTHREAD in stat's flags: a kernel thread (no command line, no user memory). */
export const PF_KTHREAD = 0x00200000;

/** Resident pages from /proc/<pid>/statm (`size resident shared …`), or -1 when malformed. */
export function parseStatmResident(buf: Uint8Array, len: number): number {
  let i = 0;
  while (i < len && buf[i] !== SPACE) i++;
  const start = ++i;
  let v = 0;
  for (; i < len && buf[i]! >= 0x30 && buf[i]! <= 0x39; i++) v = v * 10 + (buf[i]! - 0x30);
  return i > start ? v : -1;
}

/** The leading decimal number of `buf[0..len)` (schedstat's run time in ns), or -1. */
export function firstNumber(buf: Uint8Array, len: number): number {
  let v = 0;
  let i = 0;
  for (; i < len; i++) {
    const c = buf[i]!;
    if (c < 0x30 || c > 0x39) break;
    v = v * 10 + (c - 0x30);
  }
  return i === 0 ? -1 : v;
}

function digits(buf: Uint8Array, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = buf[i]!;
    if (c < 0x30 || c > 0x39) return NaN;
    v = v * 10 + (c - 0x30);
  }
  return to > from ? v : NaN;
}

/** Value of `Key:` in a `Key: value` file (status, io, meminfo), as text; null when absent. */
export function field(text: string, key: string): string | null {
  let at = text.startsWith(key + ':') ? 0 : text.indexOf('\n' + key + ':');
  if (at < 0) return null;
  if (at > 0) at++;
  const end = text.indexOf('\n', at);
  return text.slice(at + key.length + 1, end < 0 ? undefined : end).trim();
}

/** Effective uid from /proc/<pid>/status (`Uid: real effective saved fs`). */
export function parseStatusUid(text: string): number | null {
  const v = field(text, 'Uid');
  if (v === null) return null;
  const parts = v.split(/\s+/);
  const n = Number(parts[1] ?? parts[0]);
  return Number.isInteger(n) ? n : null;
}

/** Storage bytes read and written so far, from /proc/<pid>/io. */
export function parsePidIo(buf: Buffer, len: number): { read: number; write: number } | null {
  const read = counterAfter(buf, len, READ_BYTES);
  const write = counterAfter(buf, len, WRITE_BYTES);
  return read >= 0 && write >= 0 ? { read, write } : null;
}

// At a line start, so cancelled_write_bytes is not taken for write_bytes.
const READ_BYTES = Buffer.from('\nread_bytes: ');
const WRITE_BYTES = Buffer.from('\nwrite_bytes: ');

/** The number after `key` (a '\n' and a name) in `buf[0..len)`, or -1. Bytes past `len` are stale. */
function counterAfter(buf: Buffer, len: number, key: Buffer): number {
  // The first line has no '\n' before it: there `at` is -1, as if one stood before the buffer.
  const first = len >= key.length - 1 && buf.compare(key, 1, key.length, 0, key.length - 1) === 0;
  const at = first ? -1 : buf.indexOf(key);
  if (!first && at < 0) return -1;
  const from = at + key.length;
  if (from > len) return -1;
  let i = from;
  let v = 0;
  for (; i < len && buf[i]! >= 0x30 && buf[i]! <= 0x39; i++) v = v * 10 + (buf[i]! - 0x30);
  return i > from ? v : -1;
}

/** Longest command line kept; argv past this is cut with an ellipsis. */
export const MAX_CMD_CHARS = 4096;

/** argv from NUL-separated /proc/<pid>/cmdline, joined by spaces. */
export function parseCmdline(buf: Uint8Array, len: number): string {
  let end = len;
  while (end > 0 && buf[end - 1] === 0) end--;
  const text = Buffer.from(buf.buffer, buf.byteOffset, end).toString('utf8').replaceAll('\0', ' ');
  return text.length > MAX_CMD_CHARS ? text.slice(0, MAX_CMD_CHARS - 1) + '…' : text;
}
