/**
 * A headless Chromium window with nothing attached that a user's window would not have. Playwright
 * enables the Network, Page and Runtime domains on every page it drives, so Chromium reports
 * each WebSocket frame (with its payload), request and console call over the DevTools pipe:
 * work of the harness that a window measured through Playwright pays and a user's does not.
 * Both windows on one server's Overview with 2,000 idle processes, measured over the same four
 * 30 s spans: a Playwright window cost 4.40–6.63 % of a core (mean 5.47), this one 4.23–5.90 %
 * (mean 5.26).
 *
 * This window is driven through one raw DevTools socket on the page that enables no domain: it
 * only sends `Runtime.evaluate` (to click a tab, read the connection state and count frames),
 * between measurements. The browser's switches are those Playwright starts its headless
 * Chromium with (timers and rendering not throttled), so both windows draw the same frames.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import WebSocket from 'ws';
import { CHROMIUM_ARGS, findChromium } from '../scripts/chromium-path.mjs';
import { childrenNamed } from './selfcost-proc';

/**
 * The switches Playwright starts its headless Chromium with, read off a browser it launched
 * (so they follow Playwright's version), without its profile, pipe and no-window switches.
 */
let switches: Promise<string[]> | null = null;
/** Read once per process: each read launches a browser. */
const playwrightSwitches = (): Promise<string[]> => (switches ??= readPlaywrightSwitches());

async function readPlaywrightSwitches(): Promise<string[]> {
  const known = new Set(childrenNamed(process.pid, /^chrom/));
  const browser = await chromium.launch({
    executablePath: findChromium() ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  try {
    const [pid] = childrenNamed(process.pid, /^chrom/).filter((p) => !known.has(p));
    if (pid === undefined) throw new Error('no Chromium child after launch');
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .split('\0')
      .slice(1)
      .filter(
        (a) =>
          a.startsWith('--') &&
          !/^--(user-data-dir|remote-debugging-pipe|remote-debugging-port|no-startup-window)\b/.test(a),
      );
  } finally {
    await browser.close();
  }
}

export interface BareWindow {
  /** The browser's pid: its whole process tree is the window. */
  pid: number;
  /** The value of `expression` in the page (awaited when it is a promise). */
  evaluate<T>(expression: string): Promise<T>;
  /** Until `expression` is truthy in the page, or throws after `ms`. */
  waitFor(expression: string, ms?: number): Promise<void>;
  close(): Promise<void>;
}

/** Open `url` in a new headless Chromium of 1400×900 with a bare DevTools socket on its page. */
export async function openBareWindow(url: string): Promise<BareWindow> {
  const profile = mkdtempSync(join(tmpdir(), 'spindle-bare-window-'));
  const switches = await playwrightSwitches();
  const browser: ChildProcess = spawn(
    findChromium() ?? '/usr/bin/chromium',
    [...switches, `--user-data-dir=${profile}`, '--window-size=1400,900', '--remote-debugging-port=0', url],
    // Its own process group: closing ends the whole tree, not only the browser process.
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  const groupAlive = (): boolean => {
    try {
      process.kill(-browser.pid!, 0);
      return true;
    } catch {
      return false;
    }
  };
  const cleanup = async (): Promise<void> => {
    if (groupAlive()) process.kill(-browser.pid!, 'SIGTERM');
    // The browser's children write the profile until they end: wait for the group (10 s, then KILL).
    for (let i = 0; groupAlive(); i++) {
      if (i === 100) process.kill(-browser.pid!, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 100));
    }
    // The browser's children may still be writing the profile as it exits: retry, and a
    // profile left in /tmp is not worth a run's figures.
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    } catch (err) {
      console.error(`bare window: could not remove ${profile}: ${(err as Error).message}`);
    }
  };
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let err = '';
      browser.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(err);
        if (m) resolve(Number(m[1]));
      });
      browser.once('exit', (code) => reject(new Error(`chromium exited with ${code}: ${err.slice(-500)}`)));
      setTimeout(() => reject(new Error('chromium gave no DevTools port within 30 s')), 30_000).unref();
    });
    let target: { type: string; webSocketDebuggerUrl: string } | undefined;
    for (let i = 0; i < 100 && !target; i++) {
      const list = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as {
        type: string;
        webSocketDebuggerUrl: string;
      }[];
      target = list.find((t) => t.type === 'page');
      if (!target) await new Promise((r) => setTimeout(r, 100));
    }
    if (!target) throw new Error('chromium opened no page');
    const ws = new WebSocket(target.webSocketDebuggerUrl);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    let nextId = 1;
    const pending = new Map<number, (msg: { result?: unknown; error?: { message: string } }) => void>();
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { id?: number };
      if (msg.id !== undefined) pending.get(msg.id)?.(msg as never);
      pending.delete(msg.id!);
    });
    const evaluate = async <T>(expression: string): Promise<T> => {
      const id = nextId++;
      const msg = await new Promise<{
        result?: { result?: { value?: unknown }; exceptionDetails?: { text: string } };
        error?: { message: string };
      }>((resolve) => {
        pending.set(id, resolve as never);
        ws.send(
          JSON.stringify({
            id,
            method: 'Runtime.evaluate',
            params: { expression, awaitPromise: true, returnByValue: true },
          }),
        );
      });
      if (msg.error) throw new Error(msg.error.message);
      if (msg.result?.exceptionDetails) throw new Error(`${expression}: ${msg.result.exceptionDetails.text}`);
      return msg.result?.result?.value as T;
    };
    return {
      pid: browser.pid!,
      evaluate,
      async waitFor(expression, ms = 30_000) {
        const end = Date.now() + ms;
        // An expression that throws (the page not loaded yet) counts as false.
        while (
          !(await evaluate<boolean>(
            `(() => { try { return !!(${expression}); } catch { return false; } })()`,
          ))
        ) {
          if (Date.now() > end) throw new Error(`not true within ${ms} ms: ${expression}`);
          await new Promise((r) => setTimeout(r, 100));
        }
      },
      async close() {
        ws.close();
        await cleanup();
      },
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
