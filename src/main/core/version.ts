import { readFileSync } from 'node:fs';

/** The app version from package.json (injected at build time, read from disk from source). */
declare const __SPINDLE_VERSION__: string | undefined;
export const APP_VERSION: string =
  typeof __SPINDLE_VERSION__ === 'string'
    ? __SPINDLE_VERSION__
    : (
        JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
          version: string;
        }
      ).version;
