/**
 * The minimal chat page (bot-server/public) in a real headless Chromium, against the real app listening on a
 * real port with a real database. Nothing is intercepted: the page talks to the server.
 *
 * Chromium: see test/browser.ts.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { browserSuiteTitle, SKIP_BROWSER, startAppAndBrowser } from './browser.js';

interface ChatReply {
  kind: string;
  answer: string;
  lessons: { id: string; title: string; topic: string }[];
  next?: { id: string; title: string };
}

describe.skipIf(SKIP_BROWSER)(browserSuiteTitle('minimal chat page in Chromium'), () => {
  let browser: Browser;
  let base: string;
  let page: Page;
  let dialogs: string[];
  let pageErrors: string[];

  let stop: () => Promise<void>;

  beforeAll(async () => {
    // A folder without a built mini app, so / is always the minimal chat page under test.
    ({ base, browser, close: stop } = await startAppAndBrowser({ miniAppDir: join('/nonexistent', 'bhvs-no-mini-app') }));
  });

  afterAll(async () => {
    await stop?.();
  });

  beforeEach(async () => {
    page = await browser.newPage();
    dialogs = [];
    pageErrors = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const res = await page.goto(`${base}/`);
    expect(res?.status()).toBe(200);
  });

  afterEach(async () => {
    expect(pageErrors).toEqual([]);
    expect(dialogs).toEqual([]);
    await page?.close();
  });

  async function askOnPage(message: string): Promise<void> {
    await page.getByLabel('Câu hỏi của bác').fill(message);
    await page.getByRole('button', { name: 'Gửi câu hỏi' }).click();
  }

  /** Waits until the reply box shows a reply of this kind (its class is the reply kind). */
  async function replyOfKind(kind: string): Promise<void> {
    await page.locator(`#reply.${kind}`).waitFor({ state: 'visible' });
  }

  it('shows the minimal page with its form', async () => {
    await expect(page.title()).resolves.toContain('Trợ lý');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Trợ lý');
    expect(await page.locator('#reply').isHidden()).toBe(true);
  });

  it('answers a question typed without diacritics with numbered steps and the lesson title', async () => {
    // What the server answers, to know which lesson the page must name.
    const expected = (await (
      await fetch(`${base}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: 'cach kich hoat vneid' }),
      })
    ).json()) as ChatReply;
    expect(expected.kind).toBe('answer');
    const lesson = expected.lessons[0]!;
    expect(lesson.topic).toBe('vneid');

    await askOnPage('cach kich hoat vneid');
    await replyOfKind('answer');
    expect(await page.locator('#kind').textContent()).toBe('Trả lời');
    const lines = await page.locator('#answer p').allTextContents();
    expect(lines.some((l) => /^1\. /.test(l))).toBe(true);
    expect(lines.some((l) => /^2\. /.test(l))).toBe(true);
    // One paragraph per line of the answer: steps are not run together.
    expect(lines.length).toBe(expected.answer.split('\n').length);
    expect(await page.locator('#lessons').textContent()).toContain(lesson.title);
    expect(await page.locator('#next').textContent()).toContain(expected.next!.title);
    expect(await page.locator('#choices button').count()).toBe(0);
    await page.screenshot({ path: '/tmp/page.png', fullPage: true });
  });

  it('shows a shared OTP as a safety warning without the code', async () => {
    await askOnPage('ma otp cua toi la 551203');
    await replyOfKind('safety');
    expect(await page.locator('#kind').textContent()).toContain('CẢNH BÁO');
    const reply = (await page.locator('#reply').textContent())!;
    expect(reply).toContain('CẢNH BÁO');
    expect(reply).not.toContain('551203');
    // The warning styling applies (red border from page.css).
    const border = await page.locator('#reply').evaluate((el) => getComputedStyle(el).borderTopColor);
    expect(border).toBe('rgb(179, 38, 30)');
  });

  it("offers choices on 'giúp tôi với', and tapping one shows an answer", async () => {
    const expected = (await (
      await fetch(`${base}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: 'giúp tôi với' }),
      })
    ).json()) as ChatReply & { choices: { label: string; message: string }[] };
    expect(expected.kind).toBe('clarify');

    await askOnPage('giúp tôi với');
    await replyOfKind('clarify');
    const buttons = page.locator('#choices button');
    const n = await buttons.count();
    expect(n).toBeGreaterThanOrEqual(2);
    expect(n).toBeLessThanOrEqual(4);
    expect(await buttons.allTextContents()).toEqual(expected.choices.map((c) => c.label));
    await buttons.first().click();
    await replyOfKind('answer');
    const lines = await page.locator('#answer p').allTextContents();
    expect(lines.some((l) => /^1\. /.test(l))).toBe(true);
    expect((await page.locator('#lessons').textContent())!.length).toBeGreaterThan(0);
    // The choices of the previous reply are gone, and the question box shows what was asked.
    expect(await page.locator('#choices button').count()).toBe(0);
    expect(await page.getByLabel('Câu hỏi của bác').inputValue()).toBe(expected.choices[0]!.message);
  });

  it('treats HTML in a message as text: no element is created, no script runs', async () => {
    const payload = 'cach kich hoat vneid <img src=x onerror=alert(1)>';
    await askOnPage(payload);
    await page.locator('#reply').waitFor({ state: 'visible' });
    await expect(page.locator('#kind').textContent()).resolves.not.toBe('');
    expect(await page.locator('#reply img').count()).toBe(0);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('#reply').innerHTML()).not.toContain('<img');
    // The question box holds the text as typed.
    expect(await page.getByLabel('Câu hỏi của bác').inputValue()).toBe(payload);
  });

  it('shows the server refusal in Vietnamese when the message is only spaces', async () => {
    // The textarea is `required`, but spaces pass it; the server refuses and the page says why.
    await askOnPage('    ');
    await expect.poll(() => page.locator('#status').textContent()).toContain('Bác chưa nhập câu hỏi');
    expect(await page.locator('#reply').isHidden()).toBe(true);
  });
});
