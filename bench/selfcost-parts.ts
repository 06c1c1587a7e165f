/**
 * Where a view's window cost goes: one headless Chromium window on one view, measured in
 * turns with parts of the page hidden by CSS (`visibility: hidden` keeps layout and the
 * per-tick JavaScript, and drops their paint, raster and compositing). Each turn is the
 * window's whole process tree over SECONDS, as in selfcost.ts, plus the time the page spends
 * in animation-frame callbacks and the microtasks they queue (React renders there), and the
 * same window's floor: a page whose only content is two numbers that change each second.
 * Variants come as JSON `{"name": "css"}`; every variant runs SPINDLE_SELFCOST_ROUNDS times (default 2), interleaved.
 *
 *   npx electron-vite build && npx tsx bench/selfcost-parts.ts Overview 20 \
 *     '{"no paths":".time-chart path{display:none}","no grid":".overview-grid{visibility:hidden}"}'
 *
 * A tool for working on the window's cost; it writes no result file.
 */
import { startServer } from './renderer';
import { FLOOR_PAGE, idleProcesses, openWindow } from './selfcost';
import { treePct, treeTicks } from './selfcost-proc';

const view = process.argv[2] ?? 'Overview';
const secs = Number(process.argv[3] ?? 20);
const variants: Record<string, string> = JSON.parse(process.argv[4] ?? '{}');
const rounds = Number(process.env.SPINDLE_SELFCOST_ROUNDS ?? 2);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const stopIdle = await idleProcesses(2000);
const server = await startServer();
const { browser, roots, page } = await openWindow();
try {
  // Page code as text: this file is type-checked without the DOM's types.
  await page.addInitScript(`{
    const raf = window.requestAnimationFrame.bind(window);
    window.__raf = { ms: 0, n: 0 };
    window.requestAnimationFrame = (fn) => raf((t) => {
      const t0 = performance.now();
      try { fn(t); } finally {
        // Queued after React's own microtask, so this includes the render it schedules.
        queueMicrotask(() => { window.__raf.ms += performance.now() - t0; window.__raf.n++; });
      }
    });
  }`);
  const sample = async (): Promise<{ window: number; server: number; rafMsPerS: number }> => {
    await page.evaluate('window.__raf = { ms: 0, n: 0 }');
    const w0 = treeTicks(roots);
    const s0 = treeTicks([server.pid]);
    const t0 = performance.now();
    await sleep(secs * 1000);
    const ms = performance.now() - t0;
    const raf = (await page.evaluate('window.__raf')) as { ms: number; n: number };
    return {
      window: treePct(w0, treeTicks(roots), ms),
      server: treePct(s0, treeTicks([server.pid]), ms),
      rafMsPerS: raf.ms / secs,
    };
  };
  await page.setContent(FLOOR_PAGE);
  await sleep(5000);
  const floor = await sample();
  console.log(`floor (two numbers changing each second): window ${floor.window.toFixed(2)} %`);
  await page.goto(server.url);
  await page.getByTestId('connection').and(page.locator('[data-state="connected"]')).waitFor();
  for (const v of ['Overview', 'Processes', 'Managed', 'Pools', view]) {
    await page.getByRole('tab', { name: v }).click();
    await sleep(4000);
  }
  const all = new Map<string, number[]>();
  for (let round = 0; round < rounds; round++) {
    for (const [name, css] of Object.entries({ base: '', ...variants })) {
      await page.evaluate(`{
        let s = document.getElementById('selfcost-parts');
        if (!s) { s = document.createElement('style'); s.id = 'selfcost-parts'; document.head.append(s); }
        s.textContent = ${JSON.stringify(css)};
      }`);
      await sleep(3000);
      const r = await sample();
      (all.get(name) ?? all.set(name, []).get(name)!).push(r.window);
      console.log(
        `${name.padEnd(14)} window ${r.window.toFixed(2)} %  server ${r.server.toFixed(2)} %  ` +
          `frame callbacks ${r.rafMsPerS.toFixed(2)} ms/s`,
      );
    }
  }
  for (const [name, v] of all)
    console.log(`mean ${name.padEnd(14)} window ${(v.reduce((a, b) => a + b, 0) / v.length).toFixed(2)} %`);
} finally {
  await browser.close();
  await server.stop();
  stopIdle();
}
