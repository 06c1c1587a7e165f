/**
 * The sampler thread: ticks on its own event loop so reading /proc never stalls the main
 * one. Each tick is rescheduled after the previous one finishes (never overlapping).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { LinuxCollector } from '../sampler/linux-collector';
import { SiCollector } from '../sampler/si-collector';
import { SamplerLoop, type LoopConfig } from '../sampler/sampler-loop';
import type { ToWorker } from '../sampler/sampler';

const port = parentPort;
if (!port) throw new Error('sampler-worker must run in a worker thread');
const collector = process.platform === 'linux' ? new LinuxCollector() : new SiCollector();
const loop = new SamplerLoop(collector, workerData as LoopConfig);
let timer: NodeJS.Timeout | null = null;
let stopped = false;

async function run(): Promise<void> {
  const started = performance.now();
  try {
    port!.postMessage({ type: 'tick', tick: await loop.tick() });
  } catch (err) {
    port!.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
  if (stopped) return;
  timer = setTimeout(() => void run(), Math.max(0, loop.config.intervalMs - (performance.now() - started)));
}

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'configure') {
    loop.configure(msg.config);
    if (msg.config.intervalMs !== undefined && timer) {
      // Apply a new interval now rather than after the old, possibly 10 s, wait.
      clearTimeout(timer);
      timer = setTimeout(() => void run(), Math.min(msg.config.intervalMs, 250));
    }
  } else if (msg.type === 'focus') loop.setFocus(msg.keys);
  else if (msg.type === 'stop') {
    stopped = true;
    if (timer) clearTimeout(timer);
    if (collector instanceof LinuxCollector) collector.close();
    port.close();
  }
});

void loop.prime().then(() => {
  if (!stopped) timer = setTimeout(() => void run(), Math.min(loop.config.intervalMs, 500));
});
