/**
 * Builds side by side, per thread: one `spindle web` server and one headless Chromium window
 * per argument, all on one view at once, plus a floor page (selfcost.ts) in its own Chromium,
 * measured over the same seconds. Each window's CPU is split by process type and thread name
 * from every thread's /proc/PID/task/TID/stat (utime + stime), with no tracing on. An argument
 * is a checkout with a build (`out/`), optionally followed by `|` and CSS injected into its page.
 *
 *   git worktree add --detach /tmp/old <commit> && (cd /tmp/old && ln -s $PWD/node_modules . \
 *     && npx electron-vite build)   # and the same for the build to compare
 *   npx tsx bench/selfcost-threads.ts /tmp/old . '.|.tc-canvas{display:none}'
 *
 * SPINDLE_THREADS_WAIT (s, default 300: the charts' 5-minute history fills) before measuring,
 * SPINDLE_THREADS_SECS (default 100) measured, SPINDLE_THREADS_VIEW (default Overview).
 * SPINDLE_THREADS_AT (a comma list of seconds from the start, e.g. `300,900,1500`) measures the
 * same windows again at each, instead of once after the wait: a page that renders once a second
 * is still being compiled by V8 minutes in, and this shows how its cost settles.
 * A tool for comparing builds; it writes no result file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import type { Browser } from '@playwright/test';
import { startServer } from './renderer';
import { FLOOR_PAGE, idleProcesses, openWindow } from './selfcost';
import { CLK_TCK, treePids } from './selfcost-proc';

const view = process.env.SPINDLE_THREADS_VIEW ?? 'Overview';
const secs = Number(process.env.SPINDLE_THREADS_SECS ?? 100);
/** When each measurement starts, in seconds from the windows' start. */
const starts = (process.env.SPINDLE_THREADS_AT ?? process.env.SPINDLE_THREADS_WAIT ?? '300')
  .split(',')
  .map(Number);
if (starts.some((s, i) => !(s >= (i ? starts[i - 1]! + secs : 0))))
  throw new Error(`SPINDLE_THREADS_AT: ${starts.join()} must ascend at least ${secs} s apart`);
const args = process.argv.slice(2);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU ticks per `type:thread name` over a Chromium's process tree (type from `--type=`). */
function threadTicks(roots: number[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const pid of treePids(roots)) {
    let type = 'browser';
    let tids: string[];
    try {
      type = /--type=([a-z-]+)/.exec(readFileSync(`/proc/${pid}/cmdline`, 'utf8'))?.[1] ?? 'browser';
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue; // exited: its threads' time is gone with it
    }
    for (const tid of tids) {
      try {
        const t = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const close = t.lastIndexOf(')');
        const f = t.slice(close + 2).split(' ');
        const key = `${type}:${t.slice(t.indexOf('(') + 1, close)}`;
        out.set(key, (out.get(key) ?? 0) + Number(f[11]) + Number(f[12]));
      } catch {
        // the thread ended between listing and reading
      }
    }
  }
  return out;
}

interface Win {
  name: string;
  roots: number[];
  browser: Browser;
  stop: (() => Promise<void>) | null;
}

const stopIdle = await idleProcesses(2000);
const wins: Win[] = [];
try {
  for (const [i, arg] of args.entries()) {
    const [dir, css] = arg.split('|') as [string, string | undefined];
    const s = await startServer(resolve(dir));
    const { browser, roots, page } = await openWindow();
    wins.push({
      name: `${i}:${dir.split('/').filter(Boolean).pop() ?? dir}${css ? '+css' : ''}`,
      roots,
      browser,
      stop: s.stop,
    });
    await page.goto(s.url);
    await page.getByTestId('connection').and(page.locator('[data-state="connected"]')).waitFor();
    await page.getByRole('tab', { name: view }).click();
    if (css) await page.addStyleTag({ content: css });
  }
  const floor = await openWindow();
  wins.push({ name: 'floor', browser: floor.browser, roots: floor.roots, stop: null });
  await floor.page.setContent(FLOOR_PAGE);
  console.log(
    `selfcost-threads: ${view}, measuring ${secs} s from ${starts.map((s) => `${s} s`).join(', ')}`,
  );
  const t0 = performance.now();
  for (const at of starts) {
    await sleep(Math.max(0, at * 1000 - (performance.now() - t0)));
    const before = wins.map((w) => threadTicks(w.roots));
    await sleep(secs * 1000);
    const after = wins.map((w) => threadTicks(w.roots));
    const msPerS = (i: number, k: string): number =>
      (((after[i]!.get(k) ?? 0) - (before[i]!.get(k) ?? 0)) * 1000) / CLK_TCK / secs;
    const keys = [...new Set(after.flatMap((a) => [...a.keys()]))]
      .filter((k) => wins.some((_, i) => msPerS(i, k) > 0.05))
      .sort((a, b) => msPerS(0, b) - msPerS(0, a));
    const cell = (v: number): string => v.toFixed(2).padStart(12);
    console.log('ms of CPU a second'.padEnd(40) + wins.map((w) => w.name.slice(0, 11).padStart(12)).join(''));
    for (const k of keys) console.log(k.padEnd(40) + wins.map((_, i) => cell(msPerS(i, k))).join(''));
    console.log(
      'all threads'.padEnd(40) +
        wins.map((_, i) => cell(keys.reduce((s, k) => s + msPerS(i, k), 0))).join(''),
    );
    console.log(`(from ${at} s; load average ${loadavg()[0]!.toFixed(2)})`);
  }
} finally {
  for (const w of wins) {
    await w.browser.close().catch(() => {});
    await w.stop?.();
  }
  stopIdle();
}
