import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { type Browser, chromium } from 'playwright-core';
import { buildApp } from '../bot-server/src/app.js';
import type { Config } from '../bot-server/src/config.js';
import type { AppContext } from '../bot-server/src/context.js';
import { openTestContext } from './helpers.js';

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

/** The real app on a real port with a fresh database (its context too, for a test to look behind it), and Chromium to look at it. */
export async function startAppAndBrowser(
  config: Partial<Config>,
): Promise<{ ctx: AppContext; app: FastifyInstance; base: string; browser: Browser; close: () => Promise<void> }> {
  const ctx = await openTestContext(config);
  const app = await buildApp(ctx);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  let browser: Browser;
  try {
    browser = await launchChromium();
  } catch (err) {
    await app.close();
    throw err;
  }
  return {
    ctx,
    app,
    base,
    browser,
    close: async () => {
      await browser.close();
      await app.close();
    },
  };
}
