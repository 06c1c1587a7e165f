/**
 * The Queues view against a real Redis (started here, on a free loopback port) and real
 * `spindle worker` processes launched as managed processes from the Managed view.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startRedis, type TestRedis } from '../src/test-utils/redis-server';
import { artifact, serverUrl } from './fixtures';

const SPINDLE = join(process.cwd(), 'bin', 'spindle.mjs');
/** A name no earlier test (or repeat) on the same server has used. */
const unique = (base: string): string => `${base}-${Math.random().toString(36).slice(2, 8)}`;

let redis: TestRedis;
test.beforeAll(async () => {
  redis = await startRedis();
});
test.afterAll(async () => {
  await redis?.stop();
});

/** Launch `spindle worker …` from the Managed view; waits until it runs. */
async function launchWorker(
  page: Page,
  name: string,
  args: string,
  wrap = (cmd: string) => cmd,
): Promise<void> {
  await page.getByRole('tab', { name: 'Managed' }).click();
  const form = page.getByRole('form', { name: 'Launch a process' });
  await form.getByLabel('Name', { exact: true }).fill(name);
  await page
    .getByTestId('sup-command')
    .fill(wrap(`node ${SPINDLE} worker --redis ${redis.url} --name ${name} ${args}`));
  await page.getByTestId('sup-launch').click();
  await expect(page.locator(`[data-testid="sup-item"][data-name="${name}"]`)).toHaveAttribute(
    'data-state',
    'running',
  );
}

/** Stop managed workers by name (SIGTERM: they finish active jobs and exit 0). */
async function stopWorkers(page: Page, names: string[]): Promise<void> {
  await page.getByRole('tab', { name: 'Managed' }).click();
  for (const name of names) {
    const item = page.locator(`[data-testid="sup-item"][data-name="${name}"]`);
    await item.click();
    await page.getByTestId('sup-stop').click();
    await expect(item).toHaveAttribute('data-state', /stopped|exited/);
  }
}

/** Open the Queues view and connect to the test Redis (not remembered); returns its connection. */
async function connect(page: Page) {
  await page.goto(serverUrl() + '#queues');
  await expect(page.getByTestId('queues-view')).toHaveAttribute('data-ready', 'true');
  const form = page.getByRole('form', { name: 'Connect to Redis' });
  const conn = page
    .locator(`[data-testid="queue-connection"]`)
    .filter({ hasText: `127.0.0.1:${redis.port}` });
  if ((await conn.count()) === 0) {
    await form.getByLabel('URL').fill(redis.url);
    await form.getByLabel('Remember').uncheck();
    await form.getByRole('button', { name: 'Connect' }).click();
  }
  await expect(conn).toHaveAttribute('data-state', 'up');
  return conn;
}

/** Add jobs from the Add jobs form to `queue` on the test Redis. */
async function addJobs(
  page: Page,
  queue: string,
  o: { workload: string; count: number; ms?: number; payload?: string },
) {
  const add = page.getByRole('form', { name: 'Add jobs' });
  const connection = add.getByLabel('Connection');
  if (await connection.count()) await connection.selectOption({ label: `127.0.0.1:${redis.port}` });
  await add.getByLabel('Queue').fill(queue);
  await add.getByLabel('Workload').selectOption(o.workload);
  if (o.ms !== undefined) await add.getByLabel('ms per job').fill(String(o.ms));
  await add.getByLabel('Jobs (K)').fill(String(o.count));
  await add.getByLabel(/JSON payload/).fill(o.payload ?? '');
  await add.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(add.getByRole('status')).toHaveText(`${o.count} added`);
}

test('without a connection the view says how to connect and offers a local Redis', async ({ page }) => {
  await page.goto(serverUrl() + '#queues');
  await expect(page.getByTestId('queues-view')).toHaveAttribute('data-ready', 'true');
  const empty = page.getByTestId('queues-empty');
  await expect(empty).toContainText('--redis URL');
  await expect(empty).toContainText('rediss://');
  // redis-server is installed here (.ci/run installs it), so the local one is offered.
  await expect(page.getByRole('button', { name: 'Start a local Redis' })).toBeVisible();
  await page.screenshot({ path: artifact('queues-empty.png'), fullPage: true });
  // A refused connection comes back with its code, and nothing is kept.
  const form = page.getByRole('form', { name: 'Connect to Redis' });
  await form.getByLabel('URL').fill(`redis://127.0.0.1:${await closedPort()}`);
  await form.getByLabel('Remember').uncheck();
  await form.getByRole('button', { name: 'Connect' }).click();
  await expect(form.getByTestId('queue-error')).toHaveAttribute('data-code', 'EREDIS_UNREACHABLE');
  await expect(page.getByTestId('queue-connection')).toHaveCount(0);
});

test('200 jobs drain across two headless workers; pause holds them, resume lets them go; a failed job is retried', async ({
  page,
}) => {
  test.setTimeout(150_000);
  const queue = unique('drain');
  await connect(page);
  await addJobs(page, queue, { workload: 'sleep', ms: 100, count: 200 });
  const chip = page.locator(`[data-testid="queue-chip"][data-queue="${queue}"]`);
  await chip.click();
  const detail = page.locator(`[data-testid="queue-detail"][data-queue="${queue}"]`);
  await expect(detail).toHaveAttribute('data-backlog', '200');

  // Paused before any worker: the workers join, and nothing is taken.
  await detail.getByRole('button', { name: 'Pause' }).click();
  await expect(detail.getByTestId('paused-badge')).toBeVisible();
  await expect(detail).toHaveAttribute('data-paused', 'true');
  const names = [unique('w1'), unique('w2')];
  for (const n of names) await launchWorker(page, n, `--queue ${queue} --concurrency 2`);
  await page.getByRole('tab', { name: 'Queues' }).click();
  await chip.click();
  const workers = detail.getByTestId('queue-worker');
  await expect(workers.and(page.locator('[data-state="reporting"]'))).toHaveCount(2);
  await expect(detail.getByTestId('qcount-completed')).toHaveAttribute('data-value', '0');
  await expect(detail).toHaveAttribute('data-backlog', '200');

  await detail.getByRole('button', { name: 'Resume' }).click();
  await expect(detail).toHaveAttribute('data-paused', 'false');
  const chart = detail.getByTestId('queue-counts-chart');
  await expect
    .poll(async () => Number(await detail.getByTestId('qcount-active').getAttribute('data-value')))
    .toBeGreaterThan(0);
  await page.screenshot({ path: artifact('queues-draining.png'), fullPage: true });
  await expect(detail.getByTestId('qcount-completed')).toHaveAttribute('data-value', '200', {
    timeout: 60_000,
  });
  await expect(detail).toHaveAttribute('data-backlog', '0');
  await expect(chart).toHaveAttribute('data-last-backlog', '0');
  expect(Number(await chart.getAttribute('data-max-backlog'))).toBeGreaterThan(100);
  // Across both workers: each took some of the 200, and together all of them.
  const processed = async (): Promise<number[]> =>
    Promise.all((await workers.all()).map(async (r) => Number(await r.getAttribute('data-processed'))));
  await expect.poll(async () => (await processed()).reduce((a, b) => a + b, 0)).toBe(200);
  for (const p of await processed()) expect(p).toBeGreaterThan(0);
  await page.screenshot({ path: artifact('queues-drained.png'), fullPage: true });

  // A failing job: shown with its reason and stack, then retried (it runs, and fails, again).
  await addJobs(page, queue, { workload: 'fail', count: 1 });
  await expect(detail.getByTestId('qcount-failed')).toHaveAttribute('data-value', '1');
  const jobs = detail.getByTestId('queue-jobs');
  await jobs.getByRole('tab', { name: /^failed/ }).click();
  // The state tabs move with the arrow keys, as the view tabs do.
  await page.keyboard.press('ArrowRight');
  await expect(jobs.getByRole('tab', { name: /^paused/ })).toHaveAttribute('aria-selected', 'true');
  await expect(jobs.getByRole('tab', { name: /^paused/ })).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(jobs.getByRole('tab', { name: /^failed/ })).toHaveAttribute('aria-selected', 'true');
  await jobs.getByTestId('job-row').first().getByRole('button').click();
  const job = detail.getByTestId('job-detail');
  await expect(job.getByTestId('job-failure')).toContainText('fail workload');
  const failedRuns = async (): Promise<number> =>
    (
      await Promise.all((await workers.all()).map(async (r) => Number(await r.getAttribute('data-failed'))))
    ).reduce((a, b) => a + b, 0);
  await expect.poll(failedRuns).toBe(1);
  await job.getByRole('button', { name: 'Retry' }).click();
  await expect.poll(failedRuns).toBe(2);
  await expect(detail.getByTestId('qcount-failed')).toHaveAttribute('data-value', '1');
  await page.screenshot({ path: artifact('queues-failed-job.png'), fullPage: true });

  // Obliterate asks for the queue's name typed back.
  await detail.getByRole('button', { name: 'Obliterate…' }).click();
  const dialog = page.getByTestId('queue-confirm');
  await expect(dialog.getByRole('button', { name: 'Obliterate' })).toBeDisabled();
  await dialog.getByLabel('Confirmation text').fill(queue);
  await dialog.getByRole('button', { name: 'Obliterate' }).click();
  await expect(chip).toHaveCount(0);

  await stopWorkers(page, names);
});

/** A loopback port with nothing listening (bound, then closed). */
async function closedPort(): Promise<number> {
  const { freePort } = await import('../src/test-utils/redis-server');
  return freePort();
}

/** True when this process may make a UTS namespace (root): a second host name for a worker. */
function canUnshare(): boolean {
  try {
    execFileSync('unshare', ['--uts', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test('wash and dry side by side, the backlog builds at dry, dry workers on two hosts (README screenshot)', async ({
  page,
}) => {
  test.skip(!canUnshare(), 'needs unshare --uts (root) to give a worker a second host name');
  test.setTimeout(120_000);
  await connect(page);
  const names = { wash: unique('washer'), dryA: unique('dryer'), dryB: unique('dryer') };
  await launchWorker(page, names.wash, '--stage wash --concurrency 2');
  await launchWorker(page, names.dryA, '--stage dry --concurrency 1');
  // The second dryer runs under another host name (its own UTS namespace), as on another machine.
  await launchWorker(
    page,
    names.dryB,
    '--stage dry --concurrency 1',
    (cmd) => `unshare --uts sh -c "hostname dryer-2 && exec ${cmd}"`,
  );
  await page.getByRole('tab', { name: 'Queues' }).click();
  // 120 washes of 40 ms (2 at a time) feed 120 dries of 250 ms (2 dryers): dry is the slow stage.
  await addJobs(page, 'wash', { workload: 'sleep', ms: 40, count: 120, payload: '{"dryMs": 250}' });
  const stages = page.getByTestId('queue-stages');
  await expect(stages).toHaveAttribute('data-slower', 'dry', { timeout: 30_000 });
  await page.locator(`[data-testid="queue-chip"][data-queue="dry"]`).first().click();
  const detail = page.locator(`[data-testid="queue-detail"][data-queue="dry"]`);
  await expect(detail.getByTestId('queue-host')).toHaveCount(2);
  await expect(detail.locator('[data-testid="queue-host"][data-host="dryer-2"]')).toBeVisible();
  await expect(detail.getByTestId('queue-worker').and(page.locator('[data-state="reporting"]'))).toHaveCount(
    2,
  );
  // A few ticks of the backlog on the charts, while it is still there.
  const chart = detail.getByTestId('queue-counts-chart');
  await expect.poll(async () => Number(await chart.getAttribute('data-points'))).toBeGreaterThan(5);
  await page.setViewportSize({ width: 1400, height: 1000 });
  // docs/screenshot-queues.png is a copy of this one.
  await page.screenshot({ path: artifact('queues-readme.png') });
  await page.screenshot({ path: artifact('queues-stages.png'), fullPage: true });
  await expect(detail.getByTestId('qcount-completed')).toHaveAttribute('data-value', '120', {
    timeout: 60_000,
  });
  await expect(stages).toHaveAttribute('data-slower', '');
  await stopWorkers(page, Object.values(names));
});

test('Redis stopped while watched: down with its code, a gap in the charts, up again by itself', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const conn = await connect(page);
  const queue = unique('gap');
  await addJobs(page, queue, { workload: 'noop', count: 5 });
  await page.locator(`[data-testid="queue-chip"][data-queue="${queue}"]`).click();
  const detail = page.locator(`[data-testid="queue-detail"][data-queue="${queue}"]`);
  const chart = detail.getByTestId('queue-counts-chart');
  await expect.poll(async () => Number(await chart.getAttribute('data-points'))).toBeGreaterThan(2);
  await expect(chart).toHaveAttribute('data-gaps', '0');

  await redis.stop({ keepDir: true });
  await expect(conn).toHaveAttribute('data-state', /down|reconnecting/);
  await expect(conn.getByTestId('connection-error')).toHaveAttribute('data-code', /^EREDIS/);
  await expect(detail).toHaveAttribute('data-ok', 'false');
  // Ticks while down are breaks in the lines, not zeros.
  await expect.poll(async () => Number(await chart.getAttribute('data-gaps'))).toBeGreaterThan(0);
  await page.screenshot({ path: artifact('queues-down.png'), fullPage: true });

  await redis.restart();
  await expect(conn).toHaveAttribute('data-state', 'up', { timeout: 30_000 });
  await expect(conn.getByTestId('connection-error')).toHaveCount(0);
  await conn.getByRole('button', { name: 'Disconnect' }).click();
  await expect(conn).toHaveCount(0);
});

test('a read-only server shows its queues with every control disabled', async ({ page }) => {
  // A second server of its own: read-only, watching the test Redis from the command line.
  const child = spawn(
    process.execPath,
    [SPINDLE, 'web', '--port', '0', '--read-only', '--redis', redis.url],
    {
      env: {
        ...process.env,
        SPINDLE_TOKEN: randomBytes(24).toString('base64url'),
        SPINDLE_DATA_DIR: mkdtempSync(join(tmpdir(), 'spindle-e2e-ro-')),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d;
        const m = /Spindle web UI: (\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`read-only server exited with ${code}: ${out}`)));
    });
    const queue = unique('ro');
    // The queue exists before the page opens (added through the shared server's UI).
    const setup = await page.context().newPage();
    await connect(setup);
    await addJobs(setup, queue, { workload: 'noop', count: 3 });
    await setup.close();

    await page.goto(url + '#queues');
    const conn = page.locator('[data-testid="queue-connection"]');
    await expect(conn).toHaveAttribute('data-state', 'up');
    await page.locator(`[data-testid="queue-chip"][data-queue="${queue}"]`).click();
    const detail = page.locator(`[data-testid="queue-detail"][data-queue="${queue}"]`);
    await expect(detail.getByTestId('qcount-waiting')).toHaveAttribute('data-value', '3');
    for (const name of ['Pause', 'Drain', 'Obliterate…'])
      await expect(detail.getByRole('button', { name, exact: true })).toBeDisabled();
    await expect(
      page.getByRole('form', { name: 'Add jobs' }).getByRole('button', { name: 'Add' }),
    ).toBeDisabled();
    await expect(
      page.getByRole('form', { name: 'Connect to Redis' }).getByRole('button', { name: 'Connect' }),
    ).toBeDisabled();
    await expect(conn.getByRole('button', { name: 'Disconnect' })).toBeDisabled();
    await page.screenshot({ path: artifact('queues-read-only.png'), fullPage: true });
  } finally {
    child.kill('SIGTERM');
  }
});

test('Add local worker in the Managed view runs spindle worker for a queue, and it drains', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const queue = unique('local');
  await connect(page);
  await addJobs(page, queue, { workload: 'noop', count: 30 });
  await page.getByRole('tab', { name: 'Managed' }).click();
  const form = page.getByRole('form', { name: 'Add local worker' });
  await form.getByLabel('Connection').selectOption({ label: `127.0.0.1:${redis.port}` });
  await form.getByLabel('Queue').fill(queue);
  await form.getByLabel('Concurrency').fill('2');
  await page.screenshot({ path: artifact('queues-add-local-worker.png') });
  await form.getByRole('button', { name: 'Add local worker' }).click();
  const name = `worker ${queue} ×2`;
  const item = page.locator(`[data-testid="sup-item"][data-name="${name}"]`);
  await expect(item).toHaveAttribute('data-state', 'running');
  // The launched command names a 0600 file, not the connection's URL.
  await expect(page.getByTestId('sup-item').filter({ hasText: queue })).not.toContainText('redis://');
  await page.getByRole('tab', { name: 'Queues' }).click();
  await page.locator(`[data-testid="queue-chip"][data-queue="${queue}"]`).click();
  const detail = page.locator(`[data-testid="queue-detail"][data-queue="${queue}"]`);
  await expect(detail).toHaveAttribute('data-backlog', '0', { timeout: 60_000 });
  await stopWorkers(page, [name]);
});
