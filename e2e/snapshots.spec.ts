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
  expect(points).toBeGreaterThanOrEqual(saved.series.t.length - 1);
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
