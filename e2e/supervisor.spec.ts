import { expect, test, type Page, type WebSocketRoute } from '@playwright/test';
import { artifact, serverUrl } from './fixtures';

/** A name no earlier test (or repeat, or retry) on the same server has used. */
const unique = (base: string): string => `${base}-${Math.random().toString(36).slice(2, 8)}`;

/** Open the Managed view and launch `command` under `name`; returns its row in the list. */
async function launch(page: Page, name: string, command: string) {
  await page.goto(serverUrl());
  await page.getByRole('tab', { name: 'Managed' }).click();
  const form = page.getByRole('form', { name: 'Launch a process' });
  await form.getByLabel('Name', { exact: true }).fill(name);
  await page.getByTestId('sup-command').fill(command);
  await page.getByTestId('sup-launch').click();
  return page.locator(`[data-testid="sup-item"][data-name="${name}"]`);
}

test('the Managed view launches a command, shows its lines and exit code, and stops a long-running one', async ({
  page,
}) => {
  await page.goto(serverUrl());
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'connected');
  await page.getByRole('tab', { name: 'Managed' }).click();

  const form = page.getByRole('form', { name: 'Launch a process' });
  const printerName = unique('printer');
  await form.getByLabel('Name', { exact: true }).fill(printerName);
  await page
    .getByTestId('sup-command')
    .fill(`node -e "for (let i = 1; i <= 3; i++) console.log('hello ' + i); process.exit(3)"`);
  // The pasted line is shown as the argv that will be passed.
  await expect(page.getByTestId('sup-argv').locator('code')).toHaveText([
    'node',
    '-e',
    "for (let i = 1; i <= 3; i++) console.log('hello ' + i); process.exit(3)",
  ]);
  await page.getByTestId('sup-launch').click();

  const printer = page.locator(`[data-testid="sup-item"][data-name="${printerName}"]`);
  await expect(printer).toHaveAttribute('data-state', 'exited');
  await expect(printer.getByTestId('sup-state')).toHaveText('exited (code 3)');
  await printer.click();
  const output = page.getByTestId('sup-output');
  for (const n of [1, 2, 3]) await expect(output).toContainText(`hello ${n}`);
  await expect(page.getByTestId('sup-last-exit')).toContainText('code 3');
  await page.screenshot({ path: artifact('managed-exited.png'), fullPage: true });

  const tickerName = unique('ticker');
  await form.getByLabel('Name', { exact: true }).fill(tickerName);
  await page
    .getByTestId('sup-command')
    .fill(`node -e "setInterval(() => console.log('tick ' + Date.now()), 200)"`);
  await page.getByTestId('sup-launch').click();
  const ticker = page.locator(`[data-testid="sup-item"][data-name="${tickerName}"]`);
  await expect(ticker).toHaveAttribute('data-state', 'running');
  await ticker.click();
  await expect(output).toContainText('tick ');
  // Give the sampler a few ticks so the chart has points for the screenshot.
  await expect(page.getByTestId('sup-chart')).toHaveAttribute('data-points', /^([3-9]|\d\d+)$/);
  await page.screenshot({ path: artifact('managed-running.png'), fullPage: true });
  // In the process table the managed process carries Spindle's mark.
  await page.getByRole('tab', { name: 'Processes' }).click();
  await page.getByLabel('Filter processes').fill('console.log');
  const marked = page.locator('[role=row].managed');
  await expect(marked.getByTestId('managed-badge')).toHaveCount(1);
  await expect(marked.getByTestId('managed-badge')).toHaveAttribute('title', new RegExp(tickerName));
  await page.getByRole('tab', { name: 'Managed' }).click();
  await ticker.click();
  await page.getByTestId('sup-stop').click();
  await expect(ticker).toHaveAttribute('data-state', 'stopped');
  await expect(page.getByTestId('sup-detail-state')).toHaveText('stopped');
  await page.screenshot({ path: artifact('managed-stopped.png'), fullPage: true });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: artifact('managed-dark.png'), fullPage: true });
});

test('a missing program is refused with its code and nothing is added', async ({ page }) => {
  await page.goto(serverUrl());
  await page.getByRole('tab', { name: 'Managed' }).click();
  await page.getByTestId('sup-command').fill('no-such-program-xyz --flag');
  await page.getByTestId('sup-launch').click();
  await expect(page.getByTestId('sup-launch-error')).toContainText('ENOENT_EXEC');
});

test('a crash loop under the default limits ends fatal, and the count against the limit is shown', async ({
  page,
}) => {
  await page.goto(serverUrl());
  await page.getByRole('tab', { name: 'Managed' }).click();
  const form = page.getByRole('form', { name: 'Launch a process' });
  await form.getByLabel('Name', { exact: true }).fill('crash-loop');
  await form.getByLabel('Restart').selectOption('always');
  await page.getByTestId('sup-command').fill(`node -e "process.exit(1)"`);
  await page.getByTestId('sup-launch').click();
  const row = page.locator('[data-testid="sup-item"][data-name="crash-loop"]');
  await row.click();
  await expect(page.getByTestId('sup-restarts')).toContainText(/[1-4] of 5 failed starts \(up < 1 s\)/);
  // Backoff 1 + 2 + 4 + 8 s, then the fifth quick exit is the last.
  await expect(row).toHaveAttribute('data-state', 'fatal', { timeout: 40_000 });
  await expect(row).toContainText('(5/5 failed)');
  await expect(page.getByTestId('sup-restarts')).toContainText('4 · policy always · 5 of 5 failed starts');
  await expect(page.getByTestId('sup-error')).toContainText('ESTART_LIMIT: 5 starts in a row');
});

test('Edit changes a running definition in place: it restarts under the new command', async ({ page }) => {
  const name = unique('editme');
  const item = await launch(page, name, `node -e "console.log('version one'); setInterval(() => {}, 1000)"`);
  await expect(item).toHaveAttribute('data-state', 'running');
  await item.click();
  await expect(page.getByTestId('sup-output')).toContainText('version one');

  await page.getByTestId('sup-edit').click();
  const edit = page.getByRole('form', { name: 'Edit a managed process' });
  // The form starts from the stored definition.
  await expect(page.getByTestId('sup-command')).toHaveValue(/version one/);
  await expect(page.getByTestId('sup-edit-note')).toContainText('stops it');
  await page.screenshot({ path: artifact('managed-editing.png'), fullPage: true });
  await page
    .getByTestId('sup-command')
    .fill(`node -e "console.log('version two', process.env.COLOUR); setInterval(() => {}, 1000)"`);
  await edit.getByLabel(/Environment/).fill('COLOUR=green');
  await page.getByTestId('sup-launch').click();

  await expect(page.getByTestId('sup-output')).toContainText('version two green');
  await expect(item).toHaveAttribute('data-state', 'running');
  // Still one entry, and the form is back to launching.
  await expect(page.locator(`[data-testid="sup-item"][data-name="${name}"]`)).toHaveCount(1);
  await expect(page.getByRole('form', { name: 'Launch a process' })).toBeVisible();
  await page.screenshot({ path: artifact('managed-edited.png'), fullPage: true });
  // The pid links to the process table, filtered to it and selected.
  const pid = (await page.getByTestId('sup-pid').first().textContent())!.trim();
  await page.getByTestId('sup-pid').first().click();
  await expect(page.getByRole('tab', { name: 'Processes' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByLabel('Filter processes')).toHaveValue(pid);
  await expect(page.getByTestId('process-details').getByTestId('details-cmd')).toContainText('version two');
  await page.getByRole('tab', { name: 'Managed' }).click();
  await item.click();
  await page.getByTestId('sup-stop').click();
  await expect(item).toHaveAttribute('data-state', 'stopped');
});

test('ANSI colours in a managed process’s output are shown as colours, and search sees plain text', async ({
  page,
}) => {
  const item = await launch(
    page,
    unique('colours'),
    `node -e "console.log('\\x1b[1;31mALERT\\x1b[0m and \\x1b[38;5;208morange\\x1b[0m plain')"`,
  );
  await expect(item).toHaveAttribute('data-state', 'exited');
  await item.click();
  const output = page.getByTestId('sup-output');
  await expect(output).toContainText('ALERT and orange plain');
  const alert = output.locator('span', { hasText: 'ALERT' });
  await expect(alert).toHaveCSS('font-weight', '700');
  await expect(alert).toHaveCSS('color', 'rgb(197, 48, 48)'); // --ansi-1 in the light theme
  await expect(output.locator('span', { hasText: 'orange' })).toHaveCSS('color', 'rgb(255, 135, 0)');
  await page.getByLabel('Search output').fill('ALERT and');
  await expect(page.getByText('1 matching')).toBeVisible();
  await page.getByLabel('Search output').fill('');
  await output.scrollIntoViewIfNeeded();
  await page.screenshot({ path: artifact('managed-colours.png'), fullPage: true });
});

test('a regex search that backtracks without end is refused and the page keeps working', async ({ page }) => {
  const item = await launch(page, 'aaa', `node -e "console.log('a'.repeat(40) + 'b'); console.log('done')"`);
  await expect(item).toHaveAttribute('data-state', 'exited');
  await item.click();
  await page.getByLabel('regex').check();
  await page.getByLabel('Search output').fill('(a+)+$');
  await expect(page.locator('.sup-output .sup-bad')).toContainText('took longer than');
  // The server answered other requests meanwhile and still searches.
  await page.getByLabel('Search output').fill('^DONE$');
  await expect(page.getByText('1 matching')).toBeVisible();
});

test('the M marks follow managed processes launched after the window reconnects', async ({
  page,
  context,
}) => {
  // Every socket of this page goes through the route, so the test can drop it and refuse
  // reconnects for a while (the server, and a second tab, carry on).
  let live: { page: WebSocketRoute; server: WebSocketRoute } | null = null;
  let blocked = false;
  let refused = 0;
  await page.routeWebSocket(/\/ws$/, (ws) => {
    if (blocked) {
      refused++;
      void ws.close();
      return;
    }
    live = { page: ws, server: ws.connectToServer() };
  });
  await page.goto(serverUrl());
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'connected');
  await page.getByRole('tab', { name: 'Processes' }).click();
  blocked = true;
  await live!.server.close();
  await live!.page.close();
  // Refused four times: the retries have backed off to seconds, so any request made while
  // down (a poll's included) has failed with EDISCONNECTED.
  await expect.poll(() => refused, { timeout: 30_000 }).toBeGreaterThanOrEqual(4);
  blocked = false;
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'connected', {
    timeout: 30_000,
  });

  // Launched from another tab: this one stays on the Processes view and only hears of it.
  const name = unique('after-reconnect');
  const token = unique('marker');
  const other = await context.newPage();
  const item = await launch(other, name, `node -e "setInterval(() => {}, 1000) // ${token}"`);
  await expect(item).toHaveAttribute('data-state', 'running');
  await page.getByLabel('Filter processes').fill(token);
  const marked = page.locator('[role=row].managed');
  await expect(marked.getByTestId('managed-badge')).toHaveAttribute('title', new RegExp(name));
  await item.click();
  await other.getByTestId('sup-stop').click();
  await expect(item).toHaveAttribute('data-state', 'stopped');
});
