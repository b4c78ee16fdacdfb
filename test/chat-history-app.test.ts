/**
 * The conversation a signed-in learner keeps, as the mini app handles it: the production build served by the real
 * app on a real port with a real database, in headless Debian Chromium, each phone a browser context with its own
 * storage. The question is kept (on the phone and on the server) as the server redacted it; a new phone with the
 * same identity gets the conversation from the server; "Xóa các câu đã hỏi" in Settings clears both, or says plainly
 * that the server could not be reached and keeps both; the phone drops what is older than 30 days.
 * Nothing of ours is intercepted; only the network is cut, or the WebSocket watched or refused, where a test says.
 */
import type { Browser, BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { browserSuiteTitle, SKIP_BROWSER, startAppAndBrowser } from './browser.js';
import {
  apiCall,
  axeViolations,
  CITIZEN_LAYOUT,
  closePhones,
  measureLayout,
  newDevId,
  openPhone,
  type Phone,
  PHONES_APP,
  sessionToken,
  shot,
  tab,
} from './page-checks.js';

const ID_NUMBER = '001089012345';
const ID_QUESTION = `Số căn cước của tôi là ${ID_NUMBER}, kích hoạt VNeID thế nào?`;
const PHONE_NUMBER = '0912345678';
const PHONE_QUESTION = `Số điện thoại của tôi là ${PHONE_NUMBER}, cài Zalo thế nào?`;
const OTP = '482913';
const OTP_QUESTION = `Có người gọi xin mã OTP ${OTP}, tôi có nên đọc cho họ không?`;
const DAY_MS = 24 * 60 * 60 * 1000;

interface HistoryEntry {
  asked: string;
  answer: string;
  kind: string;
  lessonId?: string;
  at: string;
}

describe.skipIf(SKIP_BROWSER)(browserSuiteTitle('chat history in the mini app (Chromium)'), () => {
  let base: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ base, browser, close: stop } = await startAppAndBrowser(PHONES_APP));
  });

  afterAll(async () => {
    await stop?.();
  });

  afterEach(() => closePhones(contexts, pageErrors));

  const phone = (devId = newDevId()): Promise<Phone> => openPhone({ browser, base, keep: contexts, pageErrors }, { devId });

  /** What the phone keeps of the conversation (the raw stored text, so that nothing hides in any field). */
  const storedChat = (page: Page) => page.evaluate(() => localStorage.getItem('bhvs.chat') ?? '');

  /** The questions on the chat screen, as shown (without the words said only to screen readers). */
  const questionsOnScreen = async (page: Page) =>
    (await page.locator('.bubble-user > p').allTextContents()).map((t) => t.replace(/^Bác hỏi: /, ''));

  async function serverHistory(token: string): Promise<HistoryEntry[]> {
    const res = await apiCall(base, '/api/chat/history', token);
    expect(res.status).toBe(200);
    return ((await res.json()) as { messages: HistoryEntry[] }).messages;
  }

  async function ask(page: Page, message: string): Promise<void> {
    const before = await page.locator('article.answer').count();
    await page.getByLabel('Câu hỏi của bác').fill(message);
    await page.getByRole('button', { name: 'Gửi', exact: true }).click();
    await expect.poll(() => page.locator('article.answer').count(), { timeout: 15_000 }).toBe(before + 1);
  }

  /** The same context, a new page: the app starts again from what the phone stored. */
  async function reopen(p: Phone, before?: (page: Page) => Promise<unknown>): Promise<Page> {
    await p.page.close();
    const page = await p.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(`${p.externalId}: ${e.message}`));
    await before?.(page);
    await page.goto(base);
    await page.getByLabel('Câu hỏi của bác').waitFor();
    p.page = page;
    return page;
  }

  it('a question with an ID number is kept without it, on the phone and on the server, over the WebSocket and over HTTP', async () => {
    const p = await phone();
    const token = await sessionToken(p.page);
    const httpChats: string[] = [];
    const replyFrames: { asked?: string }[] = [];
    const sentFrames: { type?: string }[] = [];
    // Over the WebSocket: the frames pass through unchanged, and the test reads them on the way.
    const page = await reopen(p, (page) =>
      page.routeWebSocket(/\/ws$/, (ws: WebSocketRoute) => {
        const server = ws.connectToServer();
        ws.onMessage((m) => {
          sentFrames.push(JSON.parse(String(m)) as { type?: string });
          server.send(m);
        });
        server.onMessage((m) => {
          const frame = JSON.parse(String(m)) as { type?: string; asked?: string };
          if (frame.type === 'reply') replyFrames.push(frame);
          ws.send(m);
        });
      }),
    );
    page.on('request', (r) => {
      if (r.url().endsWith('/api/chat')) httpChats.push(r.url());
    });
    // The socket is open and signed in (its 'auth' frame went out): the question goes over it.
    await expect.poll(() => sentFrames.some((f) => f.type === 'auth')).toBe(true);
    await ask(page, ID_QUESTION);
    expect(httpChats).toEqual([]);
    expect(replyFrames).toHaveLength(1);
    expect(replyFrames[0]!.asked).toContain('[số định danh]');
    expect(replyFrames[0]!.asked).not.toContain(ID_NUMBER);

    // The screen shows the question as kept from now on; the phone and the server keep nothing else.
    await expect.poll(() => questionsOnScreen(page)).toEqual([replyFrames[0]!.asked]);
    expect(await storedChat(page)).not.toContain(ID_NUMBER);
    expect(await storedChat(page)).toContain('[số định danh]');
    const kept = await serverHistory(token);
    expect(kept.map((e) => e.asked)).toEqual([replyFrames[0]!.asked]);
    await shot(page, 'chat-history-redacted');
    expect(await axeViolations(page)).toEqual([]);
    expect(await measureLayout(page, CITIZEN_LAYOUT)).toEqual([]);

    // Over HTTP (the WebSocket refused), with a phone number; the earlier question stays as it was kept.
    const overHttp = await reopen(p, (page) => page.routeWebSocket(/\/ws$/, (ws) => ws.close()));
    const posted: string[] = [];
    overHttp.on('request', (r) => {
      if (r.url().endsWith('/api/chat') && r.method() === 'POST') posted.push(r.url());
    });
    expect(await questionsOnScreen(overHttp)).toEqual([replyFrames[0]!.asked]);
    await ask(overHttp, PHONE_QUESTION);
    expect(posted).toHaveLength(1);
    const shown = await questionsOnScreen(overHttp);
    expect(shown).toHaveLength(2);
    expect(shown[1]).toContain('[số điện thoại]');
    expect(shown[1]).not.toContain(PHONE_NUMBER);
    const stored = await storedChat(overHttp);
    for (const secret of [ID_NUMBER, PHONE_NUMBER]) expect(stored).not.toContain(secret);
    expect((await serverHistory(token)).map((e) => e.asked)).toEqual(shown);
  });

  it('a question the server never answered is not kept on the phone; once answered, only its redacted form is', async () => {
    const p = await phone();
    await sessionToken(p.page);
    const { page, context } = p;
    await page.getByLabel('Câu hỏi của bác').waitFor();
    await page.route('**/api/chat', (route) => route.abort('connectionrefused'));
    await context.setOffline(true);
    await page.getByLabel('Câu hỏi của bác').fill(OTP_QUESTION);
    await page.getByRole('button', { name: 'Gửi', exact: true }).click();
    const error = page.locator('.bubble-user [role=alert]');
    await error.waitFor({ timeout: 30_000 });
    // On the screen for "Thử lại", in memory only.
    expect(await questionsOnScreen(page)).toEqual([OTP_QUESTION]);
    expect(await storedChat(page)).not.toContain(OTP);

    await context.setOffline(false);
    await page.unroute('**/api/chat');
    await error.getByRole('button', { name: 'Thử lại' }).click();
    await expect.poll(() => page.locator('article.answer').count(), { timeout: 15_000 }).toBe(1);
    const shown = await questionsOnScreen(page);
    expect(shown).toHaveLength(1);
    expect(shown[0]).toContain('[mã OTP]');
    expect(await storedChat(page)).not.toContain(OTP);
    expect(await storedChat(page)).toContain('[mã OTP]');
  });

  it('a new phone with the same identity shows the conversation from the server, once it can reach it', async () => {
    const first = await phone();
    const token = await sessionToken(first.page);
    await ask(first.page, ID_QUESTION);
    await ask(first.page, 'cach quet ma vietqr');
    const askedFirst = await questionsOnScreen(first.page);
    expect(askedFirst[0]).toContain('[số định danh]');
    const citedFirst = await first.page.locator('article.answer .cite button').allTextContents();
    expect(citedFirst.length).toBeGreaterThanOrEqual(1);
    expect(await serverHistory(token)).toHaveLength(2);

    // A new phone that cannot reach the history: nothing changes, no error shown. Its identity is set up on a page
    // of the server that is not the app, so that the app first starts with the history out of reach.
    const second = await openPhone({ browser, base, keep: contexts, pageErrors }, { devId: first.devId, path: '/api/areas' });
    const cut = await reopen(second, (page) => page.route('**/api/chat/history', (route) => route.abort('connectionrefused')));
    await sessionToken(cut);
    await cut.locator('.welcome').waitFor();
    expect(await questionsOnScreen(cut)).toEqual([]);
    expect(await cut.getByRole('alert').count()).toBe(0);

    // Reachable on the next start: the conversation as the first phone shows it, lesson links included.
    const fresh = await reopen(second);
    await expect.poll(() => questionsOnScreen(fresh), { timeout: 15_000 }).toEqual(askedFirst);
    expect(await fresh.locator('article.answer').count()).toBe(2);
    expect(await fresh.locator('article.answer .cite button').allTextContents()).toEqual(citedFirst);
    expect(await fresh.locator('.welcome').count()).toBe(0);
    expect(await storedChat(fresh)).toContain('[số định danh]');
    expect(await storedChat(fresh)).not.toContain(ID_NUMBER);
    await shot(fresh, 'chat-history-new-phone');
    expect(await axeViolations(fresh)).toEqual([]);
    expect(await measureLayout(fresh, CITIZEN_LAYOUT)).toEqual([]);

    // The cited lesson opens from a restored answer.
    await fresh.locator('article.answer .cite button').last().click();
    await fresh.getByRole('button', { name: 'Bắt đầu học' }).waitFor();

    // Kept on this phone now: reopening shows it once, not twice.
    const again = await reopen(second);
    await expect.poll(() => questionsOnScreen(again)).toEqual(askedFirst);
    expect(await again.locator('article.answer').count()).toBe(2);
  });

  it('"Xóa các câu đã hỏi" says so when the server cannot be reached and keeps both copies, then clears both', async () => {
    const p = await phone();
    const token = await sessionToken(p.page);
    const { page } = p;
    await ask(page, ID_QUESTION);

    await page.route('**/api/chat/history', (route) => (route.request().method() === 'DELETE' ? route.abort('connectionrefused') : route.continue()));
    await tab(page, 'Cài đặt');
    await page.getByRole('button', { name: 'Xóa các câu đã hỏi' }).click();
    const confirm = page.getByRole('alertdialog');
    expect(await confirm.textContent()).toContain('trên máy này và trên máy chủ của trợ lý');
    await shot(page, 'settings-clear-chat-confirm');
    await page.getByRole('button', { name: 'Xóa các câu hỏi' }).click();
    const failure = page.getByRole('alert');
    await failure.waitFor();
    expect(await failure.textContent()).toContain('Chưa xóa được');
    expect(await failure.textContent()).toContain('trên máy chủ vẫn còn');
    expect(await failure.textContent()).toContain('Chưa kết nối được');
    await shot(page, 'settings-clear-chat-failed');
    expect(await axeViolations(page)).toEqual([]);
    expect(await measureLayout(page, CITIZEN_LAYOUT)).toEqual([]);
    expect(await storedChat(page)).toContain('[số định danh]');
    expect(await serverHistory(token)).toHaveLength(1);

    await page.unroute('**/api/chat/history');
    await page.getByRole('alert').getByRole('button', { name: 'Thử lại' }).click();
    await page.getByText('Đã xóa các câu bác đã hỏi trên máy này và trên máy chủ của trợ lý.').waitFor();
    expect(await serverHistory(token)).toEqual([]);
    expect(JSON.parse(await storedChat(page))).toEqual([]);
    await tab(page, 'Hỏi đáp');
    await page.locator('.welcome').waitFor();
    expect(await questionsOnScreen(page)).toEqual([]);

    // Nothing comes back on the next start, nor on another phone of the same learner.
    const reopened = await reopen(p);
    await sessionToken(reopened);
    await reopened.locator('.welcome').waitFor();
    const other = await openPhone({ browser, base, keep: contexts, pageErrors }, { devId: p.devId });
    await sessionToken(other.page);
    await other.page.locator('.welcome').waitFor();
    expect(await questionsOnScreen(other.page)).toEqual([]);
  });

  it('messages older than 30 days are dropped from the phone when the app opens; those stored before `at` existed are still read', async () => {
    const p = await phone();
    await sessionToken(p.page);
    const now = Date.now();
    const exchange = (question: string, time: { at?: number; id: number }) => [
      { ...time, role: 'user', text: question },
      { ...time, id: time.id + 1, role: 'assistant', text: `Trả lời: ${question}`, reply: { kind: 'answer', answer: `Trả lời: ${question}`, lessons: [] } },
    ];
    const stored = [
      // Earlier versions: no `at`, an id taken from Date.now().
      ...exchange('Câu hỏi dạng cũ 40 ngày trước', { id: now - 40 * DAY_MS }),
      ...exchange('Câu hỏi 31 ngày trước', { id: 1, at: now - 31 * DAY_MS }),
      ...exchange('Câu hỏi 29 ngày trước', { id: 3, at: now - 29 * DAY_MS }),
      ...exchange('Câu hỏi dạng cũ hôm kia', { id: now - 2 * DAY_MS }),
    ];
    // Written before the app starts again (the page that wrote '[]' at its start is closed by then).
    const page = await reopen(p, (page) => page.addInitScript((chat) => localStorage.setItem('bhvs.chat', JSON.stringify(chat)), stored));
    await expect.poll(() => questionsOnScreen(page)).toEqual(['Câu hỏi 29 ngày trước', 'Câu hỏi dạng cũ hôm kia']);
    expect(await page.locator('article.answer').count()).toBe(2);
    const kept = await storedChat(page);
    expect(kept).not.toContain('40 ngày');
    expect(kept).not.toContain('31 ngày');
    expect((JSON.parse(kept) as { text: string }[]).map((m) => m.text)).toEqual([
      'Câu hỏi 29 ngày trước',
      'Trả lời: Câu hỏi 29 ngày trước',
      'Câu hỏi dạng cũ hôm kia',
      'Trả lời: Câu hỏi dạng cũ hôm kia',
    ]);
  });
});
