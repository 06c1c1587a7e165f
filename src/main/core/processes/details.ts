/** One process in full: argv, exe, cwd, threads, open files, children. Each part is null when not readable. */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { PROCESS_LIMITS, type ProcDetails } from '../../../shared/contract';
import type { ProcIdentities } from './proc-identity';
import { keyOf, readTableSync } from '../proc-tree/proc-table';
import { byParent as childrenOf, descendants } from '../proc-tree/walk';

/** Longest command line read, bytes. */
const MAX_ARGV_BYTES = 64 * 1024;

const tryOr = <T>(fn: () => T, fallback: T): T => {
  try {
    return fn();
  } catch {
    // Not permitted, or gone meanwhile: that field shows as unknown (the contract's null).
    return fallback;
  }
};

/** Read details of the process the key names (throws ESRCH_GONE / EPID_REUSED like a signal would). */
export function readDetails(ids: ProcIdentities, root: string, key: string): ProcDetails {
  const id = ids.verify(key);
  const dir = `${root}/${id.pid}`;
  const argv = tryOr(() => {
    const buf = readFileSync(`${dir}/cmdline`);
    const text = buf.subarray(0, MAX_ARGV_BYTES).toString('utf8');
    return text.split('\0').filter((a, i, all) => a !== '' || i < all.length - 1);
  }, [] as string[]);
  const tids = tryOr(
    () =>
      readdirSync(`${dir}/task`)
        .map(Number)
        .sort((a, b) => a - b),
    [] as number[],
  );
  const threads = tids.slice(0, PROCESS_LIMITS.detailsList).map((tid) => ({
    tid,
    name: tryOr(() => readFileSync(`${dir}/task/${tid}/comm`, 'utf8').trim(), '?'),
  }));
  const byParent = childrenOf(readTableSync(root));
  const children = (byParent.get(id.pid) ?? [])
    .filter((c) => c.starttime >= id.starttime)
    .slice(0, PROCESS_LIMITS.detailsList)
    .map((c) => ({ key: keyOf(c), pid: c.pid, name: c.name }));
  return {
    target: ids.target(id),
    ppid: id.ppid,
    state: id.state,
    user: ids.owner(id.pid),
    argv,
    exe: tryOr(() => readlinkSync(`${dir}/exe`), null),
    cwd: tryOr(() => readlinkSync(`${dir}/cwd`), null),
    threadCount: tids.length,
    threads,
    openFiles: tryOr(() => readdirSync(`${dir}/fd`).length, null),
    children,
    descendants: descendants(byParent, id, PROCESS_LIMITS.treeMax).length,
    nice: id.nice,
  };
}
