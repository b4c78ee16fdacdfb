/**
 * The citizen mini app: the production build (mini-app/www, built by test/global-setup.ts) served by the real
 * app on a real port with a real database, in headless Debian Chromium. Nothing of ours is intercepted; only
 * the browser's speech voices and the WebSocket link are altered where a test says so.
 * Screenshots of every screen go to test-results/screenshots/ for review.
 */
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../bot-server/src/config.js';
import { browserSuiteTitle, SKIP_BROWSER, startAppAndBrowser } from './browser.js';
import * as checks from './page-checks.js';

describe.skipIf(SKIP_BROWSER)(browserSuiteTitle('citizen mini app in Chromium'), () => {
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];

  let stop: () => Promise<void>;

  beforeAll(async () => {
    // High limit: one test run asks more questions than a citizen would in a minute.
    ({ app, base, browser, close: stop } = await startAppAndBrowser({ miniAppDir: join(REPO_ROOT, 'mini-app', 'www'), rateLimitPerMinute: 10_000 }));
  });

  afterAll(async () => {
    await stop?.();
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'vi-VN' });
    page = await context.newPage();
    pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });

  afterEach(async () => {
    expect(pageErrors).toEqual([]);
    await context?.close();
  });

  async function open(path = '/'): Promise<void> {
    const res = await page.goto(`${base}${path}`);
    expect(res?.status()).toBe(200);
    await page.getByLabel('Câu hỏi của bác').waitFor();
  }

  async function ask(message: string): Promise<void> {
    const before = await page.locator('article.answer').count();
    await page.getByLabel('Câu hỏi của bác').fill(message);
    await page.getByRole('button', { name: 'Gửi', exact: true }).click();
    await expect.poll(() => page.locator('article.answer').count()).toBe(before + 1);
  }

  // The shared checks and moves (test/page-checks.ts), on the page of the moment: some tests open another.
  const screenTitle = () => checks.screenTitle(page);
  const tab = (name: string) => checks.tab(page, name);
  const shot = (name: string) => checks.shot(page, name);
  const axeViolations = (opts?: { enhancedContrast?: boolean }) => checks.axeViolations(page, opts);
  /** Small targets and small body text, measured on the rendered page. */
  const layoutProblems = () => checks.measureLayout(page, checks.CITIZEN_LAYOUT);
  /** The page's session token, once the app has signed in (development identity) and saved it. */
  const sessionToken = () => checks.sessionToken(page);
  /** The server's API as the page's learner, from the test (not through the page). */
  const callApi = (path: string, token: string, init?: RequestInit) => checks.apiCall(base, path, token, init);

  /** Clicks something that opens another screen and waits until that screen alone is shown. */
  async function go(target: ReturnType<Page['locator']>): Promise<string> {
    await target.click();
    await expect.poll(() => page.locator('.screen-header h1').count()).toBe(1);
    return screenTitle();
  }

  /** Opens the placement check from the offer on the Progress screen (shown once signed in). */
  async function openPlacement(): Promise<void> {
    await sessionToken();
    await tab('Tiến độ');
    await go(page.getByRole('button', { name: 'Trả lời vài câu' }));
    await page.locator('h2.question').waitFor();
  }

  it('answers a question typed without diacritics with numbered steps and a link to the cited lesson', async () => {
    await open();
    await shot('chat-empty');
    await ask('lam sao chuyen tien qua dien thoai');
    const answer = page.locator('article.answer').last();
    await expect.poll(() => answer.locator('ol.steps li').count()).toBeGreaterThanOrEqual(3);
    const link = answer.locator('.cite button');
    const title = (await link.textContent())!.trim();
    expect(title.length).toBeGreaterThan(5);
    await shot('chat-answer');
    expect(await axeViolations()).toEqual([]);
    expect(await layoutProblems()).toEqual([]);
    await link.click();
    await expect.poll(() => screenTitle()).toBe(title);
    await page.getByRole('button', { name: 'Bắt đầu học' }).waitFor();
  });

  it('quick-reply chips ask the main needs in one tap', async () => {
    await open();
    await page.getByRole('button', { name: 'Tránh lừa đảo' }).click();
    await expect.poll(() => page.locator('article.answer').count()).toBe(1);
    expect(await page.locator('.bubble-user').last().textContent()).toContain('lừa đảo');
  });

  it('shows a scam message as a warning, visually distinct, with a text label', async () => {
    await open();
    await ask('co nguoi goi xung la cong an bao toi doc ma OTP de cap nhat dinh danh');
    const warning = page.locator('article.answer-safety');
    await expect.poll(() => warning.count()).toBe(1);
    expect(await warning.getAttribute('aria-label')).toBe('Cảnh báo lừa đảo');
    expect(await warning.locator('.safety-label').textContent()).toContain('Cảnh báo');
    const border = await warning.evaluate((el) => getComputedStyle(el).borderTopColor);
    const normal = await page.evaluate(() => {
      const probe = document.createElement('article');
      probe.className = 'answer';
      document.body.append(probe);
      const c = getComputedStyle(probe).borderTopColor;
      probe.remove();
      return c;
    });
    expect(border).not.toBe(normal);
    await shot('chat-safety');
    expect(await axeViolations()).toEqual([]);
  });

  it('offers a clarify reply as tappable choices that ask the next question', async () => {
    await open();
    await ask('giup voi');
    const choices = page.locator('article.answer').last().locator('.choices button');
    await expect.poll(() => choices.count()).toBeGreaterThan(1);
    await choices.first().click();
    await expect.poll(() => page.locator('article.answer').count()).toBe(2);
  });

  it('opens a lesson one step per screen, completes its quiz with explanations, and records the progress', async () => {
    await open();
    await tab('Bài học');
    await go(page.getByRole('button', { name: /Dùng điện thoại/ }));
    await shot('lessons-topic');
    const lessonButton = page.getByRole('button', { name: /Phóng to chữ/ });
    expect(await lessonButton.textContent()).toContain('Chưa học');
    await go(lessonButton);
    await page.getByRole('button', { name: 'Bắt đầu học' }).click();
    const label = page.locator('.progress-label');
    const steps = Number(/trên (\d+)/.exec((await label.textContent())!)![1]);
    expect(steps).toBeGreaterThanOrEqual(3);
    await shot('lesson-step');
    expect(await axeViolations()).toEqual([]);
    expect(await layoutProblems()).toEqual([]);
    for (let i = 1; i <= steps; i++) {
      expect(await label.textContent()).toBe(`Bước ${i} trên ${steps}`);
      expect(await page.locator('.step-text').count()).toBe(1);
      expect(await page.locator('img.illustration').count()).toBe(1);
      await page.getByRole('button', { name: 'Tiếp theo' }).click();
    }
    if (await page.getByRole('button', { name: 'Làm bài kiểm tra' }).count()) {
      await shot('lesson-pitfalls');
      await page.getByRole('button', { name: 'Làm bài kiểm tra' }).click();
    }
    let questions = 0;
    while (await page.locator('h2.question').count()) {
      questions++;
      if (questions === 1) await shot('lesson-quiz');
      await page.locator('.options button').first().click();
      const feedback = page.locator('.lesson-card [role=status]');
      expect(await feedback.textContent()).toMatch(/Đúng rồi!|Chưa đúng\. Đáp án đúng:/);
      if (questions === 1) {
        await shot('lesson-quiz-feedback');
        expect(await axeViolations()).toEqual([]);
      }
      await page.getByRole('button', { name: /Câu tiếp theo|Xem kết quả/ }).click();
    }
    expect(questions).toBeGreaterThanOrEqual(2);
    expect(await page.locator('.big-result').textContent()).toContain('học xong');
    await shot('lesson-done');

    await tab('Tiến độ');
    await page.getByRole('heading', { name: 'Giấy ghi nhận theo chủ đề' }).waitFor();
    expect(await page.locator('.lead').textContent()).toMatch(/học xong 1 trên \d+ bài/);
    const certificate = page.locator('.certificate');
    expect(await certificate.count()).toBe(1);
    expect(await certificate.textContent()).toContain('Phóng to chữ');
    expect(await page.locator('#next-heading').count()).toBe(1);
    await shot('progress');
    expect(await axeViolations()).toEqual([]);

    await tab('Bài học');
    await go(page.getByRole('button', { name: /Dùng điện thoại/ }));
    expect(await page.getByRole('button', { name: /Phóng to chữ/ }).textContent()).toContain('Đã học');

    // Progress survives a reload (kept in storage), and "delete my data" removes it after confirmation.
    await open();
    await tab('Cài đặt');
    await page.getByRole('button', { name: 'Xóa dữ liệu của tôi' }).click();
    await shot('settings-delete-confirm');
    const token = await sessionToken();
    await page.getByRole('button', { name: 'Xóa hết' }).click();
    await page.getByText('Đã xóa dữ liệu của bác trên máy này và trên máy chủ của trợ lý.').waitFor();
    // Erased on the server too: the session that was signed in no longer works.
    expect((await callApi('/api/me', token)).status).toBe(401);
    const stored = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('bhvs.') && k !== 'bhvs.settings'));
    expect(stored).toEqual([]);
    await tab('Tiến độ');
    expect(await page.locator('.lead').textContent()).toMatch(/học xong 0 trên/);
  });

  it('text size goes up to 200% and the screens still fit 320px without sideways scrolling', async () => {
    await page.setViewportSize({ width: 320, height: 640 });
    await open();
    await tab('Cài đặt');
    const sizes = page.locator('input[name=text-size]');
    expect(await sizes.count()).toBeGreaterThanOrEqual(3);
    await page.getByLabel('200%').check();
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe('36px');
    await shot('settings-200-320px');
    expect(await layoutProblems()).toEqual([]);
    expect(await axeViolations()).toEqual([]);
    await tab('Hỏi đáp');
    await ask('cach cai vneid');
    await shot('chat-200-320px');
    expect(await layoutProblems()).toEqual([]);
    await tab('Bài học');
    await go(page.getByRole('button', { name: /VNeID/ }).first());
    await go(page.locator('.card-list button').first());
    await page.getByRole('button', { name: 'Bắt đầu học' }).click();
    await shot('lesson-200-320px');
    expect(await layoutProblems()).toEqual([]);
    await openPlacement();
    await shot('placement-200-320px');
    expect(await layoutProblems()).toEqual([]);
    // The setting is kept.
    await open();
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe('36px');
  });

  it('high-contrast mode reaches 7:1 contrast on every screen', async () => {
    await open();
    await tab('Cài đặt');
    await page.getByLabel(/Tương phản cao/).check();
    expect(await page.evaluate(() => document.documentElement.classList.contains('high-contrast'))).toBe(true);
    expect(await axeViolations({ enhancedContrast: true })).toEqual([]);
    await shot('settings-high-contrast');
    await tab('Hỏi đáp');
    await ask('cach quet ma vietqr');
    await ask('nguoi la bao toi gui ma otp');
    expect(await axeViolations({ enhancedContrast: true })).toEqual([]);
    await shot('chat-high-contrast');
    await tab('Bài học');
    await go(page.getByRole('button', { name: /Chuyển tiền/ }));
    expect(await axeViolations({ enhancedContrast: true })).toEqual([]);
    await go(page.locator('.card-list button').first());
    await page.getByRole('button', { name: 'Bắt đầu học' }).click();
    expect(await axeViolations({ enhancedContrast: true })).toEqual([]);
    await openPlacement();
    expect(await axeViolations({ enhancedContrast: true })).toEqual([]);
    await shot('placement-high-contrast');
  });

  it('tips, settings and lesson lists have no serious accessibility problems and big targets', async () => {
    await open();
    for (const name of ['Bài học', 'Tiến độ', 'Tin báo', 'Cài đặt']) {
      await tab(name);
      await shot(`screen-${name.replace(/đ/g, 'd').normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/\W+/g, '-').toLowerCase()}`);
      expect(await axeViolations(), name).toEqual([]);
      expect(await layoutProblems(), name).toEqual([]);
    }
    await tab('Tin báo');
    await page.getByText(/Chưa có tin mới|chọn phường, xã/).first().waitFor();
    // The placement check's question screen, and the offer that leads to it.
    await sessionToken();
    await tab('Tiến độ');
    await page.getByRole('heading', { name: 'Chọn bài hợp với bác' }).waitFor();
    expect(await axeViolations(), 'placement offer').toEqual([]);
    expect(await layoutProblems(), 'placement offer').toEqual([]);
    await openPlacement();
    expect(await axeViolations(), 'placement').toEqual([]);
    expect(await layoutProblems(), 'placement').toEqual([]);
  });

  it('area setting lists the configured wards and the Tips feed asks for that ward', async () => {
    await open();
    await tab('Cài đặt');
    const ward = page.getByLabel('Phường, xã');
    await ward.selectOption('Phường Việt Trì');
    const tipsRequest = page.waitForRequest((r) => r.url().includes('/api/tips'));
    await tab('Tin báo');
    const url = new URL((await tipsRequest).url());
    expect(url.searchParams.get('ward')).toBe('Phường Việt Trì');
    expect(url.searchParams.get('province')).toBe('Phú Thọ');
    await page.getByText('Chưa có tin mới cho khu vực của bác.').waitFor();
  });

  it('"Nghe" reads an answer aloud in Vietnamese, and says so visibly when the phone has no Vietnamese voice', async () => {
    // This Chromium has no voices: the citizen must see why nothing is heard.
    await open();
    await ask('cach ket noi wifi');
    await page.locator('article.answer').last().getByRole('button', { name: 'Nghe' }).click();
    await page.getByText(/chưa có giọng đọc tiếng Việt|chưa đọc được thành tiếng/).waitFor();

    // With a Vietnamese voice installed (the browser's voice list stands in for the phone's), the text is spoken.
    await page.close();
    page = await context.newPage();
    await page.addInitScript(() => {
      const spoken: { text: string; lang: string; rate: number }[] = [];
      (window as unknown as { __spoken: typeof spoken }).__spoken = spoken;
      const voice = { lang: 'vi-VN', name: 'Tiếng Việt', default: true, localService: true, voiceURI: 'vi' };
      Object.defineProperty(window.speechSynthesis, 'getVoices', { value: () => [voice] });
      // A real SpeechSynthesisUtterance only accepts a real voice object; this one stands in for it.
      Object.defineProperty(SpeechSynthesisUtterance.prototype, 'voice', {
        set(v: unknown) {
          (this as { _voice?: unknown })._voice = v;
        },
        get() {
          return (this as { _voice?: unknown })._voice ?? null;
        },
      });
      Object.defineProperty(window.speechSynthesis, 'speak', {
        value: (u: SpeechSynthesisUtterance) => spoken.push({ text: u.text, lang: u.lang, rate: u.rate }),
      });
    });
    await open();
    await ask('cach ket noi wifi');
    await page.locator('article.answer').last().getByRole('button', { name: 'Nghe' }).click();
    const readSpoken = () => page.evaluate(() => (window as unknown as { __spoken: { text: string; lang: string; rate: number }[] }).__spoken);
    await expect.poll(async () => (await readSpoken()).length).toBe(1);
    const spoken = await readSpoken();
    expect(spoken[0]!.lang).toBe('vi-VN');
    expect(spoken[0]!.text).toMatch(/Bước 1\. /);
    expect(spoken[0]!.text).not.toMatch(/[«»]/);
  });

  it('keeps answering when the WebSocket is down, over HTTP', async () => {
    // Every WebSocket the page opens is refused, as on a network that blocks them.
    await page.routeWebSocket(/\/ws$/, (ws) => ws.close());
    const chatPosts: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/chat') && r.method() === 'POST') chatPosts.push(r.postData() ?? '');
    });
    await open();
    await ask('cach tra tien dien tren dien thoai');
    expect(await page.locator('article.answer').last().locator('.cite button').count()).toBe(1);
    expect(chatPosts).toHaveLength(1);
  });

  it('uses the WebSocket when it is up, and a server that stops answering gets a Vietnamese retry', async () => {
    const chatPosts: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/chat')) chatPosts.push(r.url());
    });
    await open();
    await ask('cach dat lich kham benh');
    // The first question may race the socket's opening; once it is open, questions go over it.
    const before = chatPosts.length;
    await ask('kham benh tu xa nhu the nao');
    expect(chatPosts.length).toBe(before);

    await page.route('**/api/chat', (route) => route.abort('connectionrefused'));
    await context.setOffline(true);
    await page.getByLabel('Câu hỏi của bác').fill('cach mua hang online an toan');
    await page.getByRole('button', { name: 'Gửi', exact: true }).click();
    const error = page.locator('.bubble-user [role=alert]');
    await error.waitFor();
    expect(await error.textContent()).toContain('Thử lại');
    await shot('chat-offline-error');
    await context.setOffline(false);
    await page.unroute('**/api/chat');
    await error.getByRole('button', { name: 'Thử lại' }).click();
    await expect.poll(() => page.locator('article.answer').count()).toBe(3);
  });

  it('reconnects after the server drops the WebSocket, and goes on asking over it', async () => {
    const chatPosts: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/chat')) chatPosts.push(r.url());
    });
    const earlier = new Set(app.websocketServer.clients);
    const newSockets = () => [...app.websocketServer.clients].filter((c) => !earlier.has(c) && c.readyState === c.OPEN);
    await open();
    await expect.poll(() => newSockets().length).toBe(1);
    const first = newSockets()[0]!;
    earlier.add(first);
    first.terminate();
    // The app reconnects by itself (backoff starts at about a second).
    await expect.poll(() => newSockets().length, { timeout: 10_000 }).toBe(1);
    await ask('cach chup anh giay to de nop ho so');
    expect(chatPosts).toEqual([]);
    expect(await page.locator('article.answer').last().locator('.cite button').count()).toBe(1);
  });

  it('deep links: ?lesson=ID opens that lesson; ?ref=CODE goes to the referral screen, which says an unknown code is wrong, then back to the lesson', async () => {
    const res = await page.goto(`${base}/?lesson=thanh-toan-vietqr&ref=TEAM-abc123`);
    expect(res?.status()).toBe(200);
    // Once signed in, the code is checked with the server: this one belongs to nobody (test/community-app.test.ts
    // follows a real member's link through the consent screen).
    await expect.poll(() => screenTitle(), { timeout: 15_000 }).toBe('Người giới thiệu');
    await page.getByText('Mã giới thiệu không đúng hoặc đã được đổi. Bác hỏi lại người đã giới thiệu nhé.').waitFor();
    expect(await page.evaluate(() => localStorage.getItem('bhvs.ref'))).toBeNull();
    await page.getByRole('button', { name: 'Tiếp tục dùng trợ lý' }).click();
    await page.getByRole('button', { name: 'Bắt đầu học' }).waitFor();
    expect(await screenTitle()).toContain('VietQR');
    // Followed once: the tabs then go where they say, not back to the linked lesson.
    await tab('Tiến độ');
    expect(await screenTitle()).toBe('Tiến độ học');
    // A malformed id is ignored rather than opening a broken screen.
    await page.goto(`${base}/?lesson=../../etc`);
    await page.getByLabel('Câu hỏi của bác').waitFor();
  });

  it('inside Zalo (its user agent) identity comes from zmp-sdk, and storage falls back when nativeStorage is missing', async () => {
    // zmp-sdk's own desktop behaviour on a "localhost" host: getUserInfo gives its mock user, nativeStorage throws.
    const zalo = await browser.newContext({
      viewport: { width: 360, height: 740 },
      userAgent: 'Mozilla/5.0 (Linux; Android 12) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120 Mobile Safari/537.36 Zalo android/12345',
    });
    try {
      const zpage = await zalo.newPage();
      const errors: string[] = [];
      zpage.on('pageerror', (e) => errors.push(e.message));
      await zpage.goto(base.replace('127.0.0.1', 'localhost'));
      await zpage.getByLabel('Câu hỏi của bác').waitFor();
      await expect.poll(() => zpage.locator('.welcome').textContent()).toContain('Chào User Name');
      expect(await zpage.getByRole('note').count()).toBe(0);
      // Settings still persist (localStorage stands in for nativeStorage).
      await zpage.getByRole('navigation', { name: 'Chuyển màn hình' }).getByRole('button', { name: 'Cài đặt', exact: true }).click();
      await zpage.getByLabel('150%').check();
      expect(await zpage.evaluate(() => JSON.parse(localStorage.getItem('bhvs.settings') ?? '{}').textScale)).toBe(1.5);
      expect(errors).toEqual([]);
    } finally {
      await zalo.close();
    }
  });

  it('outside Zalo the identity is a clearly marked development identity', async () => {
    await open();
    expect(await page.getByRole('note').textContent()).toContain('Chế độ thử nghiệm');
  });

  it('renders what the server sends as text, never as markup', async () => {
    await open();
    await ask('<img src=x onerror="window.__pwned=1"> cach cai vneid');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('.bubble-user img').count()).toBe(0);
  });
  describe('a learner with an account on the server', () => {
    let outer: { app: FastifyInstance; base: string } | undefined;
    let closeOwn: (() => Promise<void>) | undefined;

    // A server of its own: a fresh database, and a budget of its own for sign-ins (the server allows 20 a minute per
    // address, and every browser context of this file signs in once).
    beforeAll(async () => {
      const own = await startAppAndBrowser({ miniAppDir: join(REPO_ROOT, 'mini-app', 'www'), rateLimitPerMinute: 10_000 });
      await own.browser.close();
      outer = { app, base };
      ({ app, base } = own);
      closeOwn = () => own.app.close();
    });

    afterAll(async () => {
      await closeOwn?.();
      if (outer) ({ app, base } = outer);
    });

    /** Opens a lesson by its deep link and goes through every step and the quiz, always choosing the first option. */
    async function completeLesson(id: string): Promise<void> {
      await page.goto(`${base}/?lesson=${id}`);
      await finishOpenLesson();
    }

    const finishOpenLesson = () => checks.finishOpenLesson(page, () => 0);

    async function serverProgress(token: string): Promise<{ id: string; stepsSeen: number; attempts: number; completedAt?: string }[]> {
      const res = await callApi('/api/progress', token);
      expect(res.status).toBe(200);
      return ((await res.json()) as { lessons: { id: string; stepsSeen: number; attempts: number; completedAt?: string }[] }).lessons;
    }

    const readOutbox = () => page.evaluate(() => JSON.parse(localStorage.getItem('bhvs.outbox') ?? '[]') as { kind: string; lessonId: string }[]);

    it('placement check: one question per screen, skippable, ends with a lesson and its reason, and is not offered again', async () => {
      await open();
      const token = await sessionToken();
      const offer = page.getByRole('heading', { name: 'Chọn bài hợp với bác' });
      await offer.waitFor();
      await shot('chat-placement-offer');
      expect(await axeViolations()).toEqual([]);
      expect(await go(page.getByRole('button', { name: 'Trả lời vài câu' }))).toBe('Chọn bài hợp với bác');

      // Option per question (null: "Bỏ qua câu này"): VNeID yes, payments skipped, public services not yet,
      // the scam call answered right, and payments as the goal.
      const picks = [0, null, 1, 2, 2];
      for (const [i, pick] of picks.entries()) {
        await expect.poll(() => page.locator('.progress-label').textContent()).toBe(`Câu ${i + 1}/${picks.length}`);
        expect(await page.locator('h2.question').count()).toBe(1);
        expect(await page.getByRole('button', { name: 'Nghe' }).count()).toBe(1);
        if (i === 0) {
          await shot('placement-question');
          expect(await axeViolations()).toEqual([]);
          expect(await layoutProblems()).toEqual([]);
        }
        if (pick === null) await page.getByRole('button', { name: 'Bỏ qua câu này' }).click();
        else await page.locator('.options button').nth(pick).click();
      }

      const suggestion = page.locator('.rec').first();
      await suggestion.waitFor();
      const title = (await suggestion.locator('.card-title').textContent())!.trim();
      expect(title.length).toBeGreaterThan(5);
      expect((await suggestion.locator('.rec-reason').textContent())!.trim().length).toBeGreaterThan(10);
      await shot('placement-done');
      expect(await axeViolations()).toEqual([]);
      expect(await layoutProblems()).toEqual([]);

      const me = (await (await callApi('/api/me', token)).json()) as { placementDone: boolean; goal: string | null };
      expect(me).toMatchObject({ placementDone: true, goal: 'thanh-toan' });

      // The suggestion opens its lesson; the offer is gone from the chat and from Progress.
      expect(await go(suggestion.getByRole('button'))).toBe(title);
      await tab('Hỏi đáp');
      await page.locator('.welcome').waitFor();
      expect(await offer.count()).toBe(0);
      await tab('Tiến độ');
      await page.locator('#next-heading').waitFor();
      expect(await offer.count()).toBe(0);
    });

    it('"Bỏ qua" on the placement offer puts it aside for good, and Progress shows the server\'s suggestions with reasons', async () => {
      await open();
      const token = await sessionToken();
      await tab('Tiến độ');
      await page.getByRole('heading', { name: 'Chọn bài hợp với bác' }).waitFor();
      await page.getByRole('button', { name: 'Bỏ qua', exact: true }).click();
      await expect.poll(() => page.getByRole('heading', { name: 'Chọn bài hợp với bác' }).count()).toBe(0);
      await expect.poll(async () => ((await (await callApi('/api/me', token)).json()) as { placementDone: boolean }).placementDone).toBe(true);

      const recs = (await (await callApi('/api/recommendations', token)).json()) as { next: { title: string; reason: string }; alternative?: { title: string } };
      const section = page.locator('section[aria-labelledby=next-heading]');
      await expect.poll(() => section.locator('.rec .card-title').first().textContent()).toBe(recs.next.title);
      expect(await section.locator('.rec-reason').first().textContent()).toBe(recs.next.reason);
      if (recs.alternative) expect(await section.locator('.rec .card-title').nth(1).textContent()).toBe(recs.alternative.title);
      await shot('progress-server-recommendations');
      expect(await axeViolations()).toEqual([]);
      expect(await layoutProblems()).toEqual([]);
    });

    it('progress is kept on the server: a new device with the same identity shows the finished lesson', async () => {
      await open();
      const token = await sessionToken();
      const devId = await page.evaluate(() => localStorage.getItem('bhvs.devId'));
      expect(devId).toMatch(/^dev-[a-z0-9]+$/);
      await completeLesson('dien-thoai-chu-to');
      // The server's result: its suggestion of what to learn next, with the reason.
      const nextUp = page.locator('.lesson-card .next-up');
      await nextUp.waitFor();
      expect((await nextUp.locator('.next-up-reason').textContent())!.trim().length).toBeGreaterThan(10);
      await shot('lesson-done-server');
      expect(await axeViolations()).toEqual([]);
      const onServer = (await serverProgress(token)).find((l) => l.id === 'dien-thoai-chu-to');
      expect(onServer).toMatchObject({ attempts: 1 });
      expect(onServer?.completedAt).toBeTruthy();
      expect(onServer?.stepsSeen).toBeGreaterThanOrEqual(3);

      // Another phone: nothing on the device but the same identity.
      const other = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'vi-VN' });
      try {
        await other.addInitScript((id) => localStorage.setItem('bhvs.devId', id), devId!);
        const fresh = await other.newPage();
        fresh.on('pageerror', (e) => pageErrors.push(e.message));
        await fresh.goto(base);
        await fresh.getByRole('navigation', { name: 'Chuyển màn hình' }).getByRole('button', { name: 'Tiến độ', exact: true }).click();
        await expect.poll(() => fresh.locator('.lead').textContent(), { timeout: 15_000 }).toMatch(/học xong 1 trên \d+ bài/);
        expect(await fresh.locator('.certificate').textContent()).toContain('Phóng to chữ');
      } finally {
        await other.close();
      }
    });

    it('chat for a signed-in learner: the missing prerequisite above the answer, and what to learn next with its reason', async () => {
      await open();
      const token = await sessionToken();
      const httpChats: string[] = [];
      page.on('request', (r) => {
        if (r.url().endsWith('/api/chat')) httpChats.push(r.headers().authorization ?? '');
      });
      await ask('cach quet ma vietqr');
      const answer = page.locator('article.answer').last();
      expect(await answer.locator('.cite button').textContent()).toContain('VietQR');
      const prerequisite = answer.locator('.prerequisite');
      // The first step a new learner can take on the way to the lesson asked about (VietQR needs bank transfers, which
      // need installing an app, which needs the phone online): the server names the first learnable one.
      expect(await prerequisite.textContent()).toContain('Kết nối Wi-Fi và bật 4G');
      // Above the answer's own text.
      expect(await answer.evaluate((el) => el.firstElementChild?.classList.contains('prerequisite'))).toBe(true);
      const nextUp = answer.locator('.next-up');
      expect(await nextUp.locator('.next-up-label').textContent()).toBe('Học tiếp');
      expect((await nextUp.locator('.next-up-reason').textContent())!.trim().length).toBeGreaterThan(10);
      await shot('chat-prerequisite');
      expect(await axeViolations()).toEqual([]);
      expect(await layoutProblems()).toEqual([]);
      expect(await go(prerequisite.getByRole('button'))).toBe('Kết nối Wi-Fi và bật 4G');

      // Over HTTP too (WebSocket refused), with the session in the Authorization header.
      await page.close();
      page = await context.newPage();
      page.on('pageerror', (e) => pageErrors.push(e.message));
      page.on('request', (r) => {
        if (r.url().endsWith('/api/chat')) httpChats.push(r.headers().authorization ?? '');
      });
      await page.routeWebSocket(/\/ws$/, (ws) => ws.close());
      await open();
      await ask('cach quet ma vietqr');
      expect(await page.locator('article.answer').last().locator('.prerequisite').count()).toBe(1);
      expect(httpChats).toEqual([`Bearer ${token}`]);
    });

    it('nothing is lost offline: steps and the quiz wait in storage and are sent when back online, a resent quiz counts once', async () => {
      await open();
      const token = await sessionToken();
      await page.goto(`${base}/?lesson=dien-thoai-chu-to`);
      await page.getByRole('button', { name: 'Bắt đầu học' }).waitFor();
      await context.setOffline(true);
      await finishOpenLesson();
      await page.getByText('Kết quả đã lưu trên máy này').waitFor();
      expect((await readOutbox()).map((o) => o.kind).sort()).toEqual(['quiz', 'steps']);
      expect(await serverProgress(token)).toEqual([]);
      await context.setOffline(false);
      await expect.poll(readOutbox, { timeout: 15_000 }).toEqual([]);
      expect((await serverProgress(token)).find((l) => l.id === 'dien-thoai-chu-to')).toMatchObject({ attempts: 1 });

      // The server records a quiz but its answer is lost on the way back: the app resends it on the next start,
      // with the same submission id, and the server counts it once.
      await page.route('**/api/progress/*/quiz', async (route) => {
        await route.fetch();
        await route.abort('connectionreset');
      });
      await completeLesson('dien-thoai-khoa-man-hinh');
      await page.getByText('Kết quả đã lưu trên máy này').waitFor();
      expect((await readOutbox()).map((o) => o.kind)).toEqual(['quiz']);
      expect((await serverProgress(token)).find((l) => l.id === 'dien-thoai-khoa-man-hinh')).toMatchObject({ attempts: 1 });
      await page.unroute('**/api/progress/*/quiz');
      await open();
      await expect.poll(readOutbox, { timeout: 15_000 }).toEqual([]);
      expect((await serverProgress(token)).find((l) => l.id === 'dien-thoai-khoa-man-hinh')).toMatchObject({ attempts: 1 });
    });

    it('"Xóa dữ liệu của tôi" says so when the server cannot be reached, keeps the device data, and erases both on retry', async () => {
      await open();
      const token = await sessionToken();
      await completeLesson('dien-thoai-chu-to');
      await page.locator('.lesson-card .next-up').waitFor();
      await page.route('**/api/me', (route) => (route.request().method() === 'DELETE' ? route.abort('connectionrefused') : route.continue()));
      await tab('Cài đặt');
      await page.getByRole('button', { name: 'Xóa dữ liệu của tôi' }).click();
      await page.getByRole('button', { name: 'Xóa hết' }).click();
      const failure = page.getByRole('alert');
      await failure.waitFor();
      expect(await failure.textContent()).toContain('Chưa xóa được');
      expect(await failure.textContent()).toContain('trên máy chủ vẫn còn');
      await shot('settings-delete-failed');
      expect(await axeViolations()).toEqual([]);
      expect(await page.evaluate(() => localStorage.getItem('bhvs.progress'))).toContain('dien-thoai-chu-to');
      expect((await callApi('/api/me', token)).status).toBe(200);

      await page.unroute('**/api/me');
      await failure.getByRole('button', { name: 'Thử lại' }).click();
      await page.getByText('Đã xóa dữ liệu của bác trên máy này và trên máy chủ của trợ lý.').waitFor();
      expect((await callApi('/api/me', token)).status).toBe(401);
      expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('bhvs.') && k !== 'bhvs.settings'))).toEqual([]);
    });

    it('a session the server no longer accepts is replaced by signing in again, over HTTP and over the WebSocket', async () => {
      await open();
      const first = await sessionToken();
      // As after the server forgot the session: a well-formed token it does not know, not yet expired on the device.
      const stale = 'A'.repeat(43);
      await page.evaluate((token) => {
        const saved = JSON.parse(localStorage.getItem('bhvs.session')!) as { token: string };
        localStorage.setItem('bhvs.session', JSON.stringify({ ...saved, token }));
      }, stale);
      await open();
      await expect.poll(async () => sessionToken(), { timeout: 15_000 }).not.toBe(stale);
      const renewed = await sessionToken();
      expect(renewed).not.toBe(first);
      expect((await callApi('/api/me', renewed)).status).toBe(200);
      // The socket is told the new session: the answer is personalised.
      await ask('cach quet ma vietqr');
      expect(await page.locator('article.answer').last().locator('.prerequisite').count()).toBe(1);
    });

    it('the ward and the learning goal chosen in Settings are saved to the account', async () => {
      await open();
      const token = await sessionToken();
      await tab('Cài đặt');
      await page.getByLabel('Phường, xã').selectOption('Phường Việt Trì');
      const goal = page.getByLabel('Chủ đề');
      await goal.waitFor();
      await goal.selectOption('an-toan');
      await expect
        .poll(async () => (await (await callApi('/api/me', token)).json()) as { area: unknown; goal: unknown })
        .toMatchObject({ area: { province: 'Phú Thọ', ward: 'Phường Việt Trì' }, goal: 'an-toan' });
      expect(await axeViolations()).toEqual([]);
      expect(await layoutProblems()).toEqual([]);
    });
  });
});
