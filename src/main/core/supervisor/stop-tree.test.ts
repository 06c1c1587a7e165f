import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { until } from '../../../test-utils/until';
import { starttimeOf, type ProcEntry } from '../proc-tree/proc-table';
import { fullLook, runTree, stopTree, type RunTree } from './stop-tree';

/** A group leader that answers TERM with a line and keeps running (so only KILL ends it). */
async function stubborn(): Promise<{
  pid: number;
  terms: number[];
  exited: Promise<NodeJS.Signals | null>;
  gone(): boolean;
}> {
  const child = spawn(
    process.execPath,
    [
      '-e',
      "process.on('SIGTERM', () => console.log('TERM')); console.log('ready'); setInterval(() => {}, 1000)",
    ],
    { detached: true, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const terms: number[] = [];
  let ready = false;
  child.stdout.on('data', (d: Buffer) => {
    if (d.includes('ready')) ready = true;
    if (d.includes('TERM')) terms.push(performance.now());
  });
  const exited = once(child, 'exit').then(([, signal]) => signal as NodeJS.Signals | null);
  await until(() => ready);
  return { pid: child.pid!, terms, exited, gone: () => child.exitCode !== null || child.signalCode !== null };
}

describe.runIf(process.platform === 'linux')('stopTree', () => {
  it('TERMs the known group and KILLs at the timeout while the full /proc look is still running', async () => {
    const p = await stubborn();
    const tree = runTree([{ pid: p.pid, starttime: starttimeOf(p.pid) }], 'stop-tree-test');
    let lookStarted = 0;
    let lookEnded = 0;
    // A full look as slow as on a loaded machine: 4 s.
    const slowLook = async (t: RunTree): Promise<ProcEntry[]> => {
      lookStarted ||= performance.now();
      await new Promise((r) => setTimeout(r, 4000));
      const found = await fullLook(t);
      lookEnded ||= performance.now();
      return found;
    };
    const t0 = performance.now();
    const stopping = stopTree(tree, 300, p.gone, slowLook);
    const signal = await p.exited;
    const killedAt = performance.now();
    const outcome = await stopping;
    expect(signal).toBe('SIGKILL');
    expect(outcome).toMatchObject({ killed: true, survivors: [] });
    // The TERM reached it before the look began, and the KILL came while the look still ran.
    await until(() => p.terms.length > 0);
    expect(p.terms[0]!).toBeLessThan(lookEnded);
    expect(lookStarted).toBeGreaterThan(0);
    expect(killedAt).toBeLessThan(lookEnded);
    expect(killedAt - t0).toBeLessThan(4000);
  });
});
