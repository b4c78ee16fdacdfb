/**
 * What the mini app's browser suites (citizen screens, officers' console, community screens) share: screenshots of
 * whole screens, axe-core and layout checks, the screen on show, the session a page signed in with, lessons gone
 * through to the end, and phones with a development identity of their own.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { type Config, REPO_ROOT } from '../bot-server/src/config.js';

/** Screenshots of every screen go here for review. */
export const SHOTS = join(REPO_ROOT, 'test-results', 'screenshots');
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The province of the test configuration's wards. */
export const PROVINCE = 'Phú Thọ';

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** The whole screen, not only what fits the viewport: the page scrolls inside .zaui-page, so it is unrolled. */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  const unroll = 'html,body,#app,#app *:has(.zaui-page),.zaui-page{height:auto!important;overflow:visible!important}.bottom-nav{position:static!important}';
  const style = await page.addStyleTag({ content: unroll });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  await style.evaluate((el) => (el as Element).remove());
}

/** Serious and critical axe-core violations (and, when asked, every miss of the 7:1 enhanced contrast). */
export async function axeViolations(page: Page, opts: { enhancedContrast?: boolean } = {}): Promise<AxeViolation[]> {
  // Evaluated through DevTools, not added as an inline <script>: the app's Content-Security-Policy rightly refuses those.
  await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(async (enhanced) => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
    return axe.run(document, { resultTypes: ['violations'], rules: enhanced ? { 'color-contrast-enhanced': { enabled: true } } : {} });
  }, opts.enhancedContrast ?? false);
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical' || (opts.enhancedContrast && v.id === 'color-contrast-enhanced'))
    .map((v) => ({ ...v, nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target })) }));
}

/** What the layout check measures on a set of screens. */
export interface LayoutRules {
  /** Elements that must be big targets (at least 48 × 48 px). */
  targets: string;
  /** Body text that must be at least 18px. */
  text: string;
  /** Radio buttons and checkboxes are not measured as targets (their label is). */
  skipChoiceInputs: boolean;
  /** The sources listed under an answer are not measured, neither their links nor their text. */
  skipSources: boolean;
}

/** The citizen's screens. */
export const CITIZEN_LAYOUT: LayoutRules = {
  targets: 'button, a, select, textarea, summary, label.seg, label.toggle',
  text: '.screen-body p, .screen-body li',
  skipChoiceInputs: false,
  skipSources: true,
};

/** The officers' screens: the same checks as the citizen's, over their inputs, figures and tables too. */
export const CONSOLE_LAYOUT: LayoutRules = {
  targets: 'button, a, select, textarea, input, summary, label.seg, label.toggle',
  text: '.screen-body p, .screen-body li, .screen-body dt, .screen-body dd, .screen-body td, .screen-body th',
  skipChoiceInputs: true,
  skipSources: false,
};

/** Small targets, small body text and sideways scrolling, measured on the rendered page. */
export async function measureLayout(page: Page, rules: LayoutRules): Promise<string[]> {
  return page.evaluate((rules) => {
    const problems: string[] = [];
    const visible = (el: Element) => {
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && !el.closest('.sr-only');
    };
    for (const el of document.querySelectorAll(rules.targets)) {
      if (!visible(el)) continue;
      if (rules.skipChoiceInputs && ((el as HTMLInputElement).type === 'radio' || (el as HTMLInputElement).type === 'checkbox')) continue;
      if (rules.skipSources && el.closest('p, li')?.matches('.sources li')) continue;
      const r = el.getBoundingClientRect();
      if (r.height < 47.5 || r.width < 47.5) problems.push(`small target ${Math.round(r.width)}x${Math.round(r.height)}: ${el.textContent?.trim().slice(0, 30)}`);
    }
    for (const el of document.querySelectorAll(rules.text)) {
      if (!visible(el) || (rules.skipSources && el.closest('.sources'))) continue;
      const size = parseFloat(getComputedStyle(el).fontSize);
      if (size < 17.9) problems.push(`small text ${size}px: ${el.textContent?.trim().slice(0, 30)}`);
    }
    if (document.documentElement.scrollWidth > window.innerWidth + 1) problems.push(`horizontal scroll: ${document.documentElement.scrollWidth}px wide`);
    const pageEl = document.querySelector('.zaui-page');
    if (pageEl && pageEl.scrollWidth > pageEl.clientWidth + 1) problems.push(`page scrolls sideways: ${pageEl.scrollWidth}px`);
    return problems;
  }, rules);
}

/** A screenshot named `opts.shot`, then no accessibility problems and no layout problems, each reported as `name`. */
export async function expectScreenOk(page: Page, name: string, opts: { shot: string; layout: LayoutRules; enhancedContrast?: boolean }): Promise<void> {
  await shot(page, opts.shot);
  expect(await axeViolations(page, { enhancedContrast: opts.enhancedContrast }), name).toEqual([]);
  expect(await measureLayout(page, opts.layout), name).toEqual([]);
}

/** 200% text on a 320px screen in high contrast: the hardest display settings for the layout. */
export const LARGE_TEXT_SMALL_SCREEN = { viewport: { width: 320, height: 640 }, settings: { textScale: 2, highContrast: true } };

/** The title of the screen on show, once the previous screen has left the page. */
export async function screenTitle(page: Page): Promise<string> {
  const h1 = page.locator('.screen-header h1');
  await expect.poll(() => h1.count()).toBe(1);
  return (await h1.textContent()) ?? '';
}

/** A tab of the bottom navigation, and its screen. */
export async function tab(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Chuyển màn hình' }).getByRole('button', { name, exact: true }).click();
  await screenTitle(page);
}

/** The page's session token, once the app has signed in (development identity) and saved it. */
export async function sessionToken(page: Page): Promise<string> {
  const read = () => page.evaluate(() => localStorage.getItem('bhvs.session'));
  await expect.poll(read, { timeout: 15_000 }).not.toBeNull();
  return (JSON.parse((await read())!) as { token: string }).token;
}

/** The server's API as a signed-in person, from the test (not through the page); a body goes as JSON. */
export async function apiCall(base: string, path: string, token: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${base}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers },
  });
}

/** Goes through every step and the quiz of the lesson on show, answering question i with option `pick(i)`. */
export async function finishOpenLesson(page: Page, pick: (question: number) => number): Promise<void> {
  await page.getByRole('button', { name: 'Bắt đầu học' }).click();
  while (await page.getByRole('button', { name: 'Tiếp theo' }).count()) await page.getByRole('button', { name: 'Tiếp theo' }).click();
  if (await page.getByRole('button', { name: 'Làm bài kiểm tra' }).count()) await page.getByRole('button', { name: 'Làm bài kiểm tra' }).click();
  let i = 0;
  while (await page.locator('h2.question').count()) {
    await page.locator('.options button').nth(pick(i)).click();
    await page.getByRole('button', { name: /Câu tiếp theo|Xem kết quả/ }).click();
    i++;
  }
  await page.locator('.big-result').waitFor();
}

/**
 * The app for suites of phones (test/browser.ts startAppAndBrowser), each a development identity that signs in once:
 * the built mini app, room for all those sign-ins, and an outbox that only runs when a test says (a tip goes out
 * exactly then).
 */
export const PHONES_APP: Partial<Config> = {
  miniAppDir: join(REPO_ROOT, 'mini-app', 'www'),
  rateLimitPerMinute: 10_000,
  signInPerMinute: 1000,
  outboxIntervalMs: 0,
  devLogin: true,
};

/** After a test: closes the phones it opened (emptying `contexts`), then expects no errors on their pages. */
export async function closePhones(contexts: BrowserContext[], pageErrors: string[]): Promise<void> {
  for (const c of contexts.splice(0)) await c.close();
  expect(pageErrors.splice(0)).toEqual([]);
}

export const newDevId = () => `dev-${randomBytes(6).toString('hex')}`;

export interface Phone {
  devId: string;
  externalId: string;
  context: BrowserContext;
  page: Page;
}

export interface PhoneOptions {
  /** The device id of the development identity (externalId 'dev:' + device id). */
  devId: string;
  /** Where the app opens, relative to the server (a member's link, say); its start page without it. */
  path?: string;
  /** A ward chosen on the device, sent to the server on sign-in. */
  ward?: string;
  viewport?: { width: number; height: number };
  /** Display settings saved on the device before the app starts. */
  settings?: object;
  /** Lets the page read and write the clipboard. */
  clipboard?: boolean;
}

/**
 * A phone with the app open: a browser context of its own, added to `keep` (for the suite to close), with a
 * development identity, the device's settings and the page's errors added to `pageErrors` with whose they were.
 */
export async function openPhone(
  suite: { browser: Browser; base: string; keep: BrowserContext[]; pageErrors: string[] },
  opts: PhoneOptions,
): Promise<Phone> {
  const { devId } = opts;
  const externalId = `dev:${devId}`;
  const context = await suite.browser.newContext({ viewport: opts.viewport ?? { width: 360, height: 740 }, locale: 'vi-VN', acceptDownloads: true });
  if (opts.clipboard) await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: suite.base });
  suite.keep.push(context);
  const settings = { ...(opts.ward ? { area: { province: PROVINCE, ward: opts.ward } } : {}), ...opts.settings };
  await context.addInitScript(
    ([id, saved]) => {
      localStorage.setItem('bhvs.devId', id);
      if (!localStorage.getItem('bhvs.settings') && Object.keys(saved).length > 0) localStorage.setItem('bhvs.settings', JSON.stringify(saved));
    },
    [devId, settings] as const,
  );
  const page = await context.newPage();
  page.on('pageerror', (e) => suite.pageErrors.push(`${externalId}: ${e.message}`));
  const res = await page.goto(opts.path ? new URL(opts.path, suite.base).href : suite.base);
  expect(res?.status()).toBe(200);
  return { devId, externalId, context, page };
}
