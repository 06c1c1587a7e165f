import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { artifact, serverUrl } from './fixtures';

/** A throwaway process with an argument no other process has. */
function startThrowaway(marker: string): ChildProcess & { pid: number } {
  const child = spawn('sleep', [marker], { stdio: 'ignore' });
  if (!child.pid) throw new Error('sleep did not start');
  return child as ChildProcess & { pid: number };
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return existsSync(`/proc/${pid}`);
  } catch {
    return false;
  }
};

async function openProcesses(page: Page): Promise<void> {
  await page.goto(serverUrl());
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'connected');
  await page.getByRole('tab', { name: 'Processes' }).click();
  await expect(page.getByTestId('process-count')).toContainText(/of [1-9][\d,]* processes/);
}

/** Filter to the marker and select its row; returns the row. */
async function findByFilter(page: Page, marker: string, pid: number) {
  await page.keyboard.press('/');
  await expect(page.getByLabel('Filter processes')).toBeFocused();
  await page.keyboard.type(marker);
  const row = page.locator(`[role=row][data-pid="${pid}"]`);
  await expect(row).toBeVisible();
  await expect(page.getByTestId('process-count')).toContainText(/^1 of /);
  await row.click();
  return row;
}

test('find a throwaway process by filter, see its details, end it from the UI; the OS agrees it is gone', async ({
  page,
}) => {
  const marker = String(900_000 + Math.floor(Math.random() * 99_999));
  const child = startThrowaway(marker);
  const exited = new Promise((r) => child.once('exit', r));
  try {
    await openProcesses(page);
    await page.screenshot({ path: artifact('processes-table.png') });
    await findByFilter(page, marker, child.pid);
    const details = page.getByTestId('process-details');
    await expect(details.getByTestId('details-cmd')).toHaveText(`sleep ${marker}`);
    await expect(details).toContainText(/working dir/);
    await page.screenshot({ path: artifact('processes-details.png') });

    // The key to end the selected process, then the confirmation naming it.
    await page.getByTestId('process-table').focus();
    await page.keyboard.press('Delete');
    const dialog = page.getByTestId('control-dialog');
    await expect(dialog).toContainText(`End sleep (PID ${child.pid}`);
    await page.screenshot({ path: artifact('processes-confirm.png') });
    await dialog.getByRole('button', { name: 'End', exact: true }).click();
    await expect(dialog.getByTestId('control-outcome')).toContainText(/gone after \d+ ms/);
    await exited;
    expect(alive(child.pid)).toBe(false);
    await expect(page.getByTestId('audit-log')).toContainText(`end sleep (${child.pid})`);
    await page.screenshot({ path: artifact('processes-outcome.png') });
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
  } finally {
    if (alive(child.pid)) child.kill('SIGKILL');
  }
});

test('ending a process that already exited says so clearly', async ({ page }) => {
  const marker = String(800_000 + Math.floor(Math.random() * 99_999));
  const child = startThrowaway(marker);
  try {
    await openProcesses(page);
    await findByFilter(page, marker, child.pid);
    await expect(page.getByTestId('process-details')).toBeVisible();
    // It exits behind the UI's back, before the table's next tick can notice.
    await page.getByTestId('process-table').focus();
    await page.keyboard.press('k');
    const dialog = page.getByTestId('control-dialog');
    await expect(dialog).toContainText(`End sleep (PID ${child.pid}`);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    await dialog.getByRole('button', { name: 'End', exact: true }).click();
    await expect(dialog.getByTestId('control-outcome')).toContainText(/ESRCH_GONE.*already exited/);
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('audit-log')).toContainText('ESRCH_GONE');
  } finally {
    if (alive(child.pid)) child.kill('SIGKILL');
  }
});

test('the overview shows per-core charts, load, memory and Spindle itself', async ({ page }) => {
  await page.goto(serverUrl());
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'connected');
  const chart = page.getByTestId('cpu-chart');
  await expect.poll(async () => Number(await chart.getAttribute('data-points'))).toBeGreaterThan(3);
  await expect(page.getByTestId('self')).toContainText(/MiB/);
  await expect(page.getByRole('region', { name: 'Load average' })).toContainText(/cores/);
  await page.screenshot({ path: artifact('overview.png'), fullPage: true });
});

test('a process that changes places keeps its row (moved, not rewritten), read in visual order', async ({
  page,
}) => {
  const marker = `${900 + Math.floor(Math.random() * 99)}.${Date.now() % 1e6}`;
  const kids = [startThrowaway(marker), startThrowaway(marker), startThrowaway(marker)];
  try {
    await openProcesses(page);
    await page.getByLabel('Filter processes').fill(marker);
    await expect(page.getByTestId('process-count')).toContainText(/^3 of /);
    const grid = page.getByRole('grid', { name: 'Processes' });
    const pid = grid.getByRole('columnheader', { name: /^PID/ });
    await pid.click();
    if ((await pid.getAttribute('aria-sort')) !== 'ascending') await pid.click();
    const pids = kids.map((k) => k.pid).sort((a, b) => a - b);
    const table = page.getByTestId('process-table');
    /** What assistive tech reads: the pids of the rowgroup's aria-owns, in its order. */
    const order = async (): Promise<number[]> => {
      const ids = (await table.locator('[role=rowgroup]').getAttribute('aria-owns'))?.split(' ') ?? [];
      return Promise.all(
        ids.map(async (id) => Number(await table.locator(`[id="${id}"]`).getAttribute('data-pid'))),
      );
    };
    type Marked = { dataset: Record<string, string | undefined>; mark?: string; ariaRowIndex: string | null };
    const rows = table.locator('[role=row][data-pid]');
    await expect.poll(order).toEqual(pids);
    // Mark each row's element, re-sort the other way: the same elements, in reverse places.
    await rows.evaluateAll((els) =>
      els.forEach((el) => {
        const m = el as unknown as Marked;
        m.mark = m.dataset.pid;
      }),
    );
    await pid.click();
    await expect(pid).toHaveAttribute('aria-sort', 'descending');
    await expect.poll(order).toEqual([...pids].reverse());
    const kept = await rows.evaluateAll((els) =>
      els.map((el) => {
        const m = el as unknown as Marked;
        return [m.mark, m.dataset.pid, m.ariaRowIndex];
      }),
    );
    for (const p of pids) {
      const row = kept.find((k) => k[1] === String(p))!;
      expect(row[0], `row of ${p} is the same element`).toBe(String(p));
      expect(row[2]).toBe(String(2 + [...pids].reverse().indexOf(p)));
    }
  } finally {
    for (const k of kids) k.kill('SIGKILL');
  }
});
