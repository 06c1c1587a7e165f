/** Machine-wide families, from the latest sample and the tallies (node_exporter's shapes, `spindle_` names). */
import type { Registry } from 'prom-client';
import type { MemStats } from '../../../shared/contract';
import { family, single } from './family';
import { CPU_MODES, type Tallies } from './tallies';

const MEMORY: [keyof MemStats, string, string][] = [
  ['total', 'spindle_memory_total_bytes', 'Physical memory, bytes.'],
  ['used', 'spindle_memory_used_bytes', 'Memory in use (total - available), bytes.'],
  ['available', 'spindle_memory_available_bytes', 'Memory available to new work without swapping, bytes.'],
  ['free', 'spindle_memory_free_bytes', 'Memory not used at all, bytes.'],
  ['buffers', 'spindle_memory_buffers_bytes', 'Block device buffers, bytes.'],
  ['cached', 'spindle_memory_cached_bytes', 'Page cache and reclaimable slab, bytes.'],
  ['swapTotal', 'spindle_swap_total_bytes', 'Swap space, bytes.'],
  ['swapUsed', 'spindle_swap_used_bytes', 'Swap in use, bytes.'],
];

/** Register CPU, context switches, forks, load, memory, swap and task counts. */
export function registerSystem(reg: Registry, t: Tallies): void {
  family(reg, 'counter', 'spindle_cpu_seconds_total', 'CPU time per core and mode, seconds.', function* () {
    for (let i = 0; i < t.cpu.length; i++) {
      const acc = t.cpu[i];
      if (!acc) continue; // an offline core leaves a hole in /proc/stat's numbering
      for (let j = 0; j < CPU_MODES.length; j++) {
        yield { labels: { cpu: i, mode: CPU_MODES[j]! }, value: acc[j]! };
      }
    }
  });
  const seen = (v: number): number | null => (t.ticks ? v : null);
  single(reg, 'counter', 'spindle_context_switches_total', 'Context switches, machine-wide.', () =>
    seen(t.contextSwitches),
  );
  single(reg, 'counter', 'spindle_forks_total', 'Processes and threads created (forks).', () =>
    seen(t.forks),
  );
  single(reg, 'gauge', 'spindle_load1', '1-minute load average.', () => t.latest?.load?.one);
  single(reg, 'gauge', 'spindle_load5', '5-minute load average.', () => t.latest?.load?.five);
  single(reg, 'gauge', 'spindle_load15', '15-minute load average.', () => t.latest?.load?.fifteen);
  for (const [field, name, help] of MEMORY) single(reg, 'gauge', name, help, () => t.latest?.mem?.[field]);
  single(reg, 'gauge', 'spindle_processes', 'Processes on the machine.', () => t.latest?.tasks.processes);
  single(reg, 'gauge', 'spindle_threads', 'Threads on the machine.', () => t.latest?.tasks.threads);
  single(
    reg,
    'gauge',
    'spindle_threads_running',
    'Threads runnable now (procs_running).',
    () => t.latest?.tasks.running,
  );
  single(
    reg,
    'gauge',
    'spindle_threads_blocked',
    'Threads blocked on I/O now (procs_blocked).',
    () => t.latest?.tasks.blocked,
  );
  single(
    reg,
    'gauge',
    'spindle_last_sample_timestamp_seconds',
    'When the sample these figures come from was taken, Unix seconds.',
    () => (t.latest ? t.latest.t / 1000 : null),
  );
}

/** Register Spindle's own cost: the sampler's ticks and CPU, the whole process's CPU and memory. */
export function registerSelf(reg: Registry, t: Tallies, version: string): void {
  family(reg, 'gauge', 'spindle_build_info', 'Always 1; the version is a label.', function* () {
    yield { labels: { version }, value: 1 };
  });
  single(reg, 'counter', 'spindle_sampler_ticks_total', 'Samples taken.', () => t.ticks);
  family(
    reg,
    'counter',
    'spindle_sampler_cpu_seconds_total',
    'CPU time the sampler spent: collecting (its thread) and applying ticks (main thread), seconds.',
    function* () {
      if (!t.ticks) return;
      yield { labels: { thread: 'sampler' }, value: t.samplerCpu };
      yield { labels: { thread: 'main' }, value: t.mainCpu };
    },
  );
  single(
    reg,
    'counter',
    'spindle_self_cpu_seconds_total',
    'CPU time of the whole Spindle process (all threads) while sampling, seconds.',
    () => (t.ticks ? t.selfCpu : null),
  );
  single(
    reg,
    'gauge',
    'spindle_self_resident_memory_bytes',
    'Resident memory of the Spindle process, bytes.',
    () => t.latest?.self.rssBytes,
  );
  single(
    reg,
    'gauge',
    'spindle_sampler_heap_bytes',
    'JavaScript heap used by the sampler thread, bytes.',
    () => t.latest?.self.heapBytes,
  );
}
