/**
 * The sampler thread: ticks on its own event loop so reading /proc never stalls the main
 * one. Each tick is planned after the previous one finishes (never overlapping, never two
 * chains: sampler/sampler-loop.ts runTicks).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { LinuxCollector } from '../sampler/linux-collector';
import { SiCollector } from '../sampler/si-collector';
import { runTicks, SamplerLoop, type LoopConfig } from '../sampler/sampler-loop';
import type { ToWorker } from '../sampler/sampler';

const port = parentPort;
if (!port) throw new Error('sampler-worker must run in a worker thread');
const collector = process.platform === 'linux' ? new LinuxCollector() : new SiCollector();
const stop = new AbortController();
const sampler = new SamplerLoop(collector, workerData as LoopConfig);
const ticks = runTicks(sampler, (m) => port.postMessage(m), stop.signal);

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'configure') ticks.configure(msg.config);
  else if (msg.type === 'focus') sampler.setFocus(msg.keys);
  else if (msg.type === 'stop') {
    stop.abort();
    if (collector instanceof LinuxCollector) collector.close();
    port.close();
  }
});
