import { expect, test, type Locator, type Page } from '@playwright/test';
import { serverUrl } from './fixtures';

/** Open the Processes view once it has rows, focus its grid and select the first row. */
async function focusProcessGrid(page: Page): Promise<Locator> {
  await page.goto(`${serverUrl()}#processes`);
  const grid = page.getByRole('grid', { name: 'Processes' });
  await expect(grid.locator('[role=row][aria-rowindex="3"]')).toBeVisible();
  // By PID, ascending: rows keep their places (sorted by CPU, the selected process can fall out of
  // the rendered window between ticks on a busy machine, and then nothing is pointed at).
  const pid = grid.getByRole('columnheader', { name: /^PID/ });
  await pid.click();
  if ((await pid.getAttribute('aria-sort')) !== 'ascending') await pid.click();
  await expect(pid).toHaveAttribute('aria-sort', 'ascending');
  await grid.focus();
  await page.keyboard.press('Home');
  return grid;
}

test('tabs move with the arrow keys (one tab stop, roving tabindex)', async ({ page }) => {
  await page.goto(serverUrl());
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'connected');
  const tabs = page.getByRole('tablist', { name: 'Views' }).getByRole('tab');
  await tabs.first().focus();
  await expect(page.getByRole('tab', { name: 'Overview' })).toHaveAttribute('aria-selected', 'true');
  // Only the selected tab is in the Tab order.
  await expect(page.locator('[role=tab][tabindex="0"]')).toHaveCount(1);
  await page.keyboard.press('ArrowRight');
  const processes = page.getByRole('tab', { name: 'Processes' });
  await expect(processes).toBeFocused();
  await expect(processes).toHaveAttribute('aria-selected', 'true');
  await expect(processes).toHaveAttribute('tabindex', '0');
  await expect(page.getByRole('tabpanel', { name: 'Processes' })).toBeVisible();
  await page.keyboard.press('End');
  await expect(page.getByRole('tab', { name: 'Hosts' })).toBeFocused();
  await page.keyboard.press('ArrowRight'); // wraps to the first
  await expect(page.getByRole('tab', { name: 'Overview' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByRole('tab', { name: 'Hosts' })).toHaveAttribute('aria-selected', 'true');
  // Counted from the tab that has focus, not the open one (Hosts is open, Managed focused).
  await page.getByRole('tab', { name: 'Managed' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Pools' })).toBeFocused();
  await expect(page.getByRole('tab', { name: 'Pools' })).toHaveAttribute('aria-selected', 'true');
});

test('the process grid points aria-activedescendant at the selected row as the arrows move', async ({
  page,
}) => {
  const grid = await focusProcessGrid(page);
  const active = async (): Promise<string | null> => grid.getAttribute('aria-activedescendant');
  // The table re-sorts every tick and the selection follows its process, so the row it points
  // at is read in the same poll as the pointer (never a stale id from an earlier read).
  const pointed = async (): Promise<{ id: string; selected: string | null; index: number } | null> => {
    const id = await active();
    if (!id) return null;
    const row = page.locator(`[id="${id}"]`);
    if ((await row.count()) === 0) return null;
    return {
      id,
      selected: await row.getAttribute('aria-selected'),
      index: Number(await row.getAttribute('aria-rowindex')),
    };
  };
  // Kept from the poll that saw it selected: a second read could land on a re-render.
  const seen: { row: Awaited<ReturnType<typeof pointed>> } = { row: null };
  await expect
    .poll(async () => {
      seen.row = await pointed();
      return seen.row?.selected;
    })
    .toBe('true');
  const first = seen.row!;
  expect(first.index).toBeGreaterThanOrEqual(2); // row 1 is the header
  await page.keyboard.press('ArrowDown');
  await expect.poll(async () => (await pointed())?.id).not.toBe(first.id);
  await expect.poll(async () => (await pointed())?.selected).toBe('true');
  await expect(page.locator(`[id="${first.id}"][aria-selected="true"]`)).toHaveCount(0);
  // The row count includes the header row, as aria-rowindex does.
  const rows = Number(await grid.getAttribute('aria-rowcount'));
  expect(rows).toBeGreaterThan(2);
});

test('the control dialog is a modal <dialog>: Tab and Shift+Tab stay inside, Escape closes', async ({
  page,
}) => {
  await focusProcessGrid(page);
  await page.keyboard.press('s'); // the signal menu: many buttons to Tab through
  const dialog = page.getByTestId('control-dialog');
  await expect(dialog).toBeVisible();
  await expect(page.locator('dialog:modal[data-testid="control-dialog"]')).toHaveCount(1);
  const inside = async (): Promise<boolean> => (await dialog.locator(':focus').count()) === 1;
  await expect.poll(inside).toBe(true);
  const stops = await dialog.locator('button').count();
  for (let i = 0; i < stops + 2; i++) {
    await page.keyboard.press('Tab');
    expect(await inside(), `after Tab ${i + 1}`).toBe(true);
  }
  for (let i = 0; i < stops + 2; i++) {
    await page.keyboard.press('Shift+Tab');
    expect(await inside(), `after Shift+Tab ${i + 1}`).toBe(true);
  }
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
});

test('charts have a text alternative with their latest values, and focus is visible', async ({ page }) => {
  await page.goto(serverUrl());
  const total = page.getByRole('img', { name: /^CPU total, last \d+ s; latest: user [\d.]+ ?%/ });
  await expect(total).toBeVisible();
  await expect(page.getByRole('img', { name: /^Memory in GiB, last/ })).toBeVisible();
  // Keyboard focus draws an outline on a control of every view.
  const ready = {
    Overview: page.getByTestId('cpu-chart'),
    Processes: page.getByRole('grid', { name: 'Processes' }),
    Managed: page.getByRole('form', { name: 'Launch a process' }),
    Pools: page.getByRole('button', { name: 'Create pool' }),
    Queues: page.getByRole('form', { name: 'Connect to Redis' }),
    Hosts: page.getByRole('form', { name: 'Add a host' }),
  };
  for (const [view, shown] of Object.entries(ready)) {
    await page.getByRole('tab', { name: view }).click();
    await expect(shown).toBeVisible();
    await page.getByRole('tab', { name: view }).focus();
    // Tab past the header's controls (snapshot menu) into the view.
    const focused = page.locator('[role=tabpanel] :focus');
    for (let i = 0; i < 6 && (await focused.count()) === 0; i++) await page.keyboard.press('Tab');
    await expect(focused, view).toHaveCount(1);
    await expect(focused, view).toHaveCSS('outline-style', 'solid');
  }
});
