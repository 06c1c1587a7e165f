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
  await expect.poll(pointsNow, { timeout: 10_000 }).toBeGreaterThan(first + 1);
  // One drawn line per core.
  const cores = Number(await chart.getAttribute('data-cores'));
  await expect(chart.locator('path.recharts-line-curve')).toHaveCount(cores);
  await page.screenshot({ path: artifact('dashboard.png'), fullPage: true });
});

test('a browser without the token sees the refusal, not the app', async ({ page }) => {
  const res = await page.goto(originOnly());
  expect(res?.status()).toBe(401);
});
