/**
 * Self-cost benchmark: what Spindle costs the machine it watches, against btop. With 2,000
 * extra idle processes, it measures for 30 s on each view the CPU of the web server's process
 * tree and of a real headless Chromium window's whole process tree (browser, renderer, GPU
 * and utility processes), and, in the same run when btop is installed, btop at
 * `update_ms = 1000` in a pseudo-terminal (`script`), and the same window's floor: a page whose
 * only content is two numbers that change each second. CPU % of one core = (utime + stime +
 * cutime + cstime) deltas of each tree from /proc, over wall time. Needs a build.
 * Views are measured once the server has run 5 minutes, with full charts.
 * SPINDLE_SELFCOST_SECONDS (default 30) sets each window; SPINDLE_SELFCOST_VIEWS (a comma list,
 * e.g. `Overview,Processes`) measures only those views and SPINDLE_SELFCOST_BTOP=0 skips btop, for
 * quick comparisons while working. Writes bench/results/selfcost.json.
 * Run alone: `npx tsx bench/selfcost.ts`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../scripts/chromium-path.mjs';
import { openBareWindow, type BareWindow } from './bare-window';
import { startServer } from './renderer';
import { writeResult } from './results';
import { childrenNamed, treePct, treeTicks } from './selfcost-proc';

const IDLE_PROCESSES = 2000;
const ALL_VIEWS = ['Overview', 'Processes', 'Managed', 'Pools'];
const VIEWS = process.env.SPINDLE_SELFCOST_VIEWS?.split(',') ?? ALL_VIEWS;
const unknownViews = VIEWS.filter((v) => !ALL_VIEWS.includes(v));
if (unknownViews.length)
  throw new Error(
    `SPINDLE_SELFCOST_VIEWS: no view ${unknownViews.join(', ')} (views: ${ALL_VIEWS.join(', ')})`,
  );
/** Only a run over every view can say whether Spindle stays under btop on all of them. */
const ALL_MEASURED = ALL_VIEWS.every((v) => VIEWS.includes(v));
/** Time to let btop (or the floor page) reach its steady state before measuring it. */
const SETTLE_MS = 8000;
/**
 * Time on a view before measuring it. A view's code not run for minutes is compiled again
 * (V8 tiers it up anew, at one render a second) when the view comes back: side by side, an
 * Overview window back from 60 s on Pools cost 0.26 points more than one that stayed, over
 * its first 30 s, and the same from then on. 8 s charged that warm-up to each view.
 */
const VIEW_SETTLE_MS = 45_000;
/** Time on each view in the warm-up pass before the first measurement. */
const WARM_MS = 5000;
/**
 * How long the server runs before the first measurement: the charts' default window (5 min),
 * so they are measured full, as a monitor that has been up a while draws them, not with the
 * first minute of history. SPINDLE_SELFCOST_FILL=0 skips the wait, for quick comparisons.
 */
const FILL_MS = process.env.SPINDLE_SELFCOST_FILL === '0' ? 0 : 300_000;
export const FLOOR_PAGE = `<!doctype html><body style="margin:0;font:14px system-ui">
<div id="a" style="position:fixed;left:8px;top:8px"></div>
<div id="b" style="position:fixed;right:8px;bottom:8px"></div>
<script>setInterval(() => { a.textContent = b.textContent = Math.random().toFixed(4); }, 1000);</script>`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const r2 = (v: number): number => Math.round(v * 100) / 100;

/** Each view's tab id (`#tab-<id>`). */
const VIEW_IDS: Record<string, string> = Object.fromEntries(ALL_VIEWS.map((v) => [v, v.toLowerCase()]));
/** True in the page once the window is connected to its server. */
const CONNECTED = `document.querySelector('[data-testid="connection"]')?.dataset.state === 'connected'`;

/** Click `view`'s tab in the bare window and wait until its panel has loaded. */
async function show(win: BareWindow, view: string): Promise<void> {
  const id = VIEW_IDS[view]!;
  await win.evaluate(`document.getElementById('tab-${id}').click()`);
  await win.waitFor(
    `document.getElementById('tab-${id}').getAttribute('aria-selected') === 'true' && !document.querySelector('#view-panel .view-loading')`,
  );
}

/**
 * After a measurement: the page was visible and Chromium drew its frames unthrottled (at
 * least 20 animation frames in half a second when asked), so the figure is of a window
 * that draws, not of one the browser put in the background.
 */
async function checkDrawing(win: BareWindow): Promise<void> {
  const { visible, frames } = await win.evaluate<{
    visible: boolean;
    frames: number;
  }>(`new Promise((resolve) => {
    let frames = 0;
    const end = performance.now() + 500;
    const step = () => (++frames, performance.now() < end ? requestAnimationFrame(step) : resolve({ visible: document.visibilityState === 'visible', frames }));
    requestAnimationFrame(step);
  })`);
  if (!visible || frames < 20)
    throw new Error(`the window did not draw: visible ${visible}, ${frames} frames in 0.5 s`);
}

/** CPU % of one core used by the trees at `roots()` over `ms` of wall time. */
async function measure(roots: () => number[], ms: number): Promise<number> {
  const before = treeTicks(roots());
  const t0 = performance.now();
  await sleep(ms);
  const after = treeTicks(roots());
  return treePct(before, after, performance.now() - t0);
}

/** `n` sleeping processes in their own group (one kill ends them all). */
export async function idleProcesses(n: number): Promise<() => void> {
  const sh = spawn(
    'sh',
    ['-c', `i=0; while [ $i -lt ${n} ]; do sleep 3600 & i=$((i+1)); done; echo ready; wait`],
    {
      detached: true,
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    sh.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve();
    });
    sh.once('exit', (code) => reject(new Error(`idle process spawner exited with ${code}`)));
  });
  return () => {
    try {
      process.kill(-sh.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  };
}

/** A fresh XDG_CONFIG_HOME whose btop.conf sets update_ms = 1000 (the caller removes it). */
function btopConfigHome(): string {
  const config = mkdtempSync(join(tmpdir(), 'spindle-selfcost-btop-'));
  mkdirSync(join(config, 'btop'));
  writeFileSync(join(config, 'btop', 'btop.conf'), 'update_ms = 1000\n');
  return config;
}

/** A running btop: its pids (found again each time) and how to end it. */
interface Btop {
  pids: () => number[];
  stop: () => Promise<void>;
}

/**
 * btop at update_ms = 1000 in a pseudo-terminal, settled, or null when btop is not installed.
 * `script` gives btop a terminal (200×50); its output goes nowhere, btop still draws it all.
 */
async function startBtop(): Promise<Btop | null> {
  if (process.env.SPINDLE_SELFCOST_BTOP === '0') return null;
  if (spawnSync('btop', ['--version']).status !== 0) return null;
  const config = btopConfigHome();
  const term = spawn('script', ['-q', '-c', 'stty cols 200 rows 50; exec btop --utf-force', '/dev/null'], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
    env: { ...process.env, XDG_CONFIG_HOME: config, TERM: 'xterm-256color', LANG: 'C.UTF-8' },
  });
  const stop = async (): Promise<void> => {
    if (term.exitCode === null && term.signalCode === null) {
      process.kill(-term.pid!, 'SIGTERM');
      await new Promise((r) => term.once('exit', r));
    }
    rmSync(config, { recursive: true, force: true });
  };
  await sleep(SETTLE_MS);
  const pids = (): number[] => childrenNamed(term.pid!, /^btop$/);
  if (!pids().length) {
    await stop();
    throw new Error('btop did not start under script');
  }
  return { pids, stop };
}

/** What btop costs on screen: btop, the terminal drawing it, and the X server xterm draws through. */
interface BtopOnScreen {
  btopPct: number;
  xtermPct: number;
  xServerPct: number;
  totalPct: number;
}

/**
 * btop at update_ms = 1000 in a real terminal: xterm (200×50, an Xft monospace font) on a
 * private Xvfb display, or null when btop, xterm or Xvfb is missing. The pseudo-terminal
 * figure above counts btop alone, whose output nobody draws; a user sees btop through a
 * terminal, whose parsing and drawing is part of what btop costs them (as Chromium's
 * compositing is part of Spindle's window).
 */
async function btopOnScreenPct(ms: number): Promise<BtopOnScreen | null> {
  if (process.env.SPINDLE_SELFCOST_BTOP === '0') return null;
  const have = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
  if (!['btop', 'xterm', 'Xvfb'].every(have)) return null;
  const config = btopConfigHome();
  // -displayfd: Xvfb picks a free display and writes its number on fd 3 once it listens.
  const x = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1600x1000x24', '-nolisten', 'tcp'], {
    detached: true,
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
  });
  let term: ReturnType<typeof spawn> | null = null;
  try {
    const display = await new Promise<string>((resolve, reject) => {
      let out = '';
      (x.stdio[3] as NodeJS.ReadableStream).on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(out.trim());
      });
      x.once('exit', (code) => reject(new Error(`Xvfb exited with ${code}`)));
      setTimeout(() => reject(new Error('Xvfb gave no display number within 20 s')), 20_000).unref();
    });
    term = spawn(
      'xterm',
      ['-geometry', '200x50', '-fa', 'Monospace', '-fs', '10', '-e', 'btop', '--utf-force'],
      {
        detached: true,
        stdio: 'ignore',
        env: { ...process.env, DISPLAY: `:${display}`, XDG_CONFIG_HOME: config, LANG: 'C.UTF-8' },
      },
    );
    await sleep(SETTLE_MS);
    const btop = childrenNamed(term.pid!, /^btop$/);
    if (!btop.length) throw new Error('btop did not start in xterm');
    const roots = { btop, xterm: [term.pid!], x: [x.pid!] };
    const before = { btop: treeTicks(roots.btop), xterm: treeTicks(roots.xterm), x: treeTicks(roots.x) };
    const t0 = performance.now();
    await sleep(ms);
    const wall = performance.now() - t0;
    const btopPct = treePct(before.btop, treeTicks(roots.btop), wall);
    // The xterm tree holds btop: xterm's own share is the difference.
    const xtermPct = treePct(before.xterm, treeTicks(roots.xterm), wall) - btopPct;
    const xServerPct = treePct(before.x, treeTicks(roots.x), wall);
    return {
      btopPct: r2(btopPct),
      xtermPct: r2(xtermPct),
      xServerPct: r2(xServerPct),
      totalPct: r2(btopPct + xtermPct + xServerPct),
    };
  } finally {
    for (const child of [term, x]) {
      if (!child?.pid || child.exitCode !== null) continue;
      process.kill(-child.pid, 'SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    rmSync(config, { recursive: true, force: true });
  }
}

/**
 * A headless Chromium with one 1400×900 page, and the roots of its process tree (also when
 * other Chromiums this process opened are still running: bench/selfcost-threads.ts).
 */
export async function openWindow(): Promise<{ browser: Browser; roots: number[]; page: Page }> {
  const known = new Set(childrenNamed(process.pid, /^chrom/));
  const browser = await chromium.launch({
    executablePath: findChromium() ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  // Playwright starts the browser as our child: the window is that child's whole tree.
  const roots = childrenNamed(process.pid, /^chrom/).filter((p) => !known.has(p));
  if (roots.length !== 1) {
    await browser.close();
    throw new Error(`expected one Chromium child, found ${roots.length}`);
  }
  return { browser, roots, page: await browser.newPage({ viewport: { width: 1400, height: 900 } }) };
}

export async function run(): Promise<void> {
  const windowMs = Number(process.env.SPINDLE_SELFCOST_SECONDS ?? 30) * 1000;
  const loads: number[] = [];
  const loadTimer = setInterval(() => loads.push(loadavg()[0]!), 5000);
  const stopIdle = await idleProcesses(IDLE_PROCESSES);
  try {
    // btop alone first, then kept running: each view is measured beside it, in the same seconds.
    const btopRun = await startBtop();
    const btop = btopRun && (await measure(btopRun.pids, windowMs));
    const onScreen = await btopOnScreenPct(windowMs);
    if (onScreen)
      console.log(
        `selfcost btop in xterm on Xvfb: btop ${onScreen.btopPct} + xterm ${onScreen.xtermPct} + X server ${onScreen.xServerPct} = ${onScreen.totalPct} %`,
      );
    const server = await startServer();
    const serverStart = performance.now();
    try {
      await measureWindows(server, serverStart, windowMs, btop, btopRun, onScreen, loads);
    } finally {
      await server.stop();
      await btopRun?.stop();
    }
  } finally {
    stopIdle();
    clearInterval(loadTimer);
  }
}

async function measureWindows(
  server: Awaited<ReturnType<typeof startServer>>,
  serverStart: number,
  windowMs: number,
  btop: number | null,
  btopRun: Btop | null,
  onScreen: BtopOnScreen | null,
  loads: number[],
): Promise<void> {
  // The floor of any page that shows live figures: two numbers, at opposite corners, that
  // change once a second. Chromium's frame pipeline (style, layout, paint, raster,
  // compositing in two processes) runs once per changed frame whatever the page draws.
  const floor = await openBareWindow(`data:text/html,${encodeURIComponent(FLOOR_PAGE)}`);
  let floorPct: number;
  try {
    await floor.waitFor(`document.getElementById('a').textContent !== ''`);
    await sleep(SETTLE_MS);
    floorPct = await measure(() => [floor.pid], windowMs);
    await checkDrawing(floor);
  } finally {
    await floor.close();
  }
  console.log(`selfcost floor (two numbers changing each second): window ${r2(floorPct)} %`);
  const win = await openBareWindow(`${server.url}#${VIEW_IDS[VIEWS[0]!]}`);
  try {
    const windowRoots = [win.pid];
    await win.waitFor(CONNECTED);
    // Every view once before measuring, so the server's and the window's start-up (module
    // loading, the first reading of every process, V8's first compilations) is not charged
    // to whichever view happens to be measured first.
    for (const view of VIEWS) {
      await show(win, view);
      await sleep(WARM_MS);
    }
    const fill = FILL_MS - (performance.now() - serverStart);
    if (fill > 0) {
      console.log(`selfcost: waiting ${Math.round(fill / 1000)} s for a full 5-minute history`);
      await sleep(fill);
    }
    const views: Record<
      string,
      {
        serverPct: number;
        windowPct: number;
        totalPct: number;
        btopPct: number | null;
        toBtop: number | null;
      }
    > = {};
    for (const view of VIEWS) {
      await show(win, view);
      await sleep(VIEW_SETTLE_MS);
      const [serverPct, windowPct, besidePct] = await Promise.all([
        measure(() => [server.pid], windowMs),
        measure(() => windowRoots, windowMs),
        btopRun ? measure(btopRun.pids, windowMs) : null,
      ]);
      await checkDrawing(win);
      if (!(await win.evaluate<boolean>(CONNECTED))) throw new Error(`${view}: the window lost its server`);
      views[view.toLowerCase()] = {
        serverPct: r2(serverPct),
        windowPct: r2(windowPct),
        totalPct: r2(serverPct + windowPct),
        btopPct: besidePct === null ? null : r2(besidePct),
        toBtop: besidePct ? r2((serverPct + windowPct) / besidePct) : null,
      };
      console.log(
        `selfcost ${view}: server ${r2(serverPct)} %, window ${r2(windowPct)} %, btop in the same seconds ${besidePct === null ? '—' : r2(besidePct)} %`,
      );
    }
    await win.close();
    // The same view in a window Playwright drives, side by side: what the harness adds.
    let playwrightPct: number | null = null;
    if (VIEWS.includes('Overview')) {
      const { browser, roots, page } = await openWindow();
      try {
        await page.goto(`${await server.newUrl()}#overview`);
        await page.getByTestId('connection').and(page.locator('[data-state="connected"]')).waitFor();
        await sleep(VIEW_SETTLE_MS);
        playwrightPct = r2(await measure(() => roots, windowMs));
        console.log(`selfcost Overview in a window Playwright drives: window ${playwrightPct} %`);
      } finally {
        await browser.close();
      }
    }
    const overview = views.overview ?? Object.values(views)[0]!;
    const worst = Math.max(...Object.values(views).map((v) => v.totalPct));
    const result = {
      idleProcesses: IDLE_PROCESSES,
      windowSeconds: windowMs / 1000,
      serverPct: overview.serverPct,
      windowPct: overview.windowPct,
      btopPct: btop === null ? null : r2(btop),
      floorWindowPct: r2(floorPct),
      playwrightWindowPct: playwrightPct,
      totalPct: overview.totalPct,
      worstViewTotalPct: worst,
      underBtop: btop === null || !ALL_MEASURED ? null : worst < btop,
      // Each view against btop measured in the same 30 s (both feel the machine's load alike).
      underBtopSameSeconds:
        btopRun === null || !ALL_MEASURED ? null : Object.values(views).every((v) => v.toBtop! < 1),
      btopOnScreen: onScreen,
      underBtopOnScreen: onScreen === null || !ALL_MEASURED ? null : worst < onScreen.totalPct,
      views,
      machineCores: cpus().length,
      machineLoadAvg1: r2(loads.reduce((a, b) => a + b, 0) / Math.max(1, loads.length)),
      method:
        'CPU % of one core = (utime+stime+cutime+cstime) delta of each process tree from /proc/PID/stat over the wall time of the window; server = the `spindle web` process tree at the default 1 s sample interval, window = the headless Chromium process tree (all its processes) showing the view, started with Playwright’s switches but driven through one raw DevTools socket that enables no domain (bench/bare-window.ts), playwrightWindowPct = the Overview in a window Playwright drives (which reports every WebSocket frame over its pipe), measured after the views, btop = the btop process at update_ms = 1000 in a 200x50 pseudo-terminal (script -q), measured before Spindle starts, then kept running: views.*.btopPct is that btop over the same 30 s as the view, and toBtop = (server + window) / it, so a machine that is slower in one minute than in another moves both sides alike (underBtopSameSeconds: every view’s toBtop < 1); btopOnScreen = btop at update_ms = 1000 in xterm (200x50, Xft Monospace 10) on a private Xvfb display, with the CPU of xterm and of the X server over the same window (null without xterm or Xvfb), measured after the pseudo-terminal run; underBtop compares with btop alone, underBtopOnScreen with btop on screen; floorWindowPct = the same Chromium window showing only two numbers that change each second, at opposite corners, measured before Spindle’s page opens; every view is shown for 5 s once before the first measurement, and the first is measured once the server has run 5 minutes (the charts’ default window is full); each view is shown 45 s before its 30 s are measured (a view’s code is compiled again when it comes back after minutes unused); top-level serverPct/windowPct are the Overview (or the first view measured when SPINDLE_SELFCOST_VIEWS leaves it out); underBtop is null unless every view was measured',
    };
    console.table(Object.entries(views).map(([view, v]) => ({ view, ...v })));
    console.table([
      {
        btopPct: result.btopPct,
        btopOnScreenPct: onScreen?.totalPct ?? null,
        floorWindowPct: result.floorWindowPct,
        overviewTotalPct: result.totalPct,
        worstViewTotalPct: worst,
      },
    ]);
    writeResult(process.env.SPINDLE_BENCH_RESULT ?? 'selfcost', result);
  } finally {
    await win.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) await run();
