import { readFileSync, writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { artifact, serverUrl } from './fixtures';

test('export a snapshot from the UI, open it, replay it read-only, return to live', async ({ page }) => {
  await page.goto(serverUrl());
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'connected');
  // Let a few samples accumulate so the replay has history to scrub through.
  await expect
    .poll(async () => Number(await page.getByTestId('cpu-chart').getAttribute('data-points')))
    .toBeGreaterThan(3);

  await page.getByRole('button', { name: 'Export snapshot' }).click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('menuitem', { name: 'Everything (JSON)' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^spindle-.*\.json$/);
  const file = artifact('snapshot.json');
  await download.saveAs(file);
  const saved = JSON.parse(readFileSync(file, 'utf8')) as {
    version: number;
    series: { t: number[] };
    processes: unknown[];
  };
  expect(saved.version).toBe(2);
  expect(saved.series.t.length).toBeGreaterThan(3);
  expect(saved.processes.length).toBeGreaterThan(5);

  await page.getByTestId('snapshot-file').setInputFiles(file);
  const banner = page.getByTestId('replay-banner');
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('Replay · read-only');
  // The snapshot's history is what the chart shows, and it no longer moves.
  const chart = page.getByTestId('cpu-chart');
  const points = Number(await chart.getAttribute('data-points'));
  // The chart shows the default 5-minute window of it (the e2e server may have run longer).
  const last = saved.series.t.at(-1)!;
  expect(points).toBeGreaterThanOrEqual(saved.series.t.filter((t) => t >= last - 300_000).length - 1);
  // Scrub back in time: fewer points are drawn.
  const scrubber = banner.getByRole('slider', { name: 'Time in snapshot' });
  await scrubber.fill('1');
  await expect.poll(async () => Number(await chart.getAttribute('data-points'))).toBeLessThan(points);
  // The process table is the exported one, and its controls are off.
  await page.getByRole('tab', { name: 'Processes' }).click();
  const first = page.locator('[role=row][data-pid]').first();
  await first.click();
  const details = page.getByTestId('process-details');
  await expect(details.getByRole('button', { name: 'End', exact: true })).toBeDisabled();
  await expect(details.getByRole('button', { name: 'Kill', exact: true })).toBeDisabled();
  await page.getByTestId('process-table').focus();
  await page.keyboard.press('Delete');
  await expect(page.getByTestId('control-dialog')).toHaveCount(0);
  await page.getByRole('tab', { name: 'Overview' }).click();
  // Live-only views are gone; the Snapshot tab shows what else was saved.
  await expect(page.getByRole('tab', { name: 'Managed' })).toHaveCount(0);
  await page.getByRole('tab', { name: 'Snapshot' }).click();
  await expect(page.getByText(/samples every 1000 ms/)).toBeVisible();
  await page.screenshot({ path: artifact('snapshot-replay.png'), fullPage: true });

  await banner.getByRole('button', { name: 'Back to live' }).click();
  await expect(banner).toHaveCount(0);
  await expect(page.getByRole('tab', { name: 'Managed' })).toBeVisible();
});

test('a damaged or hostile snapshot gives a clear error and changes nothing', async ({ page }) => {
  await page.goto(serverUrl());
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'connected');
  const bad = artifact('hostile-snapshot.json');
  writeFileSync(bad, '{"version":1,"system":{"__proto__":{"polluted":true}}}');
  await page.getByTestId('snapshot-file').setInputFiles(bad);
  await expect(page.getByRole('alert')).toContainText('ESNAPSHOT_FORBIDDEN_KEY');
  await expect(page.getByTestId('replay-banner')).toHaveCount(0);
  writeFileSync(bad, '{"version":1,"createdAt":');
  await page.getByTestId('snapshot-file').setInputFiles(bad);
  await expect(page.getByRole('alert')).toContainText('ESNAPSHOT_MALFORMED');
  expect(await page.evaluate(() => ({}) as Record<string, unknown>)).not.toHaveProperty('polluted');
});

test('a replayed snapshot shows its queues, pools, managed processes and control actions as they were at the scrubber’s time', async ({
  page,
}) => {
  await page.goto(serverUrl());
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'connected');
  // Two machine samples at least, so the scrubber has a time before the end.
  await expect
    .poll(async () => Number(await page.getByTestId('cpu-chart').getAttribute('data-points')))
    .toBeGreaterThan(1);
  await page.getByRole('button', { name: 'Export snapshot' }).click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('menuitem', { name: 'Everything (JSON)' }).click(),
  ]);
  const file = artifact('snapshot-queues.json');
  await download.saveAs(file);
  const snap = JSON.parse(readFileSync(file, 'utf8')) as {
    createdAt: number;
    series: { t: number[] };
    queues: unknown[];
    pools: unknown[];
    managed: unknown[];
    audit: unknown[];
  };
  expect(snap.series.t.length).toBeGreaterThan(1);
  // Watched queues, as the engine writes them: ten ticks of history a second apart, the fifth
  // at the snapshot's first machine sample (where the scrubber's start stands). `late` starts
  // the queue's history 5 s later: at the scrubber's start it was not watched yet.
  const first = snap.series.t[0]!;
  const queue = (name: string, waiting: (i: number) => number, done: number, id = 'c1', late = false) => {
    const t = Array.from({ length: 10 }, (_, i) => first + (i - 4) * 1000 + (late ? 5000 : 0));
    const column = (f: (i: number) => number | null) => t.map((_, i) => f(i));
    return {
      connection: { id, name: '127.0.0.1:6379', url: 'redis://127.0.0.1:6379', prefix: 'bull' },
      name,
      stats: {
        counts: {
          waiting: waiting(9),
          prioritized: 0,
          delayed: 0,
          active: 2,
          'waiting-children': 0,
          completed: done,
          failed: 1,
          paused: 0,
        },
        paused: false,
        completedPerSec: 12.5,
        failedPerSec: 0,
        wait: { p50: 40, p95: 90, p99: 120, n: 64 },
        run: { p50: 10, p95: 25, p99: 30, n: 64 },
      },
      history: {
        t,
        waiting: column(waiting),
        prioritized: column(() => 0),
        delayed: column(() => 0),
        active: column((i) => (i === 4 ? null : 2)),
        waitingChildren: column(() => 0),
        completed: column((i) => i * 10),
        failed: column(() => 1),
        paused: column(() => 0),
        isPaused: column(() => 0),
        completedPerSec: column(() => 12.5),
        failedPerSec: column(() => 0),
        waitP50: column(() => 40),
        waitP95: column(() => 90),
        waitP99: column(() => 120),
        runP50: column(() => 10),
        runP95: column(() => 25),
        runP99: column(() => 30),
        workers: column(() => 2),
      },
      workers: [],
    };
  };
  // The third is another server's queue of the same name, on a connection of the same name.
  snap.queues = [
    queue('wash', (i) => 100 - i * 10, 90),
    queue('dry', (i) => i * 5, 45),
    queue('wash', () => 1, 3, 'c2', true),
  ];
  // A pool with history on the same times as the first queue, a managed process restarted 2 s
  // after the scrubber's start (its run before exited with code 1 half a second before that
  // start), and a control action on each side of the start.
  const at = (i: number) => first + (i - 4) * 1000;
  snap.pools = [
    {
      id: 'p1',
      name: 'crunch',
      kind: 'threads',
      size: 2,
      stats: {
        submitted: 90,
        queued: 0,
        active: 1,
        completed: 85,
        failed: 4,
        cancelled: 0,
        timedOut: 0,
        throughput: 7.5,
        utilization: 0.5,
        wait: { p50: 1, p95: 2, p99: 3 },
        run: { p50: 10, p95: 20, p99: 30 },
      },
      history: {
        t: Array.from({ length: 10 }, (_, i) => at(i)),
        queued: Array.from({ length: 10 }, (_, i) => 90 - i * 10),
        active: Array.from({ length: 10 }, () => 2),
        completed: Array.from({ length: 10 }, (_, i) => i * 9),
        failed: Array.from({ length: 10 }, (_, i) => (i > 2 ? 1 : 0)),
      },
    },
  ];
  snap.managed = [
    {
      id: 'm1',
      name: 'web',
      command: 'node',
      args: ['server.js'],
      state: 'running',
      pid: 4242,
      startTime: null,
      exitCode: 1,
      signal: null,
      restarts: 1,
      startedAt: first + 2000,
      exitedAt: first - 500,
      output: {
        lines: [
          { stream: 'stderr', text: 'crashed', t: first - 600 },
          { stream: 'stdout', text: 'listening again', t: first + 2100 },
        ],
        dropped: 0,
      },
    },
  ];
  snap.audit = [first - 1000, first + 3000].map((t, seq) => ({
    seq,
    t,
    client: 'window',
    action: 'signal SIGTERM',
    target: { pid: 100 + seq },
    outcome: 'ok',
    detail: '',
  }));
  writeFileSync(file, JSON.stringify(snap));
  await page.getByTestId('snapshot-file').setInputFiles(file);
  await expect(page.getByTestId('replay-banner')).toBeVisible();
  await page.getByRole('tab', { name: 'Snapshot' }).click();
  const pools = page.getByTestId('snapshot-pools');
  const crunch = pools.locator('tr[data-pool="crunch"] td');
  const web = page.getByTestId('snapshot-managed').locator('tr[data-managed="web"] td');
  const audit = page.getByTestId('snapshot-audit');
  await expect(crunch).toHaveText([
    'crunch',
    'threads',
    '2',
    '90',
    '0',
    '1',
    '85',
    '4',
    '0',
    '10 / 20 / 30',
    '7.5',
  ]);
  await expect(web.nth(2)).toHaveText('running');
  await expect(web.nth(3)).toHaveText('4242');
  await expect(web.nth(7)).toHaveText('listening again');
  await expect(audit.getByRole('heading')).toHaveText('Control actions (2)');
  const section = page.getByTestId('snapshot-queues');
  await expect(section.getByRole('heading')).toHaveText('Queues (3)');
  const wash = section.locator('tr[data-queue="wash"]').first();
  await expect(wash).toContainText('127.0.0.1:6379');
  await expect(wash.locator('td')).toHaveText([
    '127.0.0.1:6379',
    'wash',
    '10',
    '2',
    '0',
    '90',
    '1',
    '13/s',
    '0/s',
    '90 ms',
    '25 ms',
    '0',
  ]);
  // The chart's text alternative reads each queue's last backlog (waiting + active), largest first.
  await expect(section.getByRole('img')).toHaveAttribute(
    'aria-label',
    /latest: 127.0.0.1:6379\/dry 47, 127.0.0.1:6379\/wash 12, 127.0.0.1:6379\/wash 3$/,
  );
  await page.screenshot({ path: artifact('snapshot-queues.png'), fullPage: true });

  // Scrubbed to the first sample, the section shows the queues as they were then: the fifth
  // point of each history (its active count a gap), and the late queue not watched yet.
  await page.getByRole('slider', { name: 'Time in snapshot' }).fill('0');
  await expect(section.getByRole('heading')).toHaveText(/^Queues \(3\) at /);
  // The pool from its history's fifth point (what history does not hold: —), the managed
  // process between its crashed run and its restart, and the one action taken by then.
  await expect(pools.getByRole('heading')).toHaveText(/^Pools \(1\) at /);
  await expect(crunch).toHaveText(['crunch', 'threads', '—', '—', '50', '2', '36', '1', '—', '—', '—']);
  await expect(web.nth(2)).toHaveText('exited');
  await expect(web.nth(3)).toHaveText('—');
  await expect(web.nth(4)).toHaveText('1');
  await expect(web.nth(5)).toHaveText('—'); // the restart count then is not in the file
  await expect(web.nth(7)).toHaveText('crashed');
  await expect(audit.getByRole('heading')).toHaveText(/^Control actions \(1 of 2\) by /);
  await expect(audit.locator('tbody tr')).toHaveCount(1);
  await page.screenshot({ path: artifact('snapshot-scrubbed.png'), fullPage: true });
  await expect(wash.locator('td')).toHaveText([
    '127.0.0.1:6379',
    'wash',
    '60',
    '—',
    '0',
    '40',
    '1',
    '13/s',
    '0/s',
    '90 ms',
    '25 ms',
    '2',
  ]);
  await expect(section.locator('tr[data-queue="dry"] td').nth(2)).toHaveText('20');
  await expect(section.locator('tr[data-queue="wash"]').nth(1)).toContainText('not watched yet');
  await expect(section.getByRole('img')).toHaveAttribute(
    'aria-label',
    // In the chart's order (the largest at the end first); the late queue has no point yet.
    /latest: 127.0.0.1:6379\/dry 20, 127.0.0.1:6379\/wash 60, 127.0.0.1:6379\/wash no data$/,
  );
  await section.screenshot({ path: artifact('snapshot-queues-scrubbed.png') });
  // Back at the end: the figures at the end again.
  await page.getByRole('slider', { name: 'Time in snapshot' }).fill(String(snap.series.t.length - 1));
  await expect(section.getByRole('heading')).toHaveText('Queues (3)');
  await expect(wash.locator('td').nth(2)).toHaveText('10');
  await expect(crunch.nth(3)).toHaveText('90');
  await expect(web.nth(2)).toHaveText('running');
  await expect(audit.getByRole('heading')).toHaveText('Control actions (2)');
});
