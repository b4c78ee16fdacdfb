/**
 * The officers' console, the admin screen and live tips in the mini app: the production build served by the real
 * app on a real port with a real database, in headless Debian Chromium, with officers, admins and citizens as
 * separate browser contexts (each its own development identity). Roles are granted through the server's context,
 * as `npm run admin` does; the outbox is driven by hand (outboxIntervalMs: 0) so that a tip goes out exactly when a
 * test says. Screenshots land in test-results/screenshots/ (officer-*).
 */
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../bot-server/src/context.js';
import { browserSuiteTitle, SKIP_BROWSER, startAppAndBrowser } from './browser.js';
import {
  apiCall,
  axeViolations,
  closePhones,
  CONSOLE_LAYOUT,
  expectScreenOk,
  LARGE_TEXT_SMALL_SCREEN,
  measureLayout,
  newDevId,
  openPhone,
  type Phone,
  PHONES_APP,
  PROVINCE,
  screenTitle,
  sessionToken,
  shot,
  tab,
} from './page-checks.js';

const WARD_A = 'Phường Việt Trì';
const WARD_B = 'Phường Nông Trang';
const WARD_C = 'Phường Thanh Miếu';
const WARD_D = 'Phường Vân Phú';

/** Markup in a tip's text: it must show as these very characters, and never become elements or run. */
const XSS_TITLE = '<img src=x onerror=window.__xss=1> Cảnh giác';
const XSS_BODY =
  '<script>window.__xss=1</script> javascript:alert(1) <a href="javascript:window.__xss=1">Bấm vào đây</a> &lt;b&gt;đậm&lt;/b&gt; Không chuyển tiền cho người lạ gọi điện.';

describe.skipIf(SKIP_BROWSER)(browserSuiteTitle('officers\' console, admin screen and live tips in Chromium'), () => {
  let ctx: AppContext;
  let base: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ ctx, base, browser, close: stop } = await startAppAndBrowser(PHONES_APP));
  });

  afterAll(async () => {
    await stop?.();
  });

  afterEach(() => closePhones(contexts, pageErrors));

  /**
   * Someone with the app open: a development identity of their own (externalId 'dev:' + device id), optionally a
   * role granted before they open the app, a ward chosen on the device (sent to the server on sign-in), and
   * display settings.
   */
  async function person(
    opts: { role?: 'officer' | 'admin'; roleWard?: string; ward?: string; viewport?: { width: number; height: number }; settings?: object } = {},
  ): Promise<Phone> {
    const devId = newDevId();
    if (opts.role) await ctx.roles.grant('cli:test', `dev:${devId}`, opts.role, opts.role === 'admin' ? '' : opts.roleWard!);
    const phone = await openPhone({ browser, base, keep: contexts, pageErrors }, { devId, ward: opts.ward, viewport: opts.viewport, settings: opts.settings });
    await phone.page.getByLabel('Câu hỏi của bác').waitFor();
    return phone;
  }

  async function learner(externalId: string): Promise<{ id: string; ward: string | null }> {
    const [row] = await ctx.db.query<{ id: string; ward: string | null }>('SELECT id, ward FROM learners WHERE external_id = $1', [externalId]);
    return row!;
  }

  /** A citizen signed in, with their ward on the server and their app's socket attached for live tips. */
  async function citizenReady(p: Phone, ward: string): Promise<string> {
    await sessionToken(p.page);
    await expect.poll(async () => (await learner(p.externalId))?.ward, { timeout: 15_000 }).toBe(ward);
    const { id } = await learner(p.externalId);
    await expect.poll(() => ctx.hub.connectedLearners().includes(id), { timeout: 15_000 }).toBe(true);
    return id;
  }

  const callApi = (path: string, token: string, init?: RequestInit) => apiCall(base, path, token, init);

  /** Settings → "Mở trang cán bộ" → the console's first screen. */
  async function openConsole(page: Page): Promise<void> {
    await tab(page, 'Cài đặt');
    await page.getByRole('button', { name: 'Mở trang cán bộ' }).click({ timeout: 15_000 });
    await expect.poll(() => screenTitle(page)).toBe('Trang cán bộ phường, xã');
  }

  async function openTask(page: Page, button: string, title: string): Promise<void> {
    await page.getByRole('button', { name: button }).click();
    await expect.poll(() => screenTitle(page), { timeout: 15_000 }).toBe(title);
  }

  /** The same checks as the citizen screens': big targets, body text at least 18px, nothing wider than the screen. */
  const layoutProblems = (page: Page) => measureLayout(page, CONSOLE_LAYOUT);

  /** Nothing of a tip's text became an element or ran. */
  async function expectNoInjection(page: Page): Promise<void> {
    expect(
      await page.evaluate(() => ({
        ran: (window as unknown as { __xss?: unknown }).__xss ?? null,
        images: document.querySelectorAll('img[src="x"], img[onerror], [onerror]').length,
        scripts: [...document.scripts].filter((s) => s.textContent?.includes('__xss')).length,
        links: document.querySelectorAll('a[href^="javascript"]').length,
        bold: document.querySelectorAll('.tip b').length,
      })),
    ).toEqual({ ran: null, images: 0, scripts: 0, links: 0, bold: 0 });
  }

  /** The report figure under its label in a broadcast's card. */
  const figure = (page: Page, title: string, key: string) => page.locator('article.broadcast', { hasText: title }).locator(`dd[data-key="${key}"]`);

  it('an officer composes a scam alert, previews it exactly, sends it; a citizen of the ward gets it live and in the feed, and the report counts the opening', async () => {
    const citizen = await person({ ward: WARD_A });
    const citizenId = await citizenReady(citizen, WARD_A);
    const opened: string[] = [];
    citizen.page.on('request', (r) => {
      if (/\/api\/tips\/[^/]+\/opened$/.test(r.url())) opened.push(r.method());
    });

    const officer = await person({ role: 'officer', roleWard: WARD_A });
    await openConsole(officer.page);
    await shot(officer.page, 'officer-home');
    expect(await axeViolations(officer.page)).toEqual([]);
    await openTask(officer.page, 'Soạn tin gửi người dân', 'Soạn tin gửi người dân');
    const page = officer.page;

    // One ward in scope: offered alone, and already ticked.
    const wardBox = page.getByLabel(WARD_A);
    await wardBox.waitFor();
    expect(await wardBox.isChecked()).toBe(true);
    expect(await page.getByLabel(WARD_B).count()).toBe(0);

    await page.getByLabel('Tiêu đề').fill(XSS_TITLE);
    expect(await page.locator('#tip-title-count').textContent()).toBe(`${XSS_TITLE.length}/80 ký tự`);
    await page.getByLabel('Nội dung').fill(XSS_BODY);
    expect(await page.locator('#tip-body-count').textContent()).toBe(`${XSS_BODY.length}/500 ký tự`);
    await page.getByLabel('Cảnh báo lừa đảo').check();
    await shot(page, 'officer-compose');
    expect(await axeViolations(page)).toEqual([]);
    expect(await layoutProblems(page)).toEqual([]);

    await page.getByRole('button', { name: 'Xem trước' }).click();
    const preview = page.locator('.preview-frame');
    await preview.waitFor();
    // The citizen's own card, with the text exactly as typed.
    expect(await preview.locator('article.tip.tip-alert .safety-label').textContent()).toContain('Cảnh báo lừa đảo');
    expect(await preview.locator('.tip-title').textContent()).toBe(XSS_TITLE);
    expect(await preview.locator('.tip-body').textContent()).toBe(XSS_BODY);
    expect(await preview.locator('img, script, a, b').count()).toBe(0);
    await expectNoInjection(page);
    expect(await page.getByText('Cảnh báo lừa đảo được báo vào điện thoại ngay, kể cả ban đêm.').count()).toBe(1);
    await shot(page, 'officer-preview');
    expect(await axeViolations(page)).toEqual([]);
    expect(await layoutProblems(page)).toEqual([]);

    await page.getByRole('button', { name: 'Gửi', exact: true }).click();
    await page.getByText(`Đã gửi tin «${XSS_TITLE}».`).waitFor();
    const [sent] = await ctx.db.query<{ id: string }>('SELECT id FROM broadcasts WHERE title = $1', [XSS_TITLE]);
    expect(sent).toBeDefined();

    // The outbox's round: the citizen's open app gets the tip at once.
    expect((await ctx.outbox.runOnce()).fannedOut).toBe(1);
    const banner = citizen.page.locator('.live-tip');
    await banner.waitFor({ timeout: 10_000 });
    expect(await banner.getAttribute('role')).toBe('alert');
    expect(await banner.getAttribute('class')).toContain('live-tip-alert');
    expect(await banner.locator('.live-tip-label').textContent()).toBe('Tin mới: cảnh báo lừa đảo');
    expect(await banner.locator('.safety-label').textContent()).toContain('Cảnh báo lừa đảo');
    expect(await banner.locator('.tip-title').textContent()).toBe(XSS_TITLE);
    expect(await banner.locator('.tip-body').textContent()).toBe(XSS_BODY);
    await citizen.page.getByText(XSS_TITLE, { exact: true }).first().waitFor();
    expect(await citizen.page.locator('.nav-badge').textContent()).toBe('1');
    await expectNoInjection(citizen.page);
    // Different from a normal card: the danger border.
    const border = await banner.locator('article.tip').evaluate((el) => getComputedStyle(el).borderTopColor);
    expect(border).toBe(await citizen.page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--danger').trim()).then(hexToRgb));
    await shot(citizen.page, 'citizen-live-tip');
    expect(await axeViolations(citizen.page)).toEqual([]);
    expect(await layoutProblems(citizen.page)).toEqual([]);

    // Nobody opened it yet.
    const openedAt = async () => (await ctx.db.query<{ opened_at: unknown }>('SELECT opened_at FROM broadcast_deliveries WHERE broadcast_id = $1 AND learner_id = $2', [sent!.id, citizenId]))[0]?.opened_at ?? null;
    expect(await openedAt()).toBeNull();

    await citizen.page.getByRole('button', { name: 'Xem trong Tin báo' }).click();
    await expect.poll(() => screenTitle(citizen.page)).toBe('Tin báo và cảnh báo');
    const card = citizen.page.locator('.card-list article.tip', { hasText: XSS_TITLE });
    await card.waitFor();
    expect(await card.locator('.tip-body').textContent()).toBe(XSS_BODY);
    expect(await citizen.page.locator('.live-tip').count()).toBe(0);
    expect(await citizen.page.locator('.nav-badge').count()).toBe(0);
    await expectNoInjection(citizen.page);
    await expect.poll(openedAt, { timeout: 10_000 }).not.toBeNull();
    await shot(citizen.page, 'citizen-tips-feed');

    // Reopening the feed does not tell the server again (the feed says it was opened).
    await tab(citizen.page, 'Hỏi đáp');
    await tab(citizen.page, 'Tin báo');
    await card.waitFor();
    await citizen.page.waitForTimeout(500);
    expect(opened).toEqual(['POST']);

    // The officer's list: who was targeted, reached, and opened it.
    await page.getByRole('button', { name: 'Xem tin đã gửi' }).click();
    await expect.poll(() => screenTitle(page)).toBe('Tin đã gửi');
    await expect
      .poll(async () => {
        await page.getByRole('button', { name: 'Cập nhật số liệu' }).click();
        return figure(page, XSS_TITLE, 'opened').textContent();
      })
      .toBe('1');
    const item = page.locator('article.broadcast', { hasText: XSS_TITLE });
    const report = Object.fromEntries(
      await item.locator('dl.report > div').evaluateAll((divs) => divs.map((d) => [d.querySelector('dt')!.textContent, d.querySelector('dd')!.textContent])),
    );
    expect(report).toEqual({ 'Đã nhắm tới': '1', 'Đã gửi tới': '1', Lỗi: '0', 'Chỉ trong bảng tin': '0', 'Đang chờ': '0', 'Đã mở': '1' });
    expect(await item.locator('.badge').first().textContent()).toBe('Đã gửi');
    // A sent tip has no cancel button.
    expect(await item.getByRole('button', { name: 'Hủy tin này' }).count()).toBe(0);
    await expectNoInjection(page);
    await shot(page, 'officer-broadcasts');
    expect(await axeViolations(page)).toEqual([]);
    expect(await layoutProblems(page)).toEqual([]);
  });

  it('a normal live tip shows as a calm banner and joins the feed; malformed tip frames are ignored; lookalike markup stays text', async () => {
    // The real socket, with frames added by the test where the server would send a tip (quiet hours hold normal
    // tips back from live pushes, so the server cannot be relied on to send one at any time of day).
    const sockets: { send: (m: string) => void }[] = [];
    const citizenContext = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'vi-VN' });
    contexts.push(citizenContext);
    const page = await citizenContext.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.routeWebSocket(/\/ws$/, (ws) => {
      ws.connectToServer();
      sockets.push(ws);
    });
    await page.goto(base);
    await page.getByLabel('Câu hỏi của bác').waitFor();
    await sessionToken(page);
    await expect.poll(() => sockets.length).toBeGreaterThan(0);
    const push = (frame: unknown) => sockets.at(-1)!.send(JSON.stringify(frame));

    const tip = {
      id: crypto.randomUUID(),
      title: '<b>Lịch</b> hỗ trợ &amp; cài VNeID',
      body: 'Sáng thứ bảy <i>8 giờ</i> tại nhà văn hóa khu 3.\nMang theo căn cước.',
      priority: 'normal',
      publishedAt: new Date().toISOString(),
    };
    push({ type: 'tip', tip: { id: 1, title: 'x' } });
    push({ type: 'tip', tip: { ...tip, priority: '<b>urgent</b>' } });
    push({ type: 'tip' });
    await page.waitForTimeout(300);
    expect(await page.locator('.live-tip').count()).toBe(0);

    push({ type: 'tip', tip });
    const banner = page.locator('.live-tip');
    await banner.waitFor();
    expect(await banner.getAttribute('role')).toBe('status');
    expect(await banner.getAttribute('class')).toBe('live-tip');
    expect(await banner.locator('.live-tip-label').textContent()).toBe('Tin mới từ phường, xã');
    expect(await banner.locator('.safety-label').count()).toBe(0);
    expect(await banner.locator('.tip-title').textContent()).toBe(tip.title);
    expect(await banner.locator('.tip-body').textContent()).toBe(tip.body);
    expect(await banner.locator('b, i').count()).toBe(0);
    await expectNoInjection(page);
    await shot(page, 'citizen-live-tip-normal');

    // Put away: the banner goes, the tab still counts it.
    await banner.getByRole('button', { name: 'Đóng' }).click();
    expect(await page.locator('.live-tip').count()).toBe(0);
    expect(await page.locator('.nav-badge').textContent()).toBe('1');
    expect(await page.getByRole('button', { name: 'Tin báo', exact: true }).getAttribute('aria-describedby')).toBe('tips-badge');
    expect(await page.locator('#tips-badge').textContent()).toBe('1 tin mới');
    await tab(page, 'Tin báo');
    const card = page.locator('.card-list article.tip', { hasText: 'hỗ trợ' });
    await card.waitFor();
    expect(await card.locator('.tip-title').textContent()).toBe(tip.title);
    expect(await page.locator('.nav-badge').count()).toBe(0);
  });

  it('the server\'s problems are listed next to the form; a normal tip set for the night says it waits until 08:00; a scheduled tip can be cancelled', async () => {
    const officer = await person({ role: 'officer', roleWard: WARD_D });
    const page = officer.page;
    await openConsole(page);
    await openTask(page, 'Soạn tin gửi người dân', 'Soạn tin gửi người dân');
    await page.getByLabel('Tiêu đề').fill('ab');
    await page.getByLabel('Nội dung').fill('Từ tháng sau, xem hướng dẫn tại https://vi-pham.xyz/vneid nhé bà con.');
    await page.getByRole('button', { name: 'Xem trước' }).click();
    const problems = page.locator('.problems');
    await problems.waitFor();
    expect(await problems.getAttribute('role')).toBe('alert');
    expect(await problems.textContent()).toContain('Tiêu đề: từ 3 đến 80 ký tự');
    expect(await page.locator('#tip-title-count').textContent()).toBe('2/80 ký tự (cần ít nhất 3 ký tự)');

    await page.getByLabel('Tiêu đề').fill('Cập nhật VNeID mức 2');
    await page.getByRole('button', { name: 'Xem trước' }).click();
    await expect.poll(() => problems.textContent()).toContain('"vi-pham.xyz" không được phép');
    await shot(page, 'officer-compose-problems');
    expect(await axeViolations(page)).toEqual([]);

    // Tomorrow at 23:00 Vietnam time: within the quiet hours, so it is pushed at 08:00 the day after.
    const vn = (days: number) => new Date(Date.now() + 7 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
    const ddmmyyyy = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
    await page.getByLabel('Nội dung').fill('Từ tháng sau, xem hướng dẫn tại https://dichvucong.gov.vn nhé bà con.');
    await page.getByLabel('Hẹn giờ gửi').check();
    await page.getByLabel('Ngày giờ gửi (giờ Việt Nam)').fill(`${vn(1)}T23:00`);
    await page.getByRole('button', { name: 'Xem trước' }).click();
    const quiet = page.locator('.quiet-hours');
    await quiet.waitFor();
    expect(await quiet.textContent()).toContain('từ 22:00 đến 08:00');
    expect(await quiet.textContent()).toContain(`lúc 08:00 ngày ${ddmmyyyy(vn(2))}`);
    expect(await page.getByText(`Vào mục Tin báo lúc 23:00 ngày ${ddmmyyyy(vn(1))} (giờ Việt Nam).`).count()).toBe(1);
    expect(await page.locator('.preview-frame article.tip-alert').count()).toBe(0);
    await shot(page, 'officer-preview-quiet-hours');

    await page.getByRole('button', { name: 'Gửi', exact: true }).click();
    await page.getByText(`Đã hẹn gửi tin «Cập nhật VNeID mức 2» lúc 23:00 ngày ${ddmmyyyy(vn(1))}.`).waitFor();
    await page.getByRole('button', { name: 'Xem tin đã gửi' }).click();
    const item = page.locator('article.broadcast', { hasText: 'Cập nhật VNeID mức 2' });
    await item.waitFor();
    expect(await item.locator('.badge').first().textContent()).toBe('Đã hẹn giờ');
    await item.getByRole('button', { name: 'Hủy tin này' }).click();
    const confirm = item.getByRole('alertdialog');
    expect(await confirm.textContent()).toContain('Bác chắc chắn muốn hủy tin');
    await shot(page, 'officer-cancel-confirm');
    await confirm.getByRole('button', { name: 'Hủy tin', exact: true }).click();
    await expect.poll(() => item.locator('.badge').first().textContent()).toBe('Đã hủy');
    expect(await item.getByRole('button', { name: 'Hủy tin này' }).count()).toBe(0);
    const [row] = await ctx.db.query<{ status: string }>(`SELECT status FROM broadcasts WHERE title = 'Cập nhật VNeID mức 2'`);
    expect(row?.status).toBe('cancelled');
  });

  it('an officer of one ward is not offered another, and forcing it gets the server\'s Vietnamese refusal; a citizen sees no console until granted', async () => {
    const officer = await person({ role: 'officer', roleWard: WARD_B });
    const page = officer.page;
    const token = await sessionToken(page);
    await openConsole(page);
    await openTask(page, 'Soạn tin gửi người dân', 'Soạn tin gửi người dân');
    await page.getByLabel(WARD_B).waitFor();
    expect(await page.getByLabel(WARD_A).count()).toBe(0);
    expect(await page.locator('input[type=checkbox]').count()).toBe(1);

    // Forced: the request leaves the app addressed to ward A.
    await page.route('**/api/officer/broadcasts/preview', (route) => {
      const body = JSON.parse(route.request().postData()!) as { audience: { wards: string[] } };
      body.audience.wards = [WARD_A];
      return route.continue({ postData: JSON.stringify(body) });
    });
    await page.getByLabel('Tiêu đề').fill('Lịch hỗ trợ cài VNeID');
    await page.getByLabel('Nội dung').fill('Sáng thứ bảy tại nhà văn hóa khu 3, có cán bộ hỗ trợ cài VNeID.');
    await page.getByRole('button', { name: 'Xem trước' }).click();
    await expect.poll(() => page.locator('.problems').textContent()).toContain('Bác chỉ gửi được tin cho phường, xã mình phụ trách.');
    await shot(page, 'officer-out-of-scope');

    const send = await callApi('/api/officer/broadcasts', token, {
      method: 'POST',
      body: JSON.stringify({ title: 'Lịch hỗ trợ', body: 'Sáng thứ bảy tại nhà văn hóa khu 3.', priority: 'normal', audience: { wards: [WARD_A] } }),
    });
    expect(send.status).toBe(403);
    expect(await send.json()).toEqual({ error: 'Bác chỉ gửi được tin cho phường, xã mình phụ trách.', code: 'OUT_OF_SCOPE' });
    const dash = await callApi(`/api/officer/dashboard?${new URLSearchParams({ ward: WARD_A })}`, token);
    expect(dash.status).toBe(403);
    expect(((await dash.json()) as { error: string }).error).toBe('Bác chỉ xem được số liệu của phường, xã mình phụ trách.');
    // The dashboard offers no ward picker for a single ward, and no admin screen to an officer.
    await page.unroute('**/api/officer/broadcasts/preview');
    await page.getByRole('button', { name: 'Về trang cán bộ' }).click();
    await expect.poll(() => screenTitle(page)).toBe('Trang cán bộ phường, xã');
    expect(await page.getByRole('button', { name: /Quản lý quyền/ }).count()).toBe(0);

    // A citizen: no entry in Settings, and the server refuses the console's API.
    const citizen = await person({ ward: WARD_B });
    const citizenToken = await sessionToken(citizen.page);
    await tab(citizen.page, 'Cài đặt');
    await citizen.page.getByLabel('Phường, xã').waitFor();
    expect(await citizen.page.getByRole('button', { name: 'Mở trang cán bộ' }).count()).toBe(0);
    expect(await citizen.page.getByText('Dành cho cán bộ phường, xã').count()).toBe(0);
    const refused = await callApi('/api/officer/scope', citizenToken);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: 'FORBIDDEN', error: 'Tài khoản của bác không có quyền làm việc này.' });

    // Granted while the app is open: Settings shows the entry the next time it is opened, without signing in again.
    await ctx.roles.grant('cli:test', citizen.externalId, 'officer', WARD_B);
    await tab(citizen.page, 'Hỏi đáp');
    await openConsole(citizen.page);
  });

  it('the admin screen grants and revokes a role, and the audit log shows both', async () => {
    const admin = await person({ role: 'admin' });
    const page = admin.page;
    await tab(page, 'Cài đặt');
    await page.getByRole('button', { name: 'Quản lý quyền' }).click({ timeout: 15_000 });
    await expect.poll(() => screenTitle(page)).toBe('Quản lý quyền');
    await page.getByRole('heading', { name: 'Nhật ký thao tác' }).waitFor();

    // A malformed id is caught before it is sent.
    await page.getByLabel('Mã tài khoản Zalo').fill('zalo 12 34');
    await page.getByRole('button', { name: 'Cấp quyền' }).click();
    await page.getByText('Mã tài khoản chưa đúng').waitFor();

    await page.getByLabel('Mã tài khoản Zalo').fill('987654321');
    await page.getByLabel('Vai trò').selectOption('officer');
    await page.getByLabel('Phường, xã').selectOption(WARD_C);
    await page.getByRole('button', { name: 'Cấp quyền' }).click();
    await page.getByText(`Đã cấp quyền Cán bộ phường, xã (${WARD_C}) cho zalo:987654321.`).waitFor();
    expect(await ctx.roles.list()).toContainEqual(expect.objectContaining({ externalId: 'zalo:987654321', role: 'officer', ward: WARD_C }));
    const grant = page.locator('ul.grants li', { hasText: 'zalo:987654321' });
    await grant.waitFor();
    expect(await grant.textContent()).toContain(`Cán bộ phường, xã (${WARD_C})`);
    const entry = page.locator('ul.audit li').first();
    await expect.poll(() => entry.textContent()).toContain('Cấp quyền: zalo:987654321');
    expect(await entry.textContent()).toContain(`phường, xã: ${WARD_C}`);
    expect(await entry.textContent()).toContain(`bởi ${admin.externalId}`);
    await shot(page, 'admin-granted');
    expect(await axeViolations(page)).toEqual([]);
    expect(await layoutProblems(page)).toEqual([]);

    await grant.getByRole('button', { name: 'Thu hồi' }).click();
    await grant.getByRole('button', { name: 'Thu hồi quyền' }).click();
    await expect.poll(() => page.locator('ul.grants li', { hasText: 'zalo:987654321' }).count()).toBe(0);
    await expect.poll(() => page.locator('ul.audit li').first().textContent()).toContain('Thu hồi quyền: zalo:987654321');
    expect((await ctx.roles.list()).some((g) => g.externalId === 'zalo:987654321')).toBe(false);
  });

  it('the dashboard draws its charts with the numbers as text, lists the week\'s questions, and the CSV report downloads', async () => {
    // A resident of ward C at the basic level (a mastered lesson in each group), who asked a question this week.
    const resident = `dev:${newDevId()}`;
    const { learner: l, token } = await ctx.learners.signIn(resident, 'Cư dân');
    await ctx.learners.updateProfile(l.id, { area: { province: PROVINCE, ward: WARD_C } });
    for (const topic of ['dien-thoai', 'vneid', 'an-toan'] as const) {
      await ctx.db.query(
        `INSERT INTO lesson_progress (learner_id, lesson_id, steps_seen, mastery, attempts, completed_at, mastered_at) VALUES ($1, $2, 3, 0.95, 1, now(), now())`,
        [l.id, ctx.catalog.inTopic(topic)[0]!.id],
      );
    }
    // Asked twice: the dashboard lists only questions asked at least twice.
    for (let i = 0; i < 2; i++) {
      const asked = await callApi('/api/chat', token, { method: 'POST', body: JSON.stringify({ message: 'cach kich hoat vneid muc 2' }) });
      expect(asked.status).toBe(200);
    }
    await ctx.questionStats.flush();

    const officer = await person({ role: 'officer', roleWard: WARD_C });
    const page = officer.page;
    const officerToken = await sessionToken(page);
    const expected = (await (await callApi('/api/officer/dashboard', officerToken)).json()) as {
      wards: { ward: string; basic: number; adults: number; share: number; missing: { 2025: number; 2026: number } }[];
      topQuestions: { question: string }[];
    };
    const ward = expected.wards[0]!;
    expect(ward).toMatchObject({ ward: WARD_C, basic: 1 });
    expect(expected.topQuestions.length).toBeGreaterThan(0);

    await openConsole(page);
    await openTask(page, 'Số liệu và báo cáo', 'Số liệu và báo cáo');
    const shareChart = page.locator('svg[aria-labelledby="share-chart-title share-chart-desc"]');
    await shareChart.waitFor();
    const chartTexts = await shareChart.locator('text').allTextContents();
    expect(chartTexts).toContain(WARD_C);
    expect(chartTexts).toContain('Chỉ tiêu 2025: 80%');
    expect(chartTexts).toContain('Chỉ tiêu 2026: 100%');
    expect(await shareChart.locator('rect.chart-bar').count()).toBe(1);
    expect(await shareChart.locator('line.chart-target').count()).toBe(2);
    // The same figures written out.
    const card = page.locator('.ward-figures li', { hasText: WARD_C });
    const n = (x: number) => x.toLocaleString('vi-VN');
    expect(await card.textContent()).toContain(`${n(ward.basic)} trên ${n(ward.adults)} người trưởng thành`);
    expect(await card.textContent()).toContain(`Còn thiếu ${n(ward.missing[2025])} người để đạt chỉ tiêu 2025, ${n(ward.missing[2026])} người để đạt chỉ tiêu 2026.`);
    const sharePercent = (await card.locator('strong').textContent())!;
    expect(chartTexts).toContain(sharePercent);
    expect(await page.locator('dl.figures').textContent()).toContain('Còn thiếu để đạt chỉ tiêu 2025');

    const trend = page.locator('svg[aria-labelledby="trend-chart-title trend-chart-desc"]');
    expect(await trend.locator('polyline').count()).toBe(2);
    expect(await trend.locator('circle').count()).toBe(12);
    expect(await trend.locator('desc').textContent()).toContain('1 đạt mức cơ bản');
    expect(await page.locator('.top-questions li').first().textContent()).toContain(expected.topQuestions[0]!.question);
    await shot(page, 'officer-dashboard');
    expect(await axeViolations(page)).toEqual([]);
    expect(await layoutProblems(page)).toEqual([]);

    // The CSV: fetched with the session, handed to the browser as a file, and shown as a table.
    const quarter = page.getByLabel('Quý', { exact: true });
    const chosen = await quarter.inputValue();
    expect(chosen).toMatch(/^\d{4}-Q[1-4]$/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Tải báo cáo CSV' }).click()]);
    expect(download.suggestedFilename()).toBe(`bao-cao-binh-dan-hoc-vu-so-${chosen}.csv`);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.startsWith('\uFEFF"Tỉnh","Phường/xã","Quý"')).toBe(true);
    expect(csv).toContain(`"${PROVINCE}","${WARD_C}","${chosen}"`);
    const table = page.locator('table.data-table');
    await table.waitFor();
    expect(await table.locator('th').first().textContent()).toBe('Tỉnh');
    expect(await table.locator('tbody tr').first().textContent()).toContain(WARD_C);
    const audit = await ctx.db.query<{ actor: string; target: string }>(`SELECT actor, target FROM audit_log WHERE action = 'report.export'`);
    expect(audit).toContainEqual({ actor: officer.externalId, target: chosen });
    await shot(page, 'officer-report');
    expect(await layoutProblems(page)).toEqual([]);
  });

  it('the new screens at 200% text on a 320px screen in high contrast: big targets, no sideways scrolling, enhanced contrast', async () => {
    const admin = await person({ role: 'admin', ...LARGE_TEXT_SMALL_SCREEN });
    const page = admin.page;
    expect(await page.evaluate(() => document.documentElement.classList.contains('high-contrast'))).toBe(true);
    const check = (name: string) => expectScreenOk(page, name, { shot: `officer-large-${name}`, layout: CONSOLE_LAYOUT, enhancedContrast: true });
    await tab(page, 'Cài đặt');
    await page.getByRole('button', { name: 'Mở trang cán bộ' }).waitFor({ timeout: 15_000 });
    await check('settings');
    await openConsole(page);
    await check('home');
    await openTask(page, 'Soạn tin gửi người dân', 'Soạn tin gửi người dân');
    await page.getByLabel(WARD_A).waitFor();
    await page.getByLabel(WARD_A).check();
    await page.getByLabel('Tiêu đề').fill('Cảnh giác cuộc gọi giả danh công an');
    await page.getByLabel('Nội dung').fill('Công an không bao giờ gọi điện yêu cầu chuyển tiền. Xem thêm tại https://bocongan.gov.vn');
    await page.getByLabel('Chỉ người chưa học xong một bài').check();
    await page.getByLabel('Bài chưa học xong').selectOption({ index: 1 });
    await page.getByLabel('Hẹn giờ gửi').check();
    await check('compose');
    await page.getByRole('button', { name: 'Xem trước' }).click();
    await page.locator('.preview-frame').waitFor();
    await check('preview');
    await page.getByRole('button', { name: 'Gửi', exact: true }).click();
    await page.getByText(/Đã hẹn gửi tin/).waitFor();
    await page.getByRole('button', { name: 'Xem tin đã gửi' }).click();
    await page.locator('article.broadcast').first().waitFor();
    await check('broadcasts');
    await page.getByRole('button', { name: 'Về trang cán bộ' }).click();
    await openTask(page, 'Số liệu và báo cáo', 'Số liệu và báo cáo');
    await page.locator('svg[aria-labelledby="share-chart-title share-chart-desc"]').waitFor();
    await check('dashboard');
    await page.getByRole('button', { name: 'Về trang cán bộ' }).click();
    await openTask(page, 'Quản lý quyền', 'Quản lý quyền');
    await page.locator('ul.audit li').first().waitFor();
    await check('admin');
  });
});

/** "#b91c1c" → "rgb(185, 28, 28)", as getComputedStyle reports colours. */
function hexToRgb(hex: string): string {
  const n = parseInt(hex.replace('#', ''), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
}
