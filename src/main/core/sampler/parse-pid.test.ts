import { describe, expect, it } from 'vitest';
import {
  parseCmdline,
  parsePidIo,
  parsePidStat,
  parseStatmResident,
  parseStatusUid,
  MAX_CMD_CHARS,
} from './parse-pid';
import { parseLoadAvg, parseMemInfo, parseStatCounters } from './parse-system';
import { parsePasswd } from './passwd';

const stat = (
  comm: string,
  rest = 'S 1 5 5 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 3 0 12345 1048576 300 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0',
): Buffer => Buffer.from(`4242 (${comm}) ${rest}\n`);
const parse = (b: Buffer, withComm = true) => parsePidStat(b, b.length, withComm);

describe('parsePidStat', () => {
  it('reads the fields the sampler uses', () => {
    expect(parse(stat('node'))).toEqual({
      pid: 4242,
      comm: 'node',
      state: 'S',
      ppid: 1,
      pgid: 5,
      flags: 4194560,
      utime: 250,
      stime: 50,
      priority: 20,
      nice: 0,
      threads: 3,
      starttime: 12345,
      vsize: 1048576,
      rssPages: 300,
    });
  });

  it('takes comm up to the last parenthesis, spaces and all', () => {
    expect(parse(stat('a) (b'))?.comm).toBe('a) (b');
    expect(parse(stat('a) (b'))?.ppid).toBe(1);
    expect(parse(stat('x y  z'))?.comm).toBe('x y  z');
    expect(parse(stat(')'))?.comm).toBe(')');
    expect(parse(stat(''))?.comm).toBe('');
    expect(parse(stat('héllo'))?.comm).toBe('héllo');
  });

  it('reads negative nice and priority (real-time tasks)', () => {
    const r = parse(stat('rt', 'S 2 0 0 0 -1 0 0 0 0 0 1 2 0 0 -51 -20 1 0 99 0 0'));
    expect(r).toMatchObject({ priority: -51, nice: -20, threads: 1, starttime: 99, vsize: 0, rssPages: 0 });
  });

  it('skips decoding comm when not asked', () => {
    expect(parse(stat('abc'), false)?.comm).toBe('');
  });

  it('returns null for cut or malformed lines', () => {
    expect(parse(Buffer.from(''))).toBeNull();
    expect(parse(Buffer.from('4242 (node) S 1 5 5'))).toBeNull();
    expect(parse(Buffer.from('4242 node S 1 2 3'))).toBeNull();
    expect(parse(stat('x', 'S 1 5 5 0 -1 abc 100 0 0 0 250 50 0 0 20 0 3 0 12345 1048576 300'))).toBeNull();
  });
});

describe('status, statm, io, cmdline', () => {
  it('reads resident pages from statm, -1 when malformed', () => {
    const b = Buffer.from('12345 678 90 1 0 200 0\n');
    expect(parseStatmResident(b, b.length)).toBe(678);
    expect(parseStatmResident(Buffer.from('12345'), 5)).toBe(-1);
  });

  it('reads the effective uid', () => {
    expect(parseStatusUid('Name:\tx\nUid:\t1000\t1001\t1000\t1000\nGid:\t0\n')).toBe(1001);
    expect(parseStatusUid('Name:\tx\n')).toBeNull();
  });

  it('reads storage io counters, null when absent', () => {
    const io =
      'rchar: 6976\nwchar: 0\nsyscr: 10\nsyscw: 0\nread_bytes: 4096\nwrite_bytes: 8192\ncancelled_write_bytes: 0\n';
    const parseIo = (text: string) => parsePidIo(Buffer.from(text), text.length);
    expect(parseIo(io)).toEqual({ read: 4096, write: 8192 });
    expect(parseIo('rchar: 1\n')).toBeNull();
    expect(parseIo('read_bytes: 1\nwrite_bytes: 2\n')).toEqual({ read: 1, write: 2 }); // first line
    // Only buf[0..len) is this file: the reused buffer holds a longer previous one after it.
    expect(parsePidIo(Buffer.from('rchar: 1\nread_bytes: 5\nwrite_bytes: 6\n'), 9)).toBeNull();
  });

  it('joins argv with spaces and caps its length', () => {
    const b = Buffer.from('sleep\x00600\x00a b\x00');
    expect(parseCmdline(b, b.length)).toBe('sleep 600 a b');
    expect(parseCmdline(Buffer.alloc(0), 0)).toBe('');
    const long = Buffer.from('x'.repeat(MAX_CMD_CHARS * 2));
    expect(parseCmdline(long, long.length)).toHaveLength(MAX_CMD_CHARS);
  });
});

describe('system files', () => {
  it('reads /proc/stat counters, null where a kernel lacks them', () => {
    const text =
      'cpu  1 2 3 4\ncpu0 1 2 3 4\nintr 5 6\nctxt 1000\nbtime 1700000000\nprocesses 77\nprocs_running 3\nprocs_blocked 1\n';
    expect(parseStatCounters(text)).toEqual({
      ctxt: 1000,
      processes: 77,
      running: 3,
      blocked: 1,
      btime: 1700000000,
    });
    expect(parseStatCounters('cpu  1 2 3 4\n')).toEqual({
      ctxt: null,
      processes: null,
      running: null,
      blocked: null,
      btime: null,
    });
  });

  it('reads loadavg', () => {
    expect(parseLoadAvg('0.12 0.31 0.18 7/108 5595\n')).toEqual({ one: 0.12, five: 0.31, fifteen: 0.18 });
    expect(parseLoadAvg('garbage')).toBeNull();
  });

  it('reads meminfo in bytes, deriving available on old kernels', () => {
    const m = parseMemInfo(
      'MemTotal: 1000 kB\nMemFree: 100 kB\nMemAvailable: 600 kB\nBuffers: 50 kB\nCached: 300 kB\nSwapTotal: 200 kB\nSwapFree: 150 kB\nSReclaimable: 20 kB\n',
    );
    expect(m).toEqual({
      total: 1024000,
      used: 409600,
      available: 614400,
      free: 102400,
      buffers: 51200,
      cached: 327680,
      swapTotal: 204800,
      swapUsed: 51200,
    });
    const old = parseMemInfo('MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 300 kB\n');
    expect(old?.available).toBe(450 * 1024);
    expect(old?.swapTotal).toBe(0);
    expect(parseMemInfo('Nothing: 1\n')).toBeNull();
  });

  it('maps uids to names from passwd text', () => {
    const m = parsePasswd(
      'root:x:0:0:root:/root:/bin/bash\n# comment\nbad line\nalice:x:1000:1000::/home/alice:/bin/sh\n',
    );
    expect(m.get(0)).toBe('root');
    expect(m.get(1000)).toBe('alice');
    expect(m.size).toBe(2);
  });
});
