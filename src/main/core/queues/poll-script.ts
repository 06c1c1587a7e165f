/**
 * One queue, one tick, one round trip: a Lua script reads BullMQ's keys for the queue
 * (layout of bullmq 6: `<prefix>:<queue>:wait|paused|active` lists, `prioritized|delayed|
 * waiting-children|completed|failed` sorted sets scored by time, `meta` hash with `paused`)
 * and the Spindle worker reports (queues-shared.md). It reads only, but for the trim of the
 * workers set every 10th tick, which the engine drops on a read-only replica (READONLY). Every command in it is O(1) or
 * O(log N + sample): LLEN/ZCARD for counts, ZCOUNT from a cursor for the jobs finished since
 * the last tick, and `SORT_RO … BY nosort DESC LIMIT 0 k GET …` on the finished set, which
 * walks only the k newest members (Redis orders a sorted set by score under nosort) and
 * reads their timestamps in the same command. So a queue with a million waiting jobs, or
 * thousands finishing a second, takes as many commands as an idle one: about 15 (counted by
 * INFO commandstats, which counts inside scripts too), a few more under load.
 *
 * The finished sets alone undercount: a job added with `removeOnComplete: true` (or
 * `removeOnFail`) never stays in its set, and `{ count: N }` trims a set past N between two
 * ticks. So the script also counts the `completed` and `failed` entries BullMQ adds to the
 * queue's events stream (one per finished job, kept or not) since a stream cursor. That read
 * is the one part whose time grows with load: XRANGE of the entries since the last tick, at
 * most EVENTS_PER_TICK (15 ms of Redis time at 10,000; the next tick reads on from where this
 * one stopped). Each count is a lower bound of
 * the jobs that finished (a set trimmed past its cursor, a stream trimmed before it was read),
 * so a tick takes the larger.
 */
import type { Redis } from 'ioredis';
import { JOB_STATES, type QueueCounts } from '../../../shared/contract';

/** Finished jobs whose timestamps are read per state per tick (the latency sample). */
export const SAMPLE_PER_TICK = 64;
/** Events-stream entries read per queue per tick, at most: BullMQ keeps about 10,000 (its default `maxLenEvents`). */
export const EVENTS_PER_TICK = 10_000;
/** How long a worker stays in the workers set after its last report (then it disappears). */
export const WORKER_FORGET_MS = 10 * 60_000;

const LUA = `
local p = KEYS[1]
local r = redis.call
local k = tonumber(ARGV[3])
local counts = {
  r('LLEN', p .. 'wait'), r('ZCARD', p .. 'prioritized'), r('ZCARD', p .. 'delayed'),
  r('LLEN', p .. 'active'), r('ZCARD', p .. 'waiting-children'), r('ZCARD', p .. 'completed'),
  r('ZCARD', p .. 'failed'), r('LLEN', p .. 'paused') }
local paused = r('HEXISTS', p .. 'meta', 'paused')
-- Jobs finished after the cursor (a finishedOn score, exclusive), with a sample of the newest.
-- An empty cursor starts it at the newest score and counts nothing (-1: unknown).
local function finished(state, cursor)
  local key = p .. state
  if cursor == '' then
    local top = r('ZREVRANGE', key, 0, 0, 'WITHSCORES')
    return { -1, {}, top[2] or '0' }
  end
  local n = r('ZCOUNT', key, '(' .. cursor, '+inf')
  if n == 0 then return { 0, {}, cursor } end
  local args = { key, 'BY', 'nosort', 'LIMIT', 0, math.min(n, k), 'DESC',
    'GET', p .. '*->timestamp', 'GET', p .. '*->processedOn', 'GET', p .. '*->finishedOn', 'GET', p .. '*->delay' }
  -- SORT_RO (Redis 7) runs on a read-only replica, where SORT is refused; older servers lack it.
  local s = redis.pcall('SORT_RO', unpack(args))
  if type(s) == 'table' and s.err then s = r('SORT', unpack(args)) end
  local top = s[3]
  if not top then
    local z = r('ZREVRANGE', key, 0, 0, 'WITHSCORES')
    top = z[2] or cursor
  end
  return { n, s, top }
end
local c = finished('completed', ARGV[1])
local f = finished('failed', ARGV[2])
-- 'completed' and 'failed' entries on the events stream after the cursor (an entry id,
-- exclusive). An empty cursor starts at the newest entry and counts nothing (-1).
local function announced(cursor, cap)
  local key = p .. 'events'
  if cursor == '' then
    local top = r('XREVRANGE', key, '+', '-', 'COUNT', 1)
    return { -1, -1, top[1] and top[1][1] or '0-0' }
  end
  -- The next id after the cursor (the exclusive '(' form needs Redis 6.2).
  local ms, seq = string.match(cursor, '^(%d+)-(%d+)$')
  local es = r('XRANGE', key, ms and (ms .. '-' .. (tonumber(seq) + 1)) or '-', '+', 'COUNT', cap)
  local nc, nf = 0, 0
  for i = 1, #es do
    local fields = es[i][2]
    for j = 1, #fields, 2 do
      if fields[j] == 'event' then
        if fields[j + 1] == 'completed' then nc = nc + 1 elseif fields[j + 1] == 'failed' then nf = nf + 1 end
        break
      end
    end
  end
  return { nc, nf, es[#es] and es[#es][1] or cursor }
end
local e = announced(ARGV[6], tonumber(ARGV[7]))
local wkey = p .. 'spindle:workers'
if ARGV[4] ~= '0' then r('ZREMRANGEBYSCORE', wkey, '-inf', '(' .. ARGV[4]) end
local members = r('ZREVRANGE', wkey, 0, tonumber(ARGV[5]) - 1, 'WITHSCORES')
local reports = {}
if #members > 0 then
  local keys = {}
  for i = 1, #members, 2 do keys[#keys + 1] = p .. 'spindle:w:' .. members[i] end
  reports = r('MGET', unpack(keys))
end
return { counts, paused, c, f, members, reports, e }
`;

/** Jobs that finished in one state since the last cursor. */
export interface Finished {
  /**
   * How many: the larger of the finished set's count since its cursor and the events
   * stream's (either can miss jobs, neither counts one twice); null on the first poll.
   */
  n: number | null;
  /** Wait and run times (ms) of up to SAMPLE_PER_TICK of the newest. */
  wait: number[];
  run: number[];
  /** The finished set's cursor (a finishedOn score). */
  cursor: string;
}

/** What one poll of one queue read. */
export interface PollResult {
  counts: QueueCounts;
  paused: boolean;
  completed: Finished;
  failed: Finished;
  /** Worker ids in the reports set with their last report time, newest first. */
  members: { id: string; lastSeen: number }[];
  /** The report JSON text of each member (null when its key expired: lost). */
  reports: (string | null)[];
  /** The events stream's cursor (an entry id) after this poll. */
  eventsCursor: string;
}

export interface PollArgs {
  prefix: string;
  queue: string;
  /** '' starts a cursor at the newest (that poll counts nothing: n is null). */
  cursors: { completed: string; failed: string; events: string };
  /** Drop workers last seen before this epoch ms (0: no trim this tick). */
  trimBefore: number;
  maxReports: number;
}

type PollCommand = (key: string, ...args: (string | number)[]) => Promise<unknown>;

/** Register the script on a client (once; ioredis sends EVALSHA and falls back to EVAL). */
export function definePoll(client: Redis): void {
  if ((client as unknown as { spindlePoll?: unknown }).spindlePoll) return;
  client.defineCommand('spindlePoll', { numberOfKeys: 1, lua: LUA });
}

const int = (v: unknown): number => (typeof v === 'number' ? v : Number(v));
const field = (v: unknown): number => (v === null || v === undefined || v === false ? NaN : Number(v));

/** One state's result of the script, with the events stream's count of it (-1: unknown). */
function finishedOf(raw: unknown, announced: number): Finished {
  const [zn, sample, cursor] = raw as [number, unknown[], string | number];
  const n = Math.max(int(zn), announced);
  const wait: number[] = [];
  const run: number[] = [];
  for (let i = 0; i + 3 < sample.length; i += 4) {
    const ts = field(sample[i]);
    const processed = field(sample[i + 1]);
    const fin = field(sample[i + 2]);
    const delay = field(sample[i + 3]);
    const w = processed - ts - (Number.isFinite(delay) ? delay : 0);
    const r = fin - processed;
    // A job that never ran (failed before processing) has no processedOn: no sample.
    if (Number.isFinite(w)) wait.push(Math.max(0, w));
    if (Number.isFinite(r) && r >= 0) run.push(r);
  }
  return { n: n < 0 ? null : n, wait, run, cursor: String(cursor) };
}

/** Poll one queue in one round trip. */
export async function pollQueue(client: Redis, a: PollArgs): Promise<PollResult> {
  definePoll(client);
  const cmd = (client as unknown as { spindlePoll: PollCommand }).spindlePoll.bind(client);
  const raw = (await cmd(
    `${a.prefix}:${a.queue}:`,
    a.cursors.completed,
    a.cursors.failed,
    SAMPLE_PER_TICK,
    a.trimBefore,
    a.maxReports,
    a.cursors.events,
    EVENTS_PER_TICK,
  )) as [number[], number, unknown, unknown, string[], (string | null)[], [number, number, string]];
  const [countList, paused, c, f, flat, reports, [ec, ef, eventsCursor]] = raw;
  const counts = {} as QueueCounts;
  JOB_STATES.forEach((s, i) => (counts[s] = int(countList[i] ?? 0)));
  const members: PollResult['members'] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) members.push({ id: flat[i]!, lastSeen: Number(flat[i + 1]) });
  return {
    counts,
    paused: int(paused) === 1,
    completed: finishedOf(c, int(ec)),
    failed: finishedOf(f, int(ef)),
    members,
    reports: reports.map((r) => (typeof r === 'string' ? r : null)),
    eventsCursor: String(eventsCursor),
  };
}
