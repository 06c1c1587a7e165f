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
  await expect(chart.locator('canvas.tc-canvas').first()).toBeVisible();
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

/** What the pixel checks read in the page (the e2e project has no DOM types). */
interface PixelPage {
  document: {
    querySelectorAll(selector: string): ArrayLike<{
      width: number;
      height: number;
      getContext(kind: '2d'): {
        getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> };
      };
    }>;
  };
  tickByTick: { data: ArrayLike<number> }[];
}

test('a chart drawn tick by tick shows what it shows when drawn whole', async ({ page }) => {
  await page.goto(serverUrl());
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'connected');
  const chart = page.getByTestId('cpu-chart');
  // Ten ticks drawn one by one: each moved the bitmap and drew only the newest points.
  await expect
    .poll(async () => Number(await chart.getAttribute('data-points')), { timeout: 30_000 })
    .toBeGreaterThan(10);
  await page.getByTestId('pause').click();
  await expect(page.getByRole('status').filter({ hasText: 'paused at' })).toBeVisible();
  const canvases = page.locator('canvas.tc-canvas');
  expect(await canvases.count()).toBeGreaterThan(3);
  // Keep every chart's pixels as drawn tick by tick (the paused frame is the newest tick's).
  await page.evaluate(() => {
    const w = globalThis as unknown as PixelPage;
    w.tickByTick = Array.from(w.document.querySelectorAll('canvas.tc-canvas'), (c) =>
      c.getContext('2d').getImageData(0, 0, c.width, c.height),
    );
  });
  /**
   * The largest difference from those pixels over all charts, in premultiplied 8-bit units.
   * Where two pieces of one path meet, each blends its anti-aliased edge over the other's: a
   * pixel covered a and b by them reads a + b − ab, where the whole path covers it at least
   * max(a, b) once, so they differ by at most min(a, b)·(1 − max(a, b)) ≤ 1/4, i.e. 64 units
   * (25 seen on a quiet machine, 43 under a double test run, in the middle of the Tasks chart,
   * where the lines jump). A missing, extra or misplaced stroke differs by 100–255. The
   * leftmost 4 % of columns (12 s of the 5-minute window) are left out: a point that left the
   * window still reaches in there tick by tick, as it did before it left, as far as the gap to
   * the next point, which a loaded machine stretches past a second.
   */
  const worstAt = () =>
    page.evaluate(() => {
      const w = globalThis as unknown as PixelPage;
      let worst = { diff: 0, chart: -1, x: -1, y: -1 };
      Array.from(w.document.querySelectorAll('canvas.tc-canvas')).forEach((c, k) => {
        const a = w.tickByTick[k]!.data;
        const b = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        const skip = Math.max(3, Math.ceil(c.width * 0.04));
        for (let i = 0; i < a.length; i += 4) {
          const x = (i / 4) % c.width;
          if (x < skip) continue;
          let d = Math.abs(a[i + 3]! - b[i + 3]!);
          for (let j = 0; j < 3; j++)
            d = Math.max(d, Math.abs(a[i + j]! * a[i + 3]! - b[i + j]! * b[i + 3]!) / 255);
          if (d > worst.diff) worst = { diff: d, chart: k, x, y: Math.floor(i / 4 / c.width) };
        }
      });
      return worst;
    });
  // Where the worst pixel is goes into a failure's message (the chart's index, x and y on its canvas).
  let at = '';
  const worst = async () => {
    const r = await worstAt();
    at = `chart ${r.chart} at (${r.x}, ${r.y})`;
    return r.diff;
  };
  // Another window and back: each chart drawn whole from the same (paused) points.
  await page.getByRole('button', { name: '1 min' }).click();
  await expect.poll(worst).toBeGreaterThan(100);
  await page.getByRole('button', { name: '5 min' }).click();
  await expect
    .poll(worst)
    .toBeLessThanOrEqual(64)
    .catch((err: Error) => {
      throw new Error(`${err.message}\nworst pixel: ${at}`);
    });
});

test('every chart takes the dark scheme’s colours when the system switches, and back', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(serverUrl());
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'connected');
  const charts = page.locator('.time-chart[data-colors]');
  await expect.poll(() => charts.count()).toBeGreaterThan(2);
  type Chart = { dataset: Record<string, string | undefined> };
  const colours = () =>
    charts.evaluateAll((els) => els.map((e) => (e as unknown as Chart).dataset.colors ?? null));
  const light = await colours();
  // The light and dark palettes share no chart colour (tokens.css).
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(async () => (await colours()).every((c, i) => c !== light[i] && !!c)).toBe(true);
  await expect.poll(async () => (await colours()).join(' ')).toContain('#68abff');
  await page.emulateMedia({ colorScheme: 'light' });
  await expect.poll(colours).toEqual(light);
});
