import { createRequire } from 'node:module';
import type { Configuration } from 'electron-builder';
import { describe, expect, it } from 'vitest';
import config, { electronFuses } from '../../../electron-builder.config';

const require = createRequire(import.meta.url);
/** electron-builder's own schema check, run before it packs anything. */
const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  validateConfiguration(c: Configuration, logger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

describe('packaging configuration', () => {
  it('flips the fuses Spindle relies on', () => {
    expect(config.electronFuses).toBe(electronFuses);
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('packs the build into an asar archive, which onlyLoadAppFromAsar requires', () => {
    expect(config.asar).toBe(true);
    expect(config.files).toContain('out/**/*');
  });

  it("passes electron-builder's schema, which refuses a misspelled fuse", async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    const typo = { ...config, electronFuses: { ...electronFuses, runAsNod: false } } as Configuration;
    await expect(validateConfiguration(typo, new DebugLogger(false))).rejects.toThrow(/configuration/i);
  });
});
