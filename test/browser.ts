import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/**
 * Debian's Chromium for browser tests (never a downloaded browser). CHROMIUM_PATH overrides the path. Without it
 * a suite is skipped locally, with the reason in its name, and fails under CI=true.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
export const SKIP_BROWSER = !HAVE_CHROMIUM && process.env.CI !== 'true';

export function browserSuiteTitle(title: string): string {
  return SKIP_BROWSER ? `${title} (skipped: no Chromium at ${CHROMIUM}; install it or set CHROMIUM_PATH)` : title;
}

export async function launchChromium(): Promise<Browser> {
  if (!HAVE_CHROMIUM) throw new Error(`CI=true but no Chromium at ${CHROMIUM}: install it or set CHROMIUM_PATH`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}
