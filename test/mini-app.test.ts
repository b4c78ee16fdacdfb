/**
 * The citizen mini app: the production build (mini-app/www, built by test/global-setup.ts) served by the real
 * app on a real port with a real database, in headless Debian Chromium. Nothing of ours is intercepted; only
 * the browser's speech voices and the WebSocket link are altered where a test says so.
 * Screenshots of every screen go to test-results/screenshots/ for review.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../bot-server/src/config.js';
import { browserSuiteTitle, SKIP_BROWSER, startAppAndBrowser } from './browser.js';

const SHOTS = join(REPO_ROOT, 'test-results', 'screenshots');
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

describe.skipIf(SKIP_BROWSER)(browserSuiteTitle('citizen mini app in Chromium'), () => {
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];

  let stop: () => Promise<void>;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
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

  /** The title of the screen on show, once the previous screen has left the page. */
  async function screenTitle(): Promise<string> {
    const h1 = page.locator('.screen-header h1');
    await expect.poll(() => h1.count()).toBe(1);
    return (await h1.textContent()) ?? '';
  }

  async function tab(name: string): Promise<void> {
    await page.getByRole('navigation', { name: 'Chuyển màn hình' }).getByRole('button', { name, exact: true }).click();
    await screenTitle();
  }

  /** Clicks something that opens another screen and waits until that screen alone is shown. */
  async function go(target: ReturnType<Page['locator']>): Promise<string> {
    await target.click();
    await expect.poll(() => page.locator('.screen-header h1').count()).toBe(1);
    return screenTitle();
  }

  /** The whole screen, not only what fits the viewport: the page scrolls inside .zaui-page, so it is unrolled. */
  async function shot(name: string): Promise<void> {
    const unroll = 'html,body,#app,#app *:has(.zaui-page),.zaui-page{height:auto!important;overflow:visible!important}.bottom-nav{position:static!important}';
    const style = await page.addStyleTag({ content: unroll });
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
    await style.evaluate((el) => (el as Element).remove());
  }

  async function axeViolations(opts: { enhancedContrast?: boolean } = {}): Promise<AxeViolation[]> {
    await page.addScriptTag({ content: AXE_SOURCE });
    const results = await page.evaluate(async (enhanced) => {
      const axe = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
      return axe.run(document, {
        resultTypes: ['violations'],
        rules: enhanced ? { 'color-contrast-enhanced': { enabled: true } } : {},
      });
    }, opts.enhancedContrast ?? false);
    return results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical' || (opts.enhancedContrast && v.id === 'color-contrast-enhanced'))
      .map((v) => ({ ...v, nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target })) }));
  }

  /** Small targets and small body text, measured on the rendered page. */
  async function layoutProblems(): Promise<string[]> {
    return page.evaluate(() => {
      const problems: string[] = [];
      const visible = (el: Element) => {
        const r = el.getBoundingClientRect();
        const s = getComputedStyle(el);
        return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && !el.closest('.sr-only');
      };
      for (const el of document.querySelectorAll('button, a, select, textarea, summary, label.seg, label.toggle')) {
        if (!visible(el) || el.closest('p, li')?.matches('.sources li')) continue;
        const r = el.getBoundingClientRect();
        if (r.height < 47.5 || r.width < 47.5) problems.push(`small target ${Math.round(r.width)}x${Math.round(r.height)}: ${el.textContent?.trim().slice(0, 30)}`);
      }
      for (const el of document.querySelectorAll('.screen-body p, .screen-body li')) {
        if (!visible(el) || el.closest('.sources')) continue;
        const size = parseFloat(getComputedStyle(el).fontSize);
        if (size < 17.9) problems.push(`small text ${size}px: ${el.textContent?.trim().slice(0, 30)}`);
      }
      if (document.documentElement.scrollWidth > window.innerWidth + 1) problems.push(`horizontal scroll: ${document.documentElement.scrollWidth}px wide`);
      const pageEl = document.querySelector('.zaui-page');
      if (pageEl && pageEl.scrollWidth > pageEl.clientWidth + 1) problems.push(`page scrolls sideways: ${pageEl.scrollWidth}px`);
      return problems;
    });
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
    await page.getByRole('button', { name: 'Xóa hết' }).click();
    await page.getByText('Đã xóa dữ liệu của bác trên máy này.').waitFor();
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

  it('deep links: ?lesson=ID opens that lesson and ?ref=CODE is remembered', async () => {
    const res = await page.goto(`${base}/?lesson=thanh-toan-vietqr&ref=TEAM-abc123`);
    expect(res?.status()).toBe(200);
    await page.getByRole('button', { name: 'Bắt đầu học' }).waitFor();
    expect(await screenTitle()).toContain('VietQR');
    expect(await page.evaluate(() => localStorage.getItem('bhvs.ref'))).toBe('TEAM-abc123');
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
});
