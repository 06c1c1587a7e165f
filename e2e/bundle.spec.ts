import { expect, test } from '@playwright/test';
import { serverUrl } from './fixtures';

/** Initial JavaScript budget (issue 13, point 9): what a first visit to the Overview downloads. */
const FIRST_LOAD_JS_BYTES = 600 * 1024;

test('the first screen loads under 600 KB of JS; Pools and Managed load on first visit, within the CSP', async ({
  page,
}) => {
  const scripts = new Map<string, number>();
  page.on('response', (res) => {
    if (res.request().resourceType() !== 'script') return;
    void res.body().then((b) => scripts.set(new URL(res.url()).pathname, b.length));
  });
  const refused: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) refused.push(m.text());
  });
  await page.goto(serverUrl());
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'connected');
  await expect(page.getByTestId('cpu-chart')).toBeVisible();
  await expect.poll(() => scripts.size).toBeGreaterThan(0);
  const first = [...scripts.keys()];
  const firstBytes = [...scripts.values()].reduce((a, b) => a + b, 0);
  expect(firstBytes, `first load: ${JSON.stringify([...scripts])}`).toBeLessThan(FIRST_LOAD_JS_BYTES);
  // The benchmark's synthetic machine and the Pools/Managed views are not part of it.
  expect(first.filter((p) => /synthetic-client|pools-view|supervisor-view/.test(p))).toEqual([]);

  await page.getByRole('tab', { name: 'Pools' }).click();
  await expect(page.getByRole('button', { name: 'Create pool' })).toBeVisible();
  await expect.poll(() => [...scripts.keys()].some((p) => p.includes('pools-view'))).toBe(true);
  await page.getByRole('tab', { name: 'Managed' }).click();
  await expect(page.getByRole('tabpanel', { name: 'Managed' })).toBeVisible();
  await expect.poll(() => [...scripts.keys()].some((p) => p.includes('supervisor-view'))).toBe(true);
  expect(refused).toEqual([]);
});
