import { expect, test } from '@playwright/test';
import { artifact, originOnly, serverUrl } from './fixtures';

test('the dashboard shows host info and a per-core CPU chart that gains points', async ({ page }) => {
  await page.goto(serverUrl());
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'connected');
  await expect(page.getByTestId('hostname')).not.toBeEmpty();
  const chart = page.getByTestId('cpu-chart');
  await expect(chart).toHaveAttribute('data-cores', /[1-9]\d*/);
  const pointsNow = async (): Promise<number> => Number(await chart.getAttribute('data-points'));
  await expect.poll(pointsNow).toBeGreaterThan(0);
  const first = await pointsNow();
  await expect.poll(pointsNow).toBeGreaterThan(first + 1);
  // One drawn chart per core (small multiples up to 16 cores; a heat strip row each beyond).
  const cores = Number(await chart.getAttribute('data-cores'));
  if (cores <= 16) await expect(chart.getByTestId('core-chart')).toHaveCount(cores);
  await expect(chart.locator('path.tc-area').first()).toBeVisible();
  await page.screenshot({ path: artifact('dashboard.png'), fullPage: true });
});

test('a tab without a session sees the refusal, not the data', async ({ page }) => {
  await page.goto(originOnly());
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'token-refused');
  const ping = await page.request.get(originOnly() + 'api/ping');
  expect(ping.status()).toBe(401);
});

test('the code leaves the address bar, the tab keeps its session, and the code opens nothing twice', async ({
  page,
  context,
}) => {
  const url = serverUrl();
  await page.goto(url);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'connected');
  expect(page.url()).not.toContain('code=');
  expect(await context.cookies()).toEqual([]); // nothing another server on 127.0.0.1 could receive
  await page.reload();
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'connected');
  const second = await context.newPage();
  await second.goto(url);
  await expect(second.getByTestId('connection')).toHaveAttribute('data-state', 'token-refused');
});
