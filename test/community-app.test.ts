/**
 * The community screens of the mini app (Tổ công nghệ số cộng đồng): the production build served by the real app on
 * a real port with a real database, in headless Debian Chromium, with the member, each neighbour and the officer as
 * separate browser contexts (each its own development identity). Teams are set up through the server's context, as
 * an officer's console would; neighbours arrive through the member's real link (`/?ref=CODE`) read off the member's
 * screen, and the card's QR code is decoded back from the PNG the app draws. Screenshots land in
 * test-results/screenshots/ (community-*).
 *
 * Development sign-in names everyone "Người dùng thử"; the test renames people in the database after they signed in
 * (sessions last an hour and are reused on reload, so the name stays) to tell them apart on screen.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import jsQRImport from 'jsqr';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../bot-server/src/context.js';
import { browserSuiteTitle, SKIP_BROWSER, startAppAndBrowser } from './browser.js';
import {
  apiCall,
  closePhones,
  CONSOLE_LAYOUT,
  expectScreenOk,
  finishOpenLesson,
  LARGE_TEXT_SMALL_SCREEN,
  type LayoutRules,
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

// jsqr is CommonJS typed with an ES default: under Node's ESM loader the default import is the function itself.
const jsQR = jsQRImport as unknown as (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;

const WARD_A = 'Phường Việt Trì';
const WARD_B = 'Phường Nông Trang';
const WARD_C = 'Phường Thanh Miếu';
const TEAM_A = 'Tổ công nghệ số khu 3';
const MEMBER_NAME = 'Nguyễn Thị Lan';
const SHARE = 'Đồng ý, cho anh/chị ấy xem tiến độ học của tôi để giúp tôi';
const LINK_ONLY = 'Chỉ ghi nhận người giới thiệu, không cho xem tiến độ';
const NO_THANKS = 'Không, cảm ơn';
/** Lessons of the three groups of the basic level (bot-server/src/dashboard/basic-level.ts). */
const BASIC_LESSONS = ['dien-thoai-chu-to', 'an-toan-otp', 'vneid-gioi-thieu'];
/** As on the other screens: big targets, body text at least 18px, nothing wider than the screen; ticked options too. */
const COMMUNITY_LAYOUT: LayoutRules = { ...CONSOLE_LAYOUT, targets: `${CONSOLE_LAYOUT.targets}, label.check-option` };

describe.skipIf(SKIP_BROWSER)(browserSuiteTitle('community team screens in Chromium'), () => {
  let ctx: AppContext;
  let base: string;
  let browser: Browser;
  /** Closed after each test, except those of the referral story, which its tests share. */
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

  /** A phone with the app: its own development identity, display settings, opened at `path` (a member's link, say). */
  async function person(
    opts: { devId?: string; path?: string; ward?: string; viewport?: { width: number; height: number }; settings?: object; keep?: BrowserContext[] } = {},
  ): Promise<Phone> {
    const { keep = contexts, ...phone } = opts;
    return openPhone({ browser, base, keep, pageErrors }, { ...phone, devId: opts.devId ?? newDevId(), clipboard: true });
  }

  /** Signed in, then given a name of their own (see the file's comment). */
  async function signedInAs(p: Phone, name: string): Promise<string> {
    const token = await sessionToken(p.page);
    await ctx.db.query('UPDATE learners SET display_name = $2 WHERE external_id = $1', [p.externalId, name]);
    return token;
  }

  async function learnerId(externalId: string): Promise<string> {
    const [row] = await ctx.db.query<{ id: string }>('SELECT id FROM learners WHERE external_id = $1', [externalId]);
    return row!.id;
  }

  const callApi = (path: string, token: string, init?: RequestInit) => apiCall(base, path, token, init);

  /** A quiz sent straight to the API as this learner: all right, or all wrong. */
  async function passQuiz(token: string, lessonId: string, right = true): Promise<void> {
    const lesson = ctx.catalog.get(lessonId)!;
    const answers = lesson.quiz.map((q) => (right ? q.answer : (q.answer + 1) % q.options.length));
    const res = await callApi(`/api/progress/${lessonId}/quiz`, token, {
      method: 'POST',
      body: JSON.stringify({ submissionId: `t-${randomBytes(6).toString('hex')}`, answers }),
    });
    expect(res.status).toBe(200);
  }

  async function go(page: Page, button: string, title: string): Promise<void> {
    await page.getByRole('button', { name: button, exact: true }).click({ timeout: 15_000 });
    await expect.poll(() => screenTitle(page), { timeout: 15_000 }).toBe(title);
  }

  /** Settings → "Mở trang Đại sứ số". */
  async function openMemberPage(page: Page): Promise<void> {
    await tab(page, 'Cài đặt');
    await go(page, 'Mở trang Đại sứ số', 'Trang Đại sứ số');
  }

  async function openConsoleTask(page: Page, task: string): Promise<void> {
    await tab(page, 'Cài đặt');
    await go(page, 'Mở trang cán bộ', 'Trang cán bộ phường, xã');
    await page.getByRole('button', { name: new RegExp(`^${task}`) }).click();
    await expect.poll(() => screenTitle(page), { timeout: 15_000 }).toBe(task);
  }

  const check = (page: Page, name: string, opts: { enhancedContrast?: boolean } = {}) =>
    expectScreenOk(page, name, { shot: `community-${name}`, layout: COMMUNITY_LAYOUT, ...opts });

  /** The QR code in a PNG, decoded in Node. */
  function decodeQr(png: Buffer): { text: string | null; width: number; height: number } {
    const image = PNG.sync.read(png);
    const found = jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length), image.width, image.height);
    return { text: found?.data ?? null, width: image.width, height: image.height };
  }

  /** The card exactly as drawn on the member's screen. */
  async function cardPng(page: Page): Promise<Buffer> {
    const card = page.locator('canvas.referral-card[data-ready="true"]');
    await card.waitFor({ timeout: 15_000 });
    const dataUrl = await card.evaluate((c) => (c as HTMLCanvasElement).toDataURL('image/png'));
    return Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ''), 'base64');
  }

  /** A team with one member, set up as an officer would, through the server's context. */
  async function team(name: string, ward: string): Promise<string> {
    return ctx.teams.create('cli:test', name, ward);
  }

  /** The mentee card of this name on the member's screen, after asking for the list again. */
  async function menteeCard(page: Page, name: string) {
    await page.getByRole('button', { name: 'Cập nhật danh sách' }).click();
    return page.locator('article.mentee', { has: page.getByRole('heading', { name, exact: true }) });
  }

  /** Opens a lesson by its deep link and goes through every step and the quiz, answering right. */
  async function learnLesson(page: Page, lessonId: string): Promise<void> {
    const lesson = ctx.catalog.get(lessonId)!;
    await page.goto(`${base}/?lesson=${lessonId}`);
    await finishOpenLesson(page, (i) => lesson.quiz[i]!.answer);
  }

  describe('a member brings neighbours through their link', () => {
    /** Shared by the tests of this story, closed at its end. */
    const story: BrowserContext[] = [];
    let member: Phone;
    let memberToken: string;
    let link = '';
    let code = '';
    const neighbours: Record<'hoa' | 'tuan' | 'binh', Phone | undefined> = { hoa: undefined, tuan: undefined, binh: undefined };
    let hoaToken = '';

    afterAll(async () => {
      for (const c of story) await c.close();
    });

    it('the member\'s page shows their link and draws a printable A6 card whose QR code decodes to that link', async () => {
      const teamId = await team(TEAM_A, WARD_A);
      const devId = newDevId();
      await ctx.teams.addMember('cli:test', teamId, `dev:${devId}`);
      member = await person({ devId, keep: story });
      memberToken = await signedInAs(member, MEMBER_NAME);
      const page = member.page;

      await openMemberPage(page);
      code = (await ctx.db.query<{ referral_code: string }>('SELECT referral_code FROM team_members WHERE team_id = $1', [teamId]))[0]!.referral_code;
      const linkText = page.locator('.referral-link');
      await linkText.waitFor();
      link = (await linkText.textContent())!;
      expect(link).toBe(`${base}/?ref=${code}`);
      expect(await page.locator('.lead').first().textContent()).toBe(`${TEAM_A}, ${WARD_A}`);
      expect(await page.locator('.target-text').textContent()).toContain('0/5 người');
      expect(await page.locator('.big-code').first().textContent()).toBe(code.replace(/(.{4})(?=.)/g, '$1 '));
      await page.getByText('Chưa có ai.').waitFor();

      // The card on screen: A6 at 300 dpi, and its QR code is the link.
      const drawn = decodeQr(await cardPng(page));
      expect([drawn.width, drawn.height]).toEqual([1240, 1748]);
      expect(drawn.text).toBe(link);
      expect(await page.locator('canvas.referral-card').getAttribute('aria-label')).toContain('Quét mã để hỏi trợ lý Bình dân học vụ số');
      await check(page, 'member');

      // "Tải ảnh thẻ": the same picture as a PNG file.
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Tải ảnh thẻ' }).click()]);
      expect(download.suggestedFilename()).toBe(`the-gioi-thieu-${code}.png`);
      const saved = decodeQr(readFileSync((await download.path())!));
      expect(saved).toEqual({ text: link, width: 1240, height: 1748 });
      await page.getByText(/Đã tải ảnh thẻ/).waitFor();

      // "Chia sẻ" outside Zalo: the system share sheet where there is one, else the link is copied.
      await page.getByRole('button', { name: 'Chia sẻ' }).click();
      const shared = page.locator('.note-ok', { hasText: /Đã mở chia sẻ|Đã sao chép đường link/ });
      await shared.waitFor();
      if ((await shared.textContent())!.includes('sao chép')) expect(await page.evaluate(() => navigator.clipboard.readText())).toContain(link);
    });

    it('three neighbours open the link: one shares progress, one is only linked, one says no; only the first two are the member\'s', async () => {
      const intro = `Anh/chị ${MEMBER_NAME}, ${TEAM_A}, ${WARD_A} đã giới thiệu bác dùng trợ lý này.`;
      const arrive = async (name: string): Promise<Phone> => {
        const p = await person({ path: link, keep: story });
        await expect.poll(() => screenTitle(p.page), { timeout: 15_000 }).toBe('Người giới thiệu');
        await ctx.db.query('UPDATE learners SET display_name = $2 WHERE external_id = $1', [p.externalId, name]);
        await p.page.locator('.referral-intro').waitFor({ timeout: 15_000 });
        expect(await p.page.locator('.referral-intro').textContent()).toBe(intro);
        // The code is kept until the neighbour answers.
        expect(await p.page.evaluate(() => localStorage.getItem('bhvs.ref'))).toBe(code);
        return p;
      };

      const hoa = (neighbours.hoa = await arrive('Bà Hoa'));
      hoaToken = await sessionToken(hoa.page);
      const choices = hoa.page.getByRole('group', { name: 'Bác chọn một' }).getByRole('button');
      expect(await choices.allTextContents()).toEqual([SHARE, LINK_ONLY, NO_THANKS]);
      expect(await hoa.page.getByText('Anh/chị ấy không thấy những câu bác đã hỏi trợ lý.', { exact: false }).count()).toBe(1);
      await check(hoa.page, 'consent');
      await hoa.page.getByRole('button', { name: SHARE }).click();
      await hoa.page.getByText(`Cảm ơn bác. Anh/chị ${MEMBER_NAME} sẽ thấy tiến độ học của bác để giúp bác.`, { exact: false }).waitFor();
      expect(await hoa.page.evaluate(() => localStorage.getItem('bhvs.ref'))).toBeNull();
      await check(hoa.page, 'consent-done');
      await hoa.page.getByRole('button', { name: 'Tiếp tục dùng trợ lý' }).click();
      await expect.poll(() => screenTitle(hoa.page)).toBe('Hỏi trợ lý');

      const tuan = (neighbours.tuan = await arrive('Ông Tuấn'));
      await tuan.page.getByRole('button', { name: LINK_ONLY }).click();
      await tuan.page.getByText(`Đã ghi nhận anh/chị ${MEMBER_NAME} là người giới thiệu bác.`, { exact: false }).waitFor();
      expect(await tuan.page.evaluate(() => localStorage.getItem('bhvs.ref'))).toBeNull();

      const binh = (neighbours.binh = await arrive('Chị Bình'));
      await binh.page.getByRole('button', { name: NO_THANKS }).click();
      await binh.page.getByText('Không sao ạ.', { exact: false }).waitFor();
      expect(await binh.page.evaluate(() => localStorage.getItem('bhvs.ref'))).toBeNull();
      // Not asked again on the next start.
      await binh.page.goto(base);
      await binh.page.getByLabel('Câu hỏi của bác').waitFor();
      await binh.page.waitForTimeout(500);
      expect(await screenTitle(binh.page)).toBe('Hỏi trợ lý');

      const rows = await ctx.db.query<{ external_id: string; share_progress: boolean }>(
        'SELECT l.external_id, r.share_progress FROM referrals r JOIN learners l ON l.id = r.learner_id ORDER BY r.consented_at',
      );
      expect(rows).toEqual([
        { external_id: hoa.externalId, share_progress: true },
        { external_id: tuan.externalId, share_progress: false },
      ]);

      const page = member.page;
      const hoaCard = await menteeCard(page, 'Bà Hoa');
      await hoaCard.waitFor();
      expect(await page.locator('article.mentee h3').allTextContents()).toEqual(['Bà Hoa', 'Ông Tuấn']);
      expect(await page.locator('.target-text').textContent()).toContain('2/5 người');
      const tuanCard = page.locator('article.mentee', { hasText: 'Ông Tuấn' });
      expect(await tuanCard.textContent()).toContain('Chưa đồng ý chia sẻ tiến độ');
      expect(await tuanCard.locator('dl').count()).toBe(0);
      expect(await hoaCard.locator('dd[data-key="lessonsDone"]').textContent()).toBe('0');
      expect(await page.getByText('Chị Bình').count()).toBe(0);
    });

    it('the neighbour learns a lesson and fails another quiz twice; the member sees the progress, who needs help and what to learn together, and records a help session', async () => {
      const hoa = neighbours.hoa!;
      await learnLesson(hoa.page, 'dien-thoai-chu-to');
      await expect.poll(async () => (await ctx.db.query('SELECT 1 FROM lesson_progress WHERE learner_id = $1 AND completed_at IS NOT NULL', [await learnerId(hoa.externalId)])).length, { timeout: 15_000 }).toBe(1);
      // The member sees the finished lesson.
      const page = member.page;
      await expect.poll(async () => (await menteeCard(page, 'Bà Hoa')).locator('dd[data-key="lessonsDone"]').textContent(), { timeout: 15_000 }).toBe('1');

      // Two failed quizzes of another lesson (each counts as done, not as learnt): the neighbour needs help.
      await passQuiz(hoaToken, 'an-toan-otp', false);
      await passQuiz(hoaToken, 'an-toan-otp', false);
      const expected = (await (await callApi('/api/community/mentees', memberToken)).json()) as {
        mentees: { name: string; progress?: { lessonsDone: number; mastered: number; basic: boolean; stuck?: string; next?: { id: string; title: string; reason: string } } }[];
      };
      const progress = expected.mentees.find((m) => m.name === 'Bà Hoa')!.progress!;
      expect(progress.stuck).toMatch(/nhiều lần chưa qua/);
      expect(progress.next).toBeDefined();

      const card = await menteeCard(page, 'Bà Hoa');
      await expect.poll(() => card.locator('.stuck').count()).toBe(1);
      expect(await card.locator('dd[data-key="lessonsDone"]').textContent()).toBe(String(progress.lessonsDone));
      expect(await card.locator('dd[data-key="mastered"]').textContent()).toBe(String(progress.mastered));
      expect(await card.locator('dd[data-key="basic"]').textContent()).toBe('Chưa đạt');
      expect(await card.locator('.stuck').textContent()).toBe(`Cần giúp: ${progress.stuck}`);
      expect(await card.locator('.next-together').textContent()).toContain(`Bài nên học cùng: ${progress.next!.title}`);
      expect(await card.locator('.next-together').textContent()).toContain(progress.next!.reason);
      expect(await card.locator('[data-key="helpSessions"]').textContent()).toBe('0');
      await check(page, 'member-mentees');

      // "Mở bài này" opens the lesson to go through together.
      await card.getByRole('button', { name: 'Mở bài này' }).click();
      await expect.poll(() => screenTitle(page)).toBe(ctx.catalog.get(progress.next!.id)!.title);
      await openMemberPage(page);

      await (await menteeCard(page, 'Bà Hoa')).getByRole('button', { name: 'Ghi lại buổi hỗ trợ' }).click();
      await expect.poll(() => screenTitle(page)).toBe('Ghi lại buổi hỗ trợ');
      await page.getByText('Buổi hỗ trợ với', { exact: false }).waitFor();
      // Nothing ticked: said before anything is sent.
      await page.getByRole('button', { name: 'Lưu buổi hỗ trợ' }).click();
      await page.getByText('Bác chọn ít nhất một việc đã giúp.').waitFor();
      await page.getByLabel('Cài VNeID').check();
      await page.getByLabel('Nhận biết lừa đảo').check();
      await page.getByLabel('Ghi chú ngắn (không bắt buộc)').fill('Cài xong VNeID,\n<b>đã</b> đăng nhập.');
      expect(await page.locator('#help-note-count').textContent()).toBe('36/200 ký tự');
      await check(page, 'help-session');
      await page.getByRole('button', { name: 'Lưu buổi hỗ trợ' }).click();
      await page.getByText('Đã ghi lại buổi hỗ trợ với Bà Hoa. Bác đã hỗ trợ Bà Hoa 1 buổi.').waitFor();
      const sessions = await ctx.db.query<{ activities: string[]; note: string }>('SELECT activities, note FROM help_sessions');
      expect(sessions).toEqual([{ activities: ['cai-vneid', 'nhan-biet-lua-dao'], note: 'Cài xong VNeID, <b>đã</b> đăng nhập.' }]);
      await page.getByRole('button', { name: 'Về trang Đại sứ số' }).click();
      await expect.poll(() => screenTitle(page)).toBe('Trang Đại sứ số');
      await expect.poll(() => page.locator('article.mentee', { hasText: 'Bà Hoa' }).locator('[data-key="helpSessions"]').textContent()).toBe('1');
    });

    it('in Settings the neighbour stops sharing, then withdraws; the member no longer sees them', async () => {
      const page = neighbours.hoa!.page;
      await tab(page, 'Cài đặt');
      const section = page.locator('fieldset.referral-setting');
      await section.getByText(`Anh/chị ${MEMBER_NAME}`, { exact: true }).waitFor({ timeout: 15_000 });
      expect(await section.textContent()).toContain(TEAM_A);
      expect(await section.locator('.sharing-status').textContent()).toContain(`Bác đang cho anh/chị ${MEMBER_NAME} xem tiến độ học`);
      await check(page, 'settings-referral');

      await section.getByRole('button', { name: 'Thôi, không cho xem tiến độ học' }).click();
      await section.getByText('Đã thôi cho xem tiến độ học.').waitFor();
      expect(await section.locator('.sharing-status').textContent()).toBe(`Anh/chị ${MEMBER_NAME} không xem được tiến độ học của bác.`);
      const card = await menteeCard(member.page, 'Bà Hoa');
      await expect.poll(() => card.textContent()).toContain('Chưa đồng ý chia sẻ tiến độ');
      expect(await card.locator('dl').count()).toBe(0);

      await section.getByRole('button', { name: 'Bỏ người giới thiệu' }).click();
      const confirm = section.getByRole('alertdialog');
      expect(await confirm.textContent()).toContain(`Anh/chị ${MEMBER_NAME} sẽ không còn thấy bác`);
      await shot(page, 'community-settings-withdraw-confirm');
      await confirm.getByRole('button', { name: 'Bỏ người giới thiệu' }).click();
      await section.getByText('Đã bỏ người giới thiệu.').waitFor();
      await section.getByText('Bác chưa có người giới thiệu.').waitFor();
      expect((await ctx.db.query('SELECT 1 FROM referrals WHERE learner_id = $1', [await learnerId(neighbours.hoa!.externalId)])).length).toBe(0);

      await member.page.getByRole('button', { name: 'Cập nhật danh sách' }).click();
      await expect.poll(() => member.page.locator('article.mentee h3').allTextContents()).toEqual(['Ông Tuấn']);
      expect(await member.page.locator('.target-text').textContent()).toContain('1/5 người');
    });

    it('"Đổi mã" after confirming: a new code, link and card; the old link now tells the neighbour the code is wrong or changed', async () => {
      const page = member.page;
      await page.getByRole('button', { name: 'Đổi mã' }).click();
      const confirm = page.getByRole('alertdialog');
      expect(await confirm.textContent()).toContain('thẻ đã in hiện nay sẽ không dùng được nữa');
      await shot(page, 'community-rotate-confirm');
      await confirm.getByRole('button', { name: 'Đổi mã mới' }).click();
      await page.getByText('Đã đổi mã.', { exact: false }).waitFor();
      const fresh = (await ctx.db.query<{ referral_code: string }>('SELECT referral_code FROM team_members WHERE learner_id = $1', [await learnerId(member.externalId)]))[0]!
        .referral_code;
      expect(fresh).not.toBe(code);
      await expect.poll(() => page.locator('.referral-link').textContent()).toBe(`${base}/?ref=${fresh}`);
      await expect.poll(async () => decodeQr(await cardPng(page)).text, { timeout: 15_000 }).toBe(`${base}/?ref=${fresh}`);
      // Those already linked stay.
      expect(await page.locator('article.mentee h3').allTextContents()).toEqual(['Ông Tuấn']);

      const late = await person({ path: link });
      await expect.poll(() => screenTitle(late.page), { timeout: 15_000 }).toBe('Người giới thiệu');
      await late.page.getByText('Mã giới thiệu không đúng hoặc đã được đổi. Bác hỏi lại người đã giới thiệu nhé.').waitFor();
      expect(await late.page.evaluate(() => localStorage.getItem('bhvs.ref'))).toBeNull();
      await check(late.page, 'consent-wrong-code');

      // Typed from a card in Settings instead: the same consent screen, then back to Settings.
      await late.page.getByRole('button', { name: 'Tiếp tục dùng trợ lý' }).click();
      await tab(late.page, 'Cài đặt');
      await late.page.getByLabel('Mã giới thiệu trên thẻ của Tổ công nghệ số (nếu có)').fill(fresh.toLowerCase().replace(/(.{4})(?=.)/g, '$1 '));
      await late.page.getByRole('button', { name: 'Xem ai giới thiệu' }).click();
      await expect.poll(() => screenTitle(late.page)).toBe('Người giới thiệu');
      await late.page.getByRole('button', { name: LINK_ONLY }).click();
      await late.page.getByRole('button', { name: 'Tiếp tục dùng trợ lý' }).click();
      await expect.poll(() => screenTitle(late.page)).toBe('Cài đặt');
      await late.page.locator('fieldset.referral-setting').getByText(`Anh/chị ${MEMBER_NAME}`, { exact: true }).waitFor();
    });
  });

  it('Gia đình số: one creates a household, the other joins by its code; both see each other and whether each reached the basic level', async () => {
    const minh = await person({ ward: WARD_C });
    await signedInAs(minh, 'Ông Minh');
    const mai = await person({ ward: WARD_C });
    const maiToken = await signedInAs(mai, 'Bà Mai');

    await tab(minh.page, 'Cài đặt');
    await minh.page.getByRole('button', { name: 'Mở Gia đình số' }).waitFor({ timeout: 15_000 });
    // A citizen who is in no team is not offered the member's page.
    expect(await minh.page.getByRole('button', { name: 'Mở trang Đại sứ số' }).count()).toBe(0);
    await go(minh.page, 'Mở Gia đình số', 'Gia đình số');
    await minh.page.getByText('chỉ thấy tên của nhau và ai đã đạt kỹ năng số cơ bản', { exact: false }).waitFor();
    await check(minh.page, 'household-empty');
    await minh.page.getByRole('button', { name: 'Lập nhóm gia đình' }).click();
    const codeText = minh.page.locator('p.big-code');
    await codeText.waitFor();
    const code = (await codeText.textContent())!.replace(/\s/g, '');
    const stored = (await ctx.db.query<{ invite_code: string }>('SELECT invite_code FROM households'))[0]!.invite_code;
    expect(code).toBe(stored);
    await minh.page.getByRole('button', { name: 'Chia sẻ mã' }).click();
    const shared = minh.page.getByText(/Đã mở chia sẻ|Đã sao chép mã/);
    await shared.waitFor();
    if ((await shared.textContent())!.includes('sao chép')) expect(await minh.page.evaluate(() => navigator.clipboard.readText())).toContain(code.replace(/(.{4})(?=.)/g, '$1 '));
    await check(minh.page, 'household-created');

    // From Progress; a wrong code first.
    await tab(mai.page, 'Tiến độ');
    await go(mai.page, 'Mở Gia đình số', 'Gia đình số');
    await mai.page.getByLabel('Mã gia đình người nhà gửi cho bác').fill('ZZZZ ZZZZ ZZZZ');
    await mai.page.getByRole('button', { name: 'Vào nhóm gia đình' }).click();
    await mai.page.getByText('Mã gia đình không đúng. Bác hỏi lại người trong nhà nhé.').waitFor();
    await mai.page.getByLabel('Mã gia đình người nhà gửi cho bác').fill(code.toLowerCase().replace(/(.{4})(?=.)/g, '$1 '));
    await mai.page.getByRole('button', { name: 'Vào nhóm gia đình' }).click();
    const members = (page: Page) => page.locator('.household-members .card-title').allTextContents();
    await expect.poll(() => members(mai.page)).toEqual(['Ông Minh', 'Bà Mai (bác)']);
    expect(await mai.page.locator('.household-members li').allTextContents()).toEqual([
      'Ông MinhChưa đạt kỹ năng số cơ bản',
      'Bà Mai (bác)Chưa đạt kỹ năng số cơ bản',
    ]);

    await minh.page.getByRole('button', { name: 'Xem lại danh sách' }).click();
    await expect.poll(() => members(minh.page)).toEqual(['Ông Minh (bác)', 'Bà Mai']);
    expect(await minh.page.getByText('Gia đình đã đạt Gia đình số').count()).toBe(0);

    // Bà Mai reaches the basic level: the household is a Gia đình số.
    for (const id of BASIC_LESSONS) await passQuiz(maiToken, id);
    await minh.page.getByRole('button', { name: 'Xem lại danh sách' }).click();
    await minh.page.getByText('Gia đình đã đạt Gia đình số').waitFor();
    expect(await minh.page.locator('.household-members li', { hasText: 'Bà Mai' }).textContent()).toContain('Đã đạt kỹ năng số cơ bản');
    expect(await minh.page.locator('.household-members li', { hasText: 'Ông Minh' }).textContent()).toContain('Chưa đạt kỹ năng số cơ bản');
    await check(minh.page, 'household-covered');

    // Bà Mai leaves, after confirming.
    await mai.page.getByRole('button', { name: 'Rời nhóm gia đình' }).click();
    await mai.page.getByRole('alertdialog').getByRole('button', { name: 'Rời nhóm', exact: true }).click();
    await mai.page.getByRole('button', { name: 'Lập nhóm gia đình' }).waitFor();
    await minh.page.getByRole('button', { name: 'Xem lại danh sách' }).click();
    await expect.poll(() => members(minh.page)).toEqual(['Ông Minh (bác)']);
  });

  it('an officer sets up a team and its members in the console; the leaderboard shows the seeded figures for the year, and its CSV downloads', async () => {
    const officerDev = newDevId();
    await ctx.roles.grant('cli:test', `dev:${officerDev}`, 'officer', WARD_B);
    const officer = await person({ devId: officerDev });
    await sessionToken(officer.page);
    const page = officer.page;
    await openConsoleTask(page, 'Tổ công nghệ số');
    await page.getByText('Chưa có tổ nào.').waitFor();
    // One ward in scope: no picker.
    await page.getByText(`Phường, xã: ${WARD_B}`).waitFor();
    await page.getByLabel('Tên tổ').fill('Tổ công nghệ số khu 5');
    await page.getByRole('button', { name: 'Lập tổ' }).click();
    await page.getByText(`Đã lập Tổ công nghệ số khu 5 (${WARD_B}).`).waitFor();
    const card = page.locator('article.team', { hasText: 'Tổ công nghệ số khu 5' });
    await card.getByText('Tổ chưa có thành viên.').waitFor();
    // The same name again in the ward: the server's refusal, in Vietnamese.
    await page.getByLabel('Tên tổ').fill('Tổ công nghệ số khu 5');
    await page.getByRole('button', { name: 'Lập tổ' }).click();
    await page.getByText('Tổ này đã có.').waitFor();

    const memberDev = newDevId();
    const field = card.getByLabel('Thêm thành viên: mã tài khoản Zalo');
    await field.fill('zalo 12 34');
    await card.getByRole('button', { name: 'Thêm vào tổ' }).click();
    await card.getByText('Mã tài khoản chưa đúng', { exact: false }).waitFor();
    await field.fill(`dev:${memberDev}`);
    await card.getByRole('button', { name: 'Thêm vào tổ' }).click();
    await card.getByText(`Đã thêm dev:${memberDev} vào tổ.`).waitFor();
    await field.fill('987654321');
    await card.getByRole('button', { name: 'Thêm vào tổ' }).click();
    await card.getByText('Đã thêm zalo:987654321 vào tổ.').waitFor();
    expect(await card.locator('.team-member').count()).toBe(2);
    await check(page, 'officer-teams');

    await card.locator('.team-member', { hasText: 'zalo:987654321' }).getByRole('button', { name: 'Bỏ khỏi tổ' }).click();
    const confirm = card.getByRole('alertdialog');
    expect(await confirm.textContent()).toContain('zalo:987654321');
    await confirm.getByRole('button', { name: 'Bỏ khỏi tổ' }).click();
    await card.getByText('Đã bỏ zalo:987654321 khỏi tổ.').waitFor();
    expect(await card.locator('.team-member').count()).toBe(1);
    const audit = await ctx.db.query<{ action: string }>('SELECT action FROM audit_log WHERE actor = $1 ORDER BY id', [`dev:${officerDev}`]);
    expect(audit.map((a) => a.action)).toEqual(['team.create', 'team.member.add', 'team.member.add', 'team.member.remove']);

    // The member added in the console opens the app: their page, with their code.
    const memberPhone = await person({ devId: memberDev });
    const memberToken = await signedInAs(memberPhone, 'Trần Văn Nam');
    await openMemberPage(memberPhone.page);
    await memberPhone.page.locator('.referral-link').waitFor();
    const me = (await (await callApi('/api/community/me', memberToken)).json()) as { code: string; link: string };
    expect(await memberPhone.page.locator('.referral-link').textContent()).toBe(me.link);

    // Seeded: two neighbours through the member (one at the basic level), a help session, a household of the ward.
    const neighbour = async (name: string) => {
      const { learner, token } = await ctx.learners.signIn(`zalo:${Date.now()}${randomBytes(2).readUInt16BE()}`, name);
      await ctx.learners.updateProfile(learner.id, { area: { province: PROVINCE, ward: WARD_B } });
      expect((await callApi('/api/referrals', token, { method: 'POST', body: JSON.stringify({ code: me.code, shareProgress: true }) })).status).toBe(200);
      return { learner, token };
    };
    const first = await neighbour('Bà Thu');
    const second = await neighbour('Ông Quang');
    for (const id of BASIC_LESSONS) await passQuiz(first.token, id);
    expect(
      (await callApi('/api/community/help-sessions', memberToken, { method: 'POST', body: JSON.stringify({ learnerId: second.learner.id, activities: ['cai-ung-dung'] }) })).status,
    ).toBe(201);
    const household = (await (await callApi('/api/household', first.token, { method: 'POST' })).json()) as { household: { inviteCode: string } };
    expect((await callApi('/api/household/join', second.token, { method: 'POST', body: JSON.stringify({ code: household.household.inviteCode }) })).status).toBe(200);

    await page.getByRole('button', { name: 'Về trang cán bộ' }).click();
    await expect.poll(() => screenTitle(page)).toBe('Trang cán bộ phường, xã');
    await page.getByRole('button', { name: /^Bảng xếp hạng/ }).click();
    await expect.poll(() => screenTitle(page)).toBe('Bảng xếp hạng');
    const year = new Date(Date.now() + 7 * 3_600_000).getUTCFullYear();
    expect(await page.getByLabel('Năm', { exact: true }).inputValue()).toBe(String(year));
    const rank = page.locator('li.team-rank', { hasText: 'Tổ công nghệ số khu 5' });
    await rank.waitFor();
    const figures = async () =>
      Object.fromEntries(await rank.locator('[data-key]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-key'), e.textContent])));
    expect(await figures()).toEqual({ score: '6', menteesBasic: '1', mentees: '2', helpSessions: '1', members: '1', mentorsAtTarget: '0' });
    expect(await rank.locator('h3').textContent()).toBe('Hạng 1: Tổ công nghệ số khu 5');
    expect(await rank.locator('.score').textContent()).toBe('6 điểm = 3 × 1 + 2 + 1');
    expect(await page.locator('.household-ranking li').first().textContent()).toContain('Hộ gia đình Bà Thu');
    expect(await page.locator('.household-ranking li').first().textContent()).toContain('1 trên 2 người đạt kỹ năng số cơ bản');
    const ward = page.locator('.households-by-ward li', { hasText: WARD_B });
    expect(await ward.locator('[data-key="covered"]').textContent()).toBe('1');
    expect(await ward.locator('[data-key="households"]').textContent()).toBe('1');
    await check(page, 'officer-leaderboard');

    // Last year: the neighbours joined, reached the basic level and were helped this year, so nothing counts then.
    await page.getByLabel('Năm', { exact: true }).selectOption(String(year - 1));
    await expect.poll(() => rank.locator('[data-key="score"]').textContent()).toBe('0');
    expect(await figures()).toEqual({ score: '0', menteesBasic: '0', mentees: '0', helpSessions: '0', members: '1', mentorsAtTarget: '0' });
    await page.getByLabel('Năm', { exact: true }).selectOption(String(year));
    await expect.poll(() => rank.locator('[data-key="score"]').textContent()).toBe('6');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Tải bảng xếp hạng CSV' }).click()]);
    expect(download.suggestedFilename()).toBe(`bang-xep-hang-${year}.csv`);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.startsWith('\uFEFF"Bảng","Hạng","Tên"')).toBe(true);
    expect(csv).toContain(`"Tổ công nghệ số","1","Tổ công nghệ số khu 5","${WARD_B}","1","0","2","1","1","6"`);
    expect(csv).toContain(`"Gia đình số","1","Hộ gia đình Bà Thu","${WARD_B}","2","","","1","",""`);
    const table = page.locator('table.data-table');
    await table.waitFor();
    expect(await table.locator('tbody tr').first().textContent()).toContain('Tổ công nghệ số khu 5');
    const exported = await ctx.db.query<{ target: string }>(`SELECT target FROM audit_log WHERE action = 'leaderboard.export' AND actor = $1`, [`dev:${officerDev}`]);
    expect(exported).toEqual([{ target: String(year) }]);
  });

  it('the community screens at 200% text on a 320px screen in high contrast: big targets, no sideways scrolling, enhanced contrast', async () => {
    const teamId = await team('Tổ công nghệ số khu Thanh Miếu có tên khá dài', WARD_C);
    const memberDev = newDevId();
    await ctx.teams.addMember('cli:test', teamId, `dev:${memberDev}`);
    await ctx.roles.grant('cli:test', `dev:${memberDev}`, 'officer', WARD_C);
    const member = await person({ devId: memberDev, ...LARGE_TEXT_SMALL_SCREEN });
    const memberToken = await signedInAs(member, 'Phạm Thị Hương Giang');
    const me = (await (await callApi('/api/community/me', memberToken)).json()) as { link: string };

    const neighbour = await person({ path: me.link, ...LARGE_TEXT_SMALL_SCREEN });
    await expect.poll(() => screenTitle(neighbour.page), { timeout: 15_000 }).toBe('Người giới thiệu');
    // A Zalo name is whatever its owner typed: shown as these characters, never as markup.
    const markupName = '<img src=x onerror="window.__xss=1"><b>Cô Ba</b>';
    await ctx.db.query('UPDATE learners SET display_name = $2 WHERE external_id = $1', [neighbour.externalId, markupName]);
    await neighbour.page.locator('.referral-intro').waitFor({ timeout: 15_000 });
    await check(neighbour.page, 'large-consent', { enhancedContrast: true });
    await neighbour.page.getByRole('button', { name: SHARE }).click();
    await neighbour.page.getByRole('button', { name: 'Tiếp tục dùng trợ lý' }).waitFor();
    await check(neighbour.page, 'large-consent-done', { enhancedContrast: true });
    await tab(neighbour.page, 'Cài đặt');
    await neighbour.page.locator('fieldset.referral-setting').getByText('Anh/chị Phạm Thị Hương Giang', { exact: true }).waitFor({ timeout: 15_000 });
    await check(neighbour.page, 'large-settings', { enhancedContrast: true });
    await go(neighbour.page, 'Mở Gia đình số', 'Gia đình số');
    await neighbour.page.getByRole('button', { name: 'Lập nhóm gia đình' }).click();
    await neighbour.page.locator('p.big-code').waitFor();
    await check(neighbour.page, 'large-household', { enhancedContrast: true });

    const page = member.page;
    await openMemberPage(page);
    await page.locator('canvas.referral-card[data-ready="true"]').waitFor({ timeout: 15_000 });
    await page.locator('article.mentee').first().waitFor();
    expect(await page.locator('article.mentee h3').allTextContents()).toEqual([markupName]);
    expect(await page.evaluate(() => ({ ran: (window as unknown as { __xss?: unknown }).__xss ?? null, injected: document.querySelectorAll('img[src="x"], .mentee b').length }))).toEqual({
      ran: null,
      injected: 0,
    });
    await check(page, 'large-member', { enhancedContrast: true });
    await page.getByRole('button', { name: 'Ghi lại buổi hỗ trợ' }).click();
    await expect.poll(() => screenTitle(page)).toBe('Ghi lại buổi hỗ trợ');
    await page.getByLabel('Cài VNeID').check();
    await check(page, 'large-help-session', { enhancedContrast: true });

    await openConsoleTask(page, 'Tổ công nghệ số');
    await page.locator('article.team').first().waitFor();
    await check(page, 'large-officer-teams', { enhancedContrast: true });
    await page.getByRole('button', { name: 'Về trang cán bộ' }).click();
    await page.getByRole('button', { name: /^Bảng xếp hạng/ }).click();
    await page.locator('li.team-rank').first().waitFor();
    await check(page, 'large-officer-leaderboard', { enhancedContrast: true });
  });
});
