/**
 * Mini app figures for npm run bench: the bytes a phone downloads for the first screen, and how long a citizen
 * waits on a slow connection, measured in Debian's headless Chromium with Chrome's own network throttling.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { MINI_APP_OUT } from './mini-app-build.js';

export interface BundleSizes {
  /** Entry script and the chunks it imports statically, gzip bytes. */
  firstScreenJsGzip: number;
  firstScreenCssGzip: number;
  /** Chunks loaded later (zmp-sdk, only inside Zalo), gzip bytes. */
  lazyJsGzip: number;
}

const gzipSize = (file: string) => statSync(existsSync(`${file}.gz`) ? `${file}.gz` : file).size;

export function measureBundle(): BundleSizes {
  const html = readFileSync(join(MINI_APP_OUT, 'index.html'), 'utf8');
  const refs = (re: RegExp) => [...html.matchAll(re)].map((m) => join(MINI_APP_OUT, m[1]!));
  const first = new Set([...refs(/<script[^>]+src="\.?\/?([^"]+\.js)"/g), ...refs(/<link[^>]+rel="modulepreload"[^>]+href="\.?\/?([^"]+)"/g)]);
  const css = refs(/<link[^>]+rel="stylesheet"[^>]+href="\.?\/?([^"]+)"/g);
  const assets = join(MINI_APP_OUT, 'assets');
  const allJs = readdirSync(assets).filter((f) => f.endsWith('.js')).map((f) => join(assets, f));
  return {
    firstScreenJsGzip: [...first].reduce((n, f) => n + gzipSize(f), 0),
    firstScreenCssGzip: css.reduce((n, f) => n + gzipSize(f), 0),
    lazyJsGzip: allJs.filter((f) => !first.has(f)).reduce((n, f) => n + gzipSize(f), 0),
  };
}

/** Chrome DevTools' "Slow 3G" preset (as in Puppeteer's PredefinedNetworkConditions): 400 kbit/s, 2 s latency. */
export const SLOW_3G = { offline: false, downloadThroughput: (500 * 1000) / 8 * 0.8, uploadThroughput: (500 * 1000) / 8 * 0.8, latency: 400 * 5 };

export interface SlowNetworkTimes {
  /** Navigation start to the question box usable. */
  readyMs: number;
  /** Tapping "Gửi" to the answer on screen. */
  answerMs: number;
  /** The same two on a second visit (assets cached). */
  repeatReadyMs: number;
  repeatAnswerMs: number;
}

export async function measureSlowNetwork(browser: Browser, url: string, question: string): Promise<SlowNetworkTimes> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', SLOW_3G);
    const visit = async () => {
      const t0 = Date.now();
      await page.goto(url, { waitUntil: 'commit' });
      await page.getByLabel('Câu hỏi của bác').waitFor({ timeout: 60_000 });
      const readyMs = Date.now() - t0;
      const before = await page.locator('article.answer').count();
      await page.getByLabel('Câu hỏi của bác').fill(question);
      const t1 = Date.now();
      await page.getByRole('button', { name: 'Gửi', exact: true }).click();
      await page.locator('article.answer').nth(before).waitFor({ timeout: 60_000 });
      return { readyMs, answerMs: Date.now() - t1 };
    };
    const first = await visit();
    await page.evaluate(() => localStorage.clear());
    const repeat = await visit();
    return { ...first, repeatReadyMs: repeat.readyMs, repeatAnswerMs: repeat.answerMs };
  } finally {
    await context.close();
  }
}
