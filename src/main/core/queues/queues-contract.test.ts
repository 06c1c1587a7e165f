import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { Worker } from 'bullmq';
import { parseSnapshot } from '../../../shared/snapshot/read';
import { Core, type Session } from '../core';
import { startRedis, type TestRedis } from '../../../test-utils/redis-server';
import { until } from '../../../test-utils/until';
import type { QueueConnection, QueuesTick, JobsPage, JobDetail, QueueStats } from '../../../shared/contract';

const SECRET = 'pw-for-queues-test';
let redis: TestRedis;
let dir: string;
let core: Core;
let rw: Session;
let ro: Session;
let conn: QueueConnection;
const events: string[] = [];
let last: QueuesTick | null = null;

const call = async <T>(s: Session, method: string, params?: unknown): Promise<T> => {
  const r = await s.request({ method, params });
  if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
  return r.value as T;
};
const code = async (s: Session, method: string, params?: unknown): Promise<string> => {
  const r = await s.request({ method, params });
  return r.ok ? 'ok' : r.error.code;
};
const stats = (name: string): QueueStats | undefined => last?.queues.find((q) => q.name === name);
const q = (queue: string) => ({ connectionId: conn.id, queue });

beforeAll(async () => {
  redis = await startRedis({ password: SECRET });
  dir = mkdtempSync(join(tmpdir(), 'spindle-queues-'));
  core = new Core({ dataDir: dir, queuesIntervalMs: 200, redis: [] });
  rw = core.openSession({ transport: 'web', readOnly: false, label: 'rw' }, (e, p) => {
    events.push(JSON.stringify(p));
    if (events.length > 50) events.shift();
    if (e === 'queues') last = p as QueuesTick;
  });
  ro = core.openSession({ transport: 'web', readOnly: true, label: 'ro' }, () => {});
  await core.queues.start();
  await call(rw, 'queues.subscribe');
});
afterAll(async () => {
  await core.stop();
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('queues over the contract', () => {
  it('refuses a wrong password with its code, and never shows the password anywhere', async () => {
    expect(
      await code(rw, 'queues.connect', { url: `redis://127.0.0.1:${redis.port}`, password: 'nope-nope' }),
    ).toBe('EREDIS_AUTH');
    conn = await call<QueueConnection>(rw, 'queues.connect', {
      url: `redis://:${SECRET}@127.0.0.1:${redis.port}`,
      name: 'test',
    });
    expect(conn).toMatchObject({ state: 'up', hasPassword: true, saved: true });
    const file = join(dir, 'queues.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain(SECRET);
    await until(() => last?.connections.some((c) => c.id === conn.id && c.state === 'up'));
    const seen = [
      JSON.stringify(conn),
      JSON.stringify(await call(rw, 'queues.connections')),
      JSON.stringify(core.audit.list()),
      ...events,
    ].join('\n');
    expect(seen).not.toContain(SECRET);
    expect(seen).not.toContain('nope-nope');
    expect(core.audit.list().map((e) => `${e.action}:${e.outcome}`)).toEqual(
      expect.arrayContaining(['queues connect:EREDIS_AUTH', 'queues connect:ok']),
    );
  });

  it('adds a batch, a steady producer, and refuses an oversized payload', async () => {
    expect(await call(rw, 'queues.add', { ...q('work'), count: 20, workload: 'sleep', ms: 5 })).toMatchObject(
      {
        added: 20,
      },
    );
    await until(() => stats('work')?.counts.waiting === 20, { message: '20 waiting' });
    const big = { text: 'x'.repeat(70 * 1024) };
    expect(await code(rw, 'queues.add', { ...q('work'), count: 1, payload: big })).toBe('EPAYLOAD_TOO_LARGE');
    const r = await call<{ producer: { id: string } }>(rw, 'queues.add', {
      ...q('work'),
      count: 10,
      rate: 100,
    });
    expect(r.producer.id).toBeTruthy();
    await until(() => last?.producers.some((p) => p.id === r.producer.id && p.state === 'done'));
    await until(() => stats('work')?.counts.waiting === 30, { message: '30 waiting' });
    expect(await code(ro, 'queues.add', { ...q('work'), count: 1 })).toBe('EREADONLY');
  });

  it('pauses and resumes', async () => {
    await call(rw, 'queues.pause', q('work'));
    await until(() => stats('work')?.paused === true);
    await call(rw, 'queues.resume', q('work'));
    await until(() => stats('work')?.paused === false);
    expect(await code(ro, 'queues.pause', q('work'))).toBe('EREADONLY');
    expect(await code(rw, 'queues.pause', q('no-such-queue'))).toBe('ENO_QUEUE');
  });

  it('pages jobs and shows one safely, whatever its size', async () => {
    const page = await call<JobsPage>(rw, 'queues.jobs', { ...q('work'), state: 'waiting', count: 10 });
    expect(page.total).toBe(30);
    expect(page.jobs).toHaveLength(10);
    expect(await code(rw, 'queues.jobs', { ...q('work'), state: 'waiting', count: 101 })).toBe('EINVAL');
    await call(rw, 'queues.add', {
      ...q('big'),
      count: 1,
      payload: { s: 'y'.repeat(60 * 1024), deep: [[[[[[[[[[1]]]]]]]]]] },
    });
    const bigPage = await call<JobsPage>(rw, 'queues.jobs', { ...q('big'), state: 'waiting' });
    const job = await call<JobDetail>(rw, 'queues.job', { ...q('big'), jobId: bigPage.jobs[0]!.id });
    expect(job.data.truncated).toBe(true);
    expect(job.data.bytes).toBeGreaterThan(60 * 1024);
    expect(JSON.stringify(job.data.value)).toContain('more chars');
    expect(JSON.stringify(job.data.value).length).toBeLessThan(8 * 1024);
    expect(job.state).toBe('waiting');
    expect(await code(rw, 'queues.job', { ...q('big'), jobId: 'nope' })).toBe('ENO_JOB');
  });

  it('retries failed jobs (one, then all), promotes, removes, cleans and drains', async () => {
    await call(rw, 'queues.add', { ...q('flaky'), count: 3, workload: 'fail' });
    const w = new Worker(
      'flaky',
      async () => {
        throw new Error('fail workload');
      },
      { connection: { host: '127.0.0.1', port: redis.port, password: SECRET } },
    );
    await until(() => stats('flaky')?.counts.failed === 3, { message: '3 failed' });
    await w.close();
    const failed = await call<JobsPage>(rw, 'queues.jobs', { ...q('flaky'), state: 'failed' });
    const detail = await call<JobDetail>(rw, 'queues.job', { ...q('flaky'), jobId: failed.jobs[0]!.id });
    expect(detail.failedReason).toBe('fail workload');
    expect(detail.stacktrace.join('\n')).toContain('fail workload');
    expect(await call(rw, 'queues.retry', { ...q('flaky'), jobId: failed.jobs[0]!.id })).toBe(1);
    expect(await code(rw, 'queues.retry', { ...q('flaky'), jobId: failed.jobs[0]!.id })).toBe('EJOB_STATE');
    expect(await call(rw, 'queues.retry', q('flaky'))).toBe(2);
    await until(() => stats('flaky')?.counts.failed === 0 && stats('flaky')?.counts.waiting === 3);

    await call(rw, 'queues.add', { ...q('flaky'), count: 2, delayMs: 600_000 });
    await until(() => stats('flaky')?.counts.delayed === 2);
    expect(await call(rw, 'queues.promote', q('flaky'))).toBe(2);
    await until(() => stats('flaky')?.counts.delayed === 0 && stats('flaky')?.counts.waiting === 5);

    const waiting = await call<JobsPage>(rw, 'queues.jobs', { ...q('flaky'), state: 'waiting' });
    await call(rw, 'queues.removeJob', { ...q('flaky'), jobId: waiting.jobs[0]!.id });
    expect(await code(rw, 'queues.removeJob', { ...q('flaky'), jobId: waiting.jobs[0]!.id })).toBe('ENO_JOB');
    await until(() => stats('flaky')?.counts.waiting === 4);

    const done = new Worker('flaky', async () => 1, {
      connection: { host: '127.0.0.1', port: redis.port, password: SECRET },
    });
    await until(() => stats('flaky')?.counts.completed === 4, { message: '4 completed' });
    await done.close();
    expect(await call(rw, 'queues.clean', { ...q('flaky'), state: 'completed', olderThanMs: 0 })).toBe(4);
    await call(rw, 'queues.drain', q('work'));
    await until(() => stats('work')?.counts.waiting === 0);
  });

  it('obliterates only with the queue name typed back', async () => {
    expect(await code(rw, 'queues.obliterate', { ...q('flaky'), confirm: 'flak' })).toBe('ECONFIRM');
    await call(rw, 'queues.obliterate', { ...q('flaky'), confirm: 'flaky' });
    await until(() => last !== null && stats('flaky') === undefined, { message: 'queue gone' });
    const audit = core.audit.list().map((e) => `${e.action}:${e.outcome}`);
    expect(audit).toEqual(
      expect.arrayContaining([
        'queue add:ok',
        'queue add:EPAYLOAD_TOO_LARGE',
        'queue pause:ok',
        'queue resume:ok',
        'queue retry:ok',
        'queue retry:EJOB_STATE',
        'queue promote:ok',
        'queue remove job:ok',
        'queue clean:ok',
        'queue drain:ok',
        'queue obliterate:ECONFIRM',
        'queue obliterate:ok',
      ]),
    );
    // One entry per control request (dispatch records it; the handlers never do).
    expect(audit.filter((a) => a === 'queue pause:ok')).toHaveLength(1);
    expect(audit.filter((a) => a.startsWith('queue obliterate'))).toHaveLength(2);
  });

  it('puts each queue with its history and workers in a snapshot, without the password', async () => {
    const chunks: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        chunks.push(chunk);
        cb();
      },
    });
    await core.snapshots.stream('json', sink);
    const text = Buffer.concat(chunks).toString('utf8');
    expect(text).not.toContain(SECRET);
    const parsed = parseSnapshot(text);
    if (!parsed.ok) throw new Error(parsed.error.message);
    const work = parsed.value.queues.find((x) => x.name === 'work')!;
    expect(work.connection.url).toContain(':***@');
    expect(work.history.t.length).toBeGreaterThan(2);
    expect(work.history.waiting.length).toBe(work.history.t.length);
  });

  it('disconnects and forgets a saved connection', async () => {
    await call(rw, 'queues.disconnect', { connectionId: conn.id });
    expect(await call(rw, 'queues.connections')).toEqual([]);
    expect(JSON.parse(readFileSync(join(dir, 'queues.json'), 'utf8')).connections).toEqual([]);
  });
});
