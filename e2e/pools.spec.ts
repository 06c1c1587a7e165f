import { expect, test } from '@playwright/test';
import { artifact, serverUrl } from './fixtures';

test('a thread pool of 2 takes 200 sleep tasks: the backlog rises, drains to 0, 200 completed', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await page.goto(serverUrl());
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'connected');
  await page.getByRole('tab', { name: 'Pools' }).click();
  await expect(page.getByTestId('pools-view')).toHaveAttribute('data-ready', 'true');

  const create = page.getByRole('form', { name: 'New pool' });
  await create.getByLabel('Kind').selectOption('threads');
  await create.getByLabel('Workers').fill('2');
  await create.getByLabel('Max queue').fill('1000');
  await create.getByRole('button', { name: 'Create pool' }).click();

  const detail = page.getByTestId('pool-detail');
  await expect(detail.locator('.pool-state')).toHaveText('running');
  // Both workers start and go idle.
  await expect(detail.locator('tr.worker[data-state="idle"]')).toHaveCount(2);

  const submit = page.getByRole('form', { name: 'Submit work' });
  await submit.getByLabel('Workload').selectOption('sleep');
  await submit.getByLabel('ms per task').fill('40');
  await submit.getByLabel('Items (K)').fill('200');
  await submit.getByRole('button', { name: 'Submit' }).click();

  const chart = page.getByTestId('backlog-chart');
  // The backlog rises: 200 tasks, 2 workers, 40 ms each → about 4 s of queue.
  await expect.poll(async () => Number(await chart.getAttribute('data-max-queued'))).toBeGreaterThan(50);
  await expect(detail.locator('tr.worker[data-state="busy"]')).toHaveCount(2);
  await page.screenshot({ path: artifact('pools-busy.png'), fullPage: true });

  // …and drains to zero with every task completed.
  await expect(page.getByTestId('count-completed')).toHaveAttribute('data-value', '200', { timeout: 30_000 });
  await expect(chart).toHaveAttribute('data-last-queued', '0');
  await expect(page.getByTestId('count-queued')).toHaveAttribute('data-value', '0');
  await expect(page.getByTestId('count-failed')).toHaveAttribute('data-value', '0');
  await expect(page.getByTestId('count-submitted')).toHaveAttribute('data-value', '200');
  await expect.poll(async () => Number(await chart.getAttribute('data-last-active'))).toBe(0);
  // The drawn areas exist (queued and active).
  await expect(chart.locator('path.recharts-area-area')).toHaveCount(2);
  await page.screenshot({ path: artifact('pools-drained.png'), fullPage: true });
});

test('a pipeline backs up behind its slow stage, and the lab fills its speed-up table', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(serverUrl() + '#pools');
  await expect(page.getByTestId('pools-view')).toHaveAttribute('data-ready', 'true');
  const pipelineCard = page.getByRole('region', { name: 'Pipeline' });
  await pipelineCard.getByLabel('items').fill('60');
  await pipelineCard.getByRole('button', { name: 'Run pipeline' }).click();
  const pipeline = page.getByTestId('pipeline').first();
  await expect(pipeline.locator('.stage.stalled').first()).toBeVisible({ timeout: 15_000 });
  await page.screenshot({ path: artifact('pools-pipeline.png'), fullPage: true });
  await expect(pipeline).toHaveAttribute('data-state', 'done', { timeout: 30_000 });

  const lab = page.getByRole('region', { name: 'Speed-up lab' });
  await expect(lab.getByTestId('lab-chart')).toHaveAttribute(
    'aria-label',
    'Speed-up over serial: no runs yet',
  );
  await expect(lab.getByText(/^Run the lab:/)).toBeVisible();
  await lab.getByLabel('workers 1..').fill('2');
  await lab.getByLabel('batch ×').fill('1');
  await lab.getByRole('button', { name: 'Run lab' }).click();
  // serial + threads 1..2 + processes 1..2
  await expect(page.getByTestId('lab-table').locator('tbody tr')).toHaveCount(5, { timeout: 60_000 });
  await expect(lab.getByRole('button', { name: 'Export CSV' })).toBeEnabled();
  // The chart's text alternative reads both pools' speed-ups at 1 and 2 workers.
  await expect(lab.getByTestId('lab-chart')).toHaveAttribute(
    'aria-label',
    /^Speed-up over serial at 1\.\.2 workers: thread pool \d+\.\d\d×, \d+\.\d\d×; process pool \d+\.\d\d×, \d+\.\d\d×; ideal 1×, 2×$/,
  );
  await expect(lab.getByText(/^Run the lab:/)).toHaveCount(0);
  const download = page.waitForEvent('download');
  await lab.getByRole('button', { name: 'Export CSV' }).click();
  expect((await download).suggestedFilename()).toBe('spindle-speedup.csv');
  await lab.scrollIntoViewIfNeeded();
  await page.screenshot({ path: artifact('pools-lab.png'), fullPage: true });
});

test('faults show up: thrown errors fail tasks, a crashed process worker is replaced', async ({ page }) => {
  await page.goto(serverUrl() + '#pools');
  await expect(page.getByTestId('pools-view')).toHaveAttribute('data-ready', 'true');
  const create = page.getByRole('form', { name: 'New pool' });
  await create.getByLabel('Kind').selectOption('processes');
  await create.getByLabel('Workers').fill('1');
  await create.getByRole('button', { name: 'Create pool' }).click();
  const detail = page.getByTestId('pool-detail');
  await expect(detail.locator('.pool-head h2')).toContainText('processes');
  await expect(detail.locator('tr.worker[data-state="idle"]')).toHaveCount(1);

  const submit = page.getByRole('form', { name: 'Submit work' });
  await submit.getByLabel('Workload').selectOption('throw');
  await submit.getByLabel('Items (K)').fill('3');
  await submit.getByRole('button', { name: 'Submit' }).click();
  await expect(detail.getByTestId('count-failed')).toHaveAttribute('data-value', '3');
  await expect(detail.locator('.recent li.error').first()).toContainText('workload threw on item');

  await submit.getByLabel('Workload').selectOption('crash');
  await submit.getByLabel('Items (K)').fill('1');
  await submit.getByRole('button', { name: 'Submit' }).click();
  await expect(detail.getByTestId('count-failed')).toHaveAttribute('data-value', '4');
  await expect(detail.locator('tr.worker[data-state="dead"]')).toContainText('exit 70');
  await expect(detail.locator('tr.worker[data-state="idle"]')).toHaveCount(1);
  await page.screenshot({ path: artifact('pools-faults.png'), fullPage: true });
});

test('a full queue refuses work where it is submitted: EQUEUE_FULL with the queue state', async ({
  page,
}) => {
  await page.goto(serverUrl() + '#pools');
  await expect(page.getByTestId('pools-view')).toHaveAttribute('data-ready', 'true');
  const create = page.getByRole('form', { name: 'New pool' });
  await create.getByLabel('Kind').selectOption('threads');
  await create.getByLabel('Workers').fill('1');
  await create.getByLabel('Max queue').fill('10');
  await create.getByLabel('When full').selectOption('reject');
  await create.getByRole('button', { name: 'Create pool' }).click();
  const detail = page.getByTestId('pool-detail');
  await expect(detail.locator('.pool-head h2')).toContainText('threads');
  await expect(detail.locator('.pool-head')).toContainText('rejects');
  // Paused, nothing leaves the queue, so the figures are exact.
  await detail.getByRole('button', { name: 'Pause' }).click();
  await expect(detail.locator('.pool-state')).toHaveText('paused');

  const submit = page.getByRole('form', { name: 'Submit work' });
  await submit.getByLabel('Workload').selectOption('noop');
  await submit.getByLabel('Items (K)').fill('1000');
  await submit.getByRole('button', { name: 'Submit' }).click();
  await expect(submit.getByRole('alert')).toHaveText(
    '10 accepted, 990 refused (queue full: 10 queued, 0 active, max 10)',
  );
  await submit.getByLabel('Items (K)').fill('1');
  await submit.getByRole('button', { name: 'Submit' }).click();
  await expect(submit.getByRole('alert')).toHaveText('EQUEUE_FULL: queue full: 10 queued, 0 active, max 10');
  await expect(detail.getByTestId('count-rejected')).toHaveAttribute('data-value', '991');
  await page.screenshot({ path: artifact('pools-queue-full.png'), fullPage: true });
});
