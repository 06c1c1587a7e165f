/** Whether a PID still names a process, asked of the kernel without signalling it. */

/**
 * True while `pid` exists (for a negative pid: while the process group has a member). EPERM
 * means it exists but belongs to another user (a setuid program, say): that is not "gone".
 */
export function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
