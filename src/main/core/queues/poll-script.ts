/**
 * One queue, one tick, one round trip: a Lua script reads BullMQ's keys for the queue
 * (layout of bullmq 6: `<prefix>:<queue>:wait|paused|active` lists, `prioritized|delayed|
 * waiting-children|completed|failed` sorted sets scored by time, `meta` hash with `paused`)
 * and the Spindle worker reports (queues-shared.md). Every command in it is O(1) or
 * O(log N + sample): LLEN/ZCARD for counts, ZCOUNT from a cursor for the jobs finished since
 * the last tick, and `SORT … BY nosort DESC LIMIT 0 k GET …` on the finished set, which
 * walks only the k newest members (Redis orders a sorted set by score under nosort) and
 * reads their timestamps in the same command. So a queue with a million waiting jobs, or
 * thousands finishing a second, costs what an idle one does: about 13 commands idle and 18
 * under load (counted by INFO commandstats, which counts inside scripts too).
 */
import type { Redis } from 'ioredis';
import { JOB_STATES, type QueueCounts } from '../../../shared/contract';

/** Finished jobs whose timestamps are read per state per tick (the latency sample). */
export const SAMPLE_PER_TICK = 64;
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
  local s = r('SORT', key, 'BY', 'nosort', 'LIMIT', 0, math.min(n, k), 'DESC',
    'GET', p .. '*->timestamp', 'GET', p .. '*->processedOn', 'GET', p .. '*->finishedOn', 'GET', p .. '*->delay')
  local top = s[3]
  if not top then
    local z = r('ZREVRANGE', key, 0, 0, 'WITHSCORES')
    top = z[2] or cursor
  end
  return { n, s, top }
end
local c = finished('completed', ARGV[1])
local f = finished('failed', ARGV[2])
local wkey = p .. 'spindle:workers'
if ARGV[4] ~= '0' then r('ZREMRANGEBYSCORE', wkey, '-inf', '(' .. ARGV[4]) end
local members = r('ZREVRANGE', wkey, 0, tonumber(ARGV[5]) - 1, 'WITHSCORES')
local reports = {}
if #members > 0 then
  local keys = {}
  for i = 1, #members, 2 do keys[#keys + 1] = p .. 'spindle:w:' .. members[i] end
  reports = r('MGET', unpack(keys))
end
return { counts, paused, c, f, members, reports }
`;

/** Jobs that finished in one state since the last cursor. */
export interface Finished {
  /** How many; null on the first poll (the cursor just started). */
  n: number | null;
  /** Wait and run times (ms) of up to SAMPLE_PER_TICK of the newest. */
  wait: number[];
  run: number[];
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
}

export interface PollArgs {
  prefix: string;
  queue: string;
  cursors: { completed: string; failed: string };
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

function finishedOf(raw: unknown): Finished {
  const [n, sample, cursor] = raw as [number, unknown[], string | number];
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
  return { n: int(n) < 0 ? null : int(n), wait, run, cursor: String(cursor) };
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
  )) as [number[], number, unknown, unknown, string[], (string | null)[]];
  const [countList, paused, c, f, flat, reports] = raw;
  const counts = {} as QueueCounts;
  JOB_STATES.forEach((s, i) => (counts[s] = int(countList[i] ?? 0)));
  const members: PollResult['members'] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) members.push({ id: flat[i]!, lastSeen: Number(flat[i + 1]) });
  return {
    counts,
    paused: int(paused) === 1,
    completed: finishedOf(c),
    failed: finishedOf(f),
    members,
    reports: reports.map((r) => (typeof r === 'string' ? r : null)),
  };
}
