// Fails the e2e step with one line when no Chromium is available.
import { NO_CHROMIUM, findChromium } from './chromium-path.mjs';

if (!findChromium()) {
  console.error(NO_CHROMIUM);
  process.exit(1);
}
