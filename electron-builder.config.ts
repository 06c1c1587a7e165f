/**
 * Packaging (`npm run dist`): electron-builder over the electron-vite build in `out/`.
 *
 * The fuses are bits in the Electron binary, flipped at packaging time and covered by the
 * code signature, that turn off what Spindle never uses so nobody else can use it either.
 * With `runAsNode` off the Electron binary cannot be started as Node, which is why Spindle's
 * own children (supervisor helper, pool workers) run as utility processes
 * (src/main/electron/utility-launcher.ts).
 */
import type { Configuration } from 'electron-builder';

/** The fuse settings, exported so a test can hold them in place. */
export const electronFuses = {
  /** `ELECTRON_RUN_AS_NODE` ignored: the app binary is never a general Node runtime. */
  runAsNode: false,
  /** Cookies on disk encrypted with the OS keystore (a one-way switch). */
  enableCookieEncryption: true,
  /** `NODE_OPTIONS` / `NODE_EXTRA_CA_CERTS` ignored: no code injected through the environment. */
  enableNodeOptionsEnvironmentVariable: false,
  /** `--inspect*` and SIGUSR1 ignored: no debugger attached to the main process. */
  enableNodeCliInspectArguments: false,
  /** app.asar checked against the hash embedded at packaging time (macOS and Windows). */
  enableEmbeddedAsarIntegrityValidation: true,
  /** The app loads only from app.asar, never from a loose `app/` folder beside it. */
  onlyLoadAppFromAsar: true,
} as const;

const config: Configuration = {
  appId: 'dev.spindle.app',
  productName: 'Spindle',
  directories: { output: 'dist', buildResources: 'resources' },
  files: ['out/**/*', 'resources/**/*', 'package.json', '!**/*.map'],
  asar: true,
  // No native modules: nothing to rebuild against Electron's headers (which would be downloaded).
  npmRebuild: false,
  electronFuses,
  linux: { target: ['AppImage', 'deb'], category: 'System', executableName: 'spindle' },
  mac: { target: 'dmg', category: 'public.app-category.developer-tools' },
  win: { target: 'nsis' },
};

export default config;
