/**
 * Checks a definition against the file system before anything is spawned, so a typo is a
 * clear error with a code at once instead of a crash loop: the executable is looked up on
 * PATH here (as execvp would), the working directory must exist, names and bytes are sane.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { SUPERVISOR_LIMITS, type Definition } from '../../../shared/contract';
import { SpindleError } from '../../../shared/result';
import { publicEnv } from '../child-env';
import type { SpawnStage } from './helper-protocol';

/** What the helper needs to spawn a run. */
export interface SpawnSpec {
  stages: SpawnStage[];
  cwd: string;
  env: Record<string, string>;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SHELL = '/bin/sh';

const hasNul = (s: string): boolean => s.includes('\0');

/** The environment a managed process gets: Spindle's, minus secrets and removals, plus additions. */
function childEnv(
  def: Pick<Definition, 'env'>,
  base: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const names = [...Object.keys(def.env.set), ...def.env.unset];
  if (Object.keys(def.env.set).length > SUPERVISOR_LIMITS.envVars)
    throw new SpindleError('EINVAL_ENV', `at most ${SUPERVISOR_LIMITS.envVars} environment additions`);
  for (const name of names) {
    if (!ENV_NAME.test(name))
      throw new SpindleError('EINVAL_ENV', `invalid environment variable name ${JSON.stringify(name)}`);
  }
  for (const [name, value] of Object.entries(def.env.set)) {
    if (hasNul(value))
      throw new SpindleError('EINVAL_ENV', `environment variable ${name} contains a NUL byte`);
  }
  const env = publicEnv(base);
  for (const name of def.env.unset) delete env[name];
  return Object.assign(env, def.env.set);
}

async function checkCwd(cwd: string): Promise<string> {
  if (hasNul(cwd)) throw new SpindleError('EINVAL_ARG', 'working directory contains a NUL byte');
  const dir = resolve(cwd.startsWith('~/') ? join(homedir(), cwd.slice(2)) : cwd);
  const st = await stat(dir).catch((err: NodeJS.ErrnoException) => err);
  if (st instanceof Error) {
    const why = st.code === 'ENOENT' ? 'does not exist' : `cannot be reached (${st.code ?? st.message})`;
    throw new SpindleError('ENOENT_CWD', `working directory ${dir} ${why}`);
  }
  if (!st.isDirectory()) throw new SpindleError('ENOTDIR_CWD', `working directory ${dir} is not a directory`);
  return dir;
}

/** Find `command` as execvp would: a path with a slash is used as is (relative to cwd), else PATH. */
export async function resolveExecutable(
  command: string,
  cwd: string,
  path: string | undefined,
): Promise<string> {
  if (hasNul(command)) throw new SpindleError('EINVAL_ARG', 'command contains a NUL byte');
  const candidates = command.includes('/')
    ? [isAbsolute(command) ? command : resolve(cwd, command)]
    : (path ?? '/usr/local/bin:/usr/bin:/bin')
        .split(delimiter)
        .map((dir) => join(resolve(cwd, dir || '.'), command));
  let firstProblem: SpindleError | null = null;
  for (const file of candidates) {
    // Not there (or not reachable) in this PATH entry: look in the next one, as execvp does.
    const st = await stat(file).catch(() => null);
    if (!st) continue;
    if (st.isDirectory()) {
      firstProblem ??= new SpindleError('EISDIR_EXEC', `${file} is a directory, not a program`);
      continue;
    }
    const executable = await access(file, constants.X_OK).then(
      () => true,
      () => false,
    );
    if (st.isFile() && executable) return file;
    firstProblem ??= new SpindleError('EACCES_EXEC', `${file} is not executable (check its mode: chmod +x)`);
  }
  if (firstProblem) throw firstProblem;
  throw new SpindleError(
    'ENOENT_EXEC',
    command.includes('/') ? `${candidates[0]} does not exist` : `${command}: not found on PATH`,
  );
}

/** Validate a definition and resolve what to spawn. Throws SpindleError with a specific code. */
export async function resolveSpawn(def: Definition): Promise<SpawnSpec> {
  const env = childEnv(def);
  const cwd = await checkCwd(def.cwd ?? homedir());
  const stages: SpawnStage[] = [];
  for (const [i, st] of def.stages.entries()) {
    const where = def.stages.length > 1 ? `stage ${i + 1}: ` : '';
    if (st.args.some(hasNul)) throw new SpindleError('EINVAL_ARG', `${where}an argument contains a NUL byte`);
    try {
      if (def.shell) {
        // Opt-in shell mode: the command text is shell code, the args become $1…
        if (hasNul(st.command)) throw new SpindleError('EINVAL_ARG', 'command contains a NUL byte');
        stages.push({
          file: await resolveExecutable(SHELL, cwd, env.PATH),
          args: ['-c', st.command, def.name, ...st.args],
        });
      } else {
        stages.push({ file: await resolveExecutable(st.command, cwd, env.PATH), args: [...st.args] });
      }
    } catch (err) {
      if (err instanceof SpindleError) throw new SpindleError(err.code, where + err.message);
      throw err;
    }
  }
  return { stages, cwd, env };
}
