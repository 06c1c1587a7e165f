/**
 * The built-in workloads, shared by thread and process workers. Plain functions over
 * plain data: a task's `spec` and `item` arrive by message, so nothing here may capture
 * state from core.
 */
import { execa, type ResultPromise } from 'execa';
import { publicEnv } from '../child-env';
import { GCD_PAIRS, type WorkloadSpec } from '../../../shared/contract/pools';

/** Greatest common divisor by trying every candidate downwards: deliberately CPU-bound. */
function bruteGcd(a: number, b: number): number {
  for (let i = Math.min(a, b); i > 1; i--) if (a % i === 0 && b % i === 0) return i;
  return 1;
}

/** Run the whole gcd batch in one go: the serial baseline of the speed-up lab. */
export function gcdBatch(repeat: number): number {
  let sum = 0;
  for (let r = 0; r < repeat; r++) for (const [a, b] of GCD_PAIRS) sum += bruteGcd(a, b);
  return sum;
}

function spin(ms: number): number {
  const end = performance.now() + ms;
  let n = 0;
  while (performance.now() < end) n++;
  return n;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The user's module function, set by the worker at start-up when the pool names one. */
export type UserFn = (item: unknown) => unknown;

/** Run one task. Returns a value or a promise of one; a thrown error fails the task. */
export function runWorkload(
  spec: WorkloadSpec,
  item: string | number,
  user: UserFn | null,
  cwd?: string,
): unknown {
  switch (spec.kind) {
    case 'noop':
      return item;
    case 'gcd': {
      const pair = GCD_PAIRS[Number(item) % GCD_PAIRS.length]!;
      return bruteGcd(pair[0], pair[1]);
    }
    case 'spin':
      return spin(spec.ms);
    case 'sleep':
      return sleep(spec.ms).then(() => item);
    case 'mixed':
      spin(spec.ms / 2);
      return sleep(spec.ms / 2).then(() => item);
    case 'throw':
      throw new Error(`workload threw on item ${item}`);
    case 'crash':
      // In a worker thread this ends only the thread; in a child it ends the process.
      return process.exit(spec.code ?? 70);
    case 'module':
      if (!user) throw new Error('this pool has no module: create it with a module path');
      return user(item);
    case 'command':
      return runCommand(spec.argv, String(item), cwd);
  }
}

/** The child a command task is running, so a terminating worker can take it down too. */
export let runningCommand: ResultPromise | null = null;

/**
 * Run argv with `{}` replaced by the item, through execa: no shell, stdin closed, and only
 * the last 400 characters of stdout and stderr kept (a chatty command cannot grow the
 * worker). Resolves with that tail; a non-zero exit, a signal or a failed spawn rejects.
 */
async function runCommand(template: readonly string[], item: string, cwd?: string): Promise<string> {
  const argv = template.map((a) => a.replaceAll('{}', item));
  const child = execa(argv[0]!, argv.slice(1), {
    cwd,
    // The worker's own environment may still hold Spindle's private variables.
    env: publicEnv(),
    extendEnv: false,
    stdin: 'ignore',
    all: true,
    buffer: false,
    reject: false,
  });
  runningCommand = child;
  let out = '';
  child.all?.on('data', (d: Buffer) => void (out = (out + d.toString()).slice(-400)));
  try {
    const r = await child;
    const tail = out.trim().slice(-160);
    if (r.exitCode === 0) return tail || 'exit 0';
    if (r.exitCode === undefined && !r.signal)
      throw new Error(`${argv[0]}: ${r.originalMessage || r.shortMessage}`);
    throw new Error(`${argv[0]} exited ${r.signal ?? r.exitCode}${tail ? `: ${tail}` : ''}`);
  } finally {
    runningCommand = null;
  }
}
