/**
 * The agent's long-lived token, kept in a file only its owner can read (as ssh keeps keys):
 * Prometheus reads the same file through `credentials_file`, so the token never appears on a
 * command line, in a unit file or in a log. Created (0600, folder 0700) on first start.
 */
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { SpindleError } from '../../shared/result';
import { newToken } from './security';

/** The token in `path`, making a new one when the file does not exist yet. */
export function tokenFromFile(path: string): { token: string; created: boolean } {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return { token: readToken(path), created: false };
  }
  const token = newToken();
  try {
    writeSync(fd, `${token}\n`);
  } finally {
    closeSync(fd);
  }
  return { token, created: true };
}

function readToken(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const st = fstatSync(fd);
    // Another user able to read it could scrape and watch this machine: refuse rather than warn.
    if (st.mode & 0o077) {
      throw new SpindleError(
        'ETOKEN_FILE',
        `${path} is readable by others (mode ${(st.mode & 0o777).toString(8)}); chmod 600 it`,
      );
    }
    if (typeof process.getuid === 'function' && st.uid !== process.getuid()) {
      throw new SpindleError('ETOKEN_FILE', `${path} belongs to another user`);
    }
    const token = readFileSync(fd, 'latin1').trim();
    if (token.length < 22 || !/^[\x21-\x7e]+$/.test(token)) {
      throw new SpindleError(
        'ETOKEN_FILE',
        `${path} must hold one token of at least 22 printable characters`,
      );
    }
    return token;
  } finally {
    closeSync(fd);
  }
}
