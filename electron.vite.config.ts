import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { withPageCsp } from './src/shared/csp';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

export default defineConfig({
  main: {
    define: { __SPINDLE_VERSION__: JSON.stringify(version) },
    build: {
      externalizeDeps: { exclude: [] },
      rollupOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          cli: resolve('src/main/cli.ts'),
          'sampler-worker': resolve('src/main/core/entries/sampler-worker.ts'),
          'supervisor-helper': resolve('src/main/core/entries/supervisor-helper.ts'),
          'pool-thread': resolve('src/main/core/entries/pool-thread.ts'),
          'pool-process': resolve('src/main/core/entries/pool-process.ts'),
          'queue-processor': resolve('src/main/core/entries/queue-processor.ts'),
          'queue-worker': resolve('src/main/core/entries/queue-worker.ts'),
        },
        output: { entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src/renderer',
    // The page's meta CSP comes from the one definition the web server's header also uses.
    plugins: [react(), { name: 'spindle-csp', transformIndexHtml: { order: 'pre', handler: withPageCsp } }],
    build: {
      // electron-vite leaves the renderer unminified by default; the web UI is served over
      // HTTP too, and minifying cuts the first chunk to about a third.
      // SPINDLE_NO_MINIFY=1 keeps names readable in a profile.
      minify: process.env.SPINDLE_NO_MINIFY !== '1',
      rollupOptions: { input: { index: resolve('src/renderer/index.html') } },
    },
  },
});
