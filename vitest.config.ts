import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // A fresh SPINDLE_DATA_DIR for the run: tests never touch the developer's saved files.
    globalSetup: ['src/test-utils/data-dir-setup.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Real processes and timers: keep files from starving each other on 2 cores (the
    // sampler's accuracy tests measure CPU shares, which a parallel file would skew).
    fileParallelism: false,
    maxWorkers: 2,
  },
});
