/**
 * The one rule for what Spindle's own environment passes to a child it starts (supervisor
 * helper, managed processes, pool workers, command tasks): everything but its private
 * variables. `SPINDLE_*` is Spindle's namespace (the web token, the Redis URL, the data
 * folder, the run mark of a parent Spindle); a child that needs one of these values gets it
 * passed explicitly. `ELECTRON_RUN_AS_NODE` is set again where Spindle's own scripts need it.
 */

/** True for a variable that never reaches a child by inheritance. */
export function isPrivateEnv(name: string): boolean {
  return name.startsWith('SPINDLE_') || name === 'ELECTRON_RUN_AS_NODE';
}

/** `base` (default: this process's environment) without the private variables. */
export function publicEnv(base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined && !isPrivateEnv(k)) env[k] = v;
  return env;
}
