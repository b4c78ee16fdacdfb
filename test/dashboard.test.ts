/**
 * The officers' dashboard and quarterly CSV through the real HTTP API on a real PGlite database: learners reach
 * the basic level by passing real quizzes, questions are counted through the real chat route.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../bot-server/src/app.js';
import type { AppContext } from '../bot-server/src/context.js';
import { BASIC_GROUPS } from '../bot-server/src/dashboard/basic-level.js';
import { csvField } from '../bot-server/src/dashboard/csv.js';
import { currentQuarter, quarterRange } from '../bot-server/src/dashboard/service.js';
import { openTestContext } from './helpers.js';
import { people } from './people.js';

const WARD_A = 'Phường Vân Phú';
const WARD_B = 'Phường Phong Châu';

let ctx: AppContext;
let app: FastifyInstance;
const person = people(() => ctx, () => app, 50_000);

beforeAll(async () => {
  ctx = await openTestContext({ outboxIntervalMs: 0 });
  app = await buildApp(ctx);
  await app.ready();
});
afterAll(async () => {
  await app?.close();
});

describe('dashboard', () => {
  it('counts learners at the basic level per ward against the targets; an officer sees only their wards', async () => {
    const officer = await person({ officerOf: WARD_A });
    const full = await person({ ward: WARD_A });
    const partial = await person({ ward: WARD_A });
    const other = await person({ ward: WARD_B });
    for (const id of ['dien-thoai-chu-to', 'an-toan-otp', 'an-toan-mat-khau']) await full.pass(id);
    // The third group (essential services) is passed twice: still one learner.
    await full.pass('vneid-gioi-thieu');
    await full.pass('dvc-nhan-biet-cong-that');
    for (const id of ['dien-thoai-chu-to', 'an-toan-otp']) await partial.pass(id);
    for (const id of ['dien-thoai-chu-to', 'an-toan-otp', 'vneid-gioi-thieu']) await other.pass(id);

    const res = await officer.call<{
      wards: { ward: string; adults: number; learners: number; basic: number; share: number; lessonsCompleted: number; missing: Record<string, number> }[];
      totals: { basic: number };
      trend: { week: string; basic: number; learners: number }[];
      targets: Record<string, number>;
      basicLevel: string[];
    }>('GET', '/api/officer/dashboard');
    expect(res.status).toBe(200);
    expect(res.body.wards.map((w) => w.ward)).toEqual([WARD_A]);
    const a = res.body.wards[0]!;
    const adults = ctx.areas.adults.get(WARD_A)!;
    expect(a).toMatchObject({ adults, learners: 2, basic: 1, lessonsCompleted: 7 });
    expect(a.share).toBeCloseTo(1 / adults, 6);
    expect(a.missing).toEqual({ 2025: Math.ceil(0.8 * adults) - 1, 2026: adults - 1 });
    expect(res.body.targets).toEqual({ 2025: 0.8, 2026: 1 });
    expect(res.body.basicLevel).toHaveLength(BASIC_GROUPS.length);
    expect(res.body.trend).toHaveLength(12);
    expect(res.body.trend.at(-1)).toMatchObject({ basic: 1, learners: 2 });
    expect(res.body.trend[0]!.basic).toBe(0);

    expect((await officer.call('GET', `/api/officer/dashboard?ward=${encodeURIComponent(WARD_B)}`)).status).toBe(403);
    expect((await officer.call('GET', `/api/officer/report.csv?ward=${encodeURIComponent(WARD_B)}`)).status).toBe(403);
    expect((await full.call('GET', '/api/officer/dashboard')).status).toBe(403);

    const admin = await person({ admin: true });
    const all = await admin.call<{ wards: { ward: string; basic: number }[]; totals: { basic: number } }>('GET', '/api/officer/dashboard');
    expect(all.body.wards).toHaveLength(ctx.areas.wards.length);
    expect(all.body.totals.basic).toBe(2);
  });

  it('top questions of the week, per ward, with personal data redacted and no link to who asked', async () => {
    const officer = await person({ officerOf: WARD_B });
    const asker = await person({ ward: WARD_B });
    for (const message of ['Cách kích hoạt VNeID', 'cach kich hoat vneid', 'Cách  kích hoạt VNeID?', 'số căn cước của tôi là 012345678901, kích hoạt vneid sao']) {
      expect((await asker.call('POST', '/api/chat', { message })).status).toBe(200);
    }
    await ctx.questionStats.flush();
    const { body } = await officer.call<{ topQuestions: { question: string; asked: number }[] }>('GET', '/api/officer/dashboard');
    expect(body.topQuestions[0]).toMatchObject({ asked: 3 });
    expect(body.topQuestions[0]!.question.toLowerCase()).toMatch(/kích hoạt vneid|kich hoat vneid/);
    // The question asked once is counted, redacted, but not shown: a one-off question may be about one person.
    const all = JSON.stringify(body.topQuestions);
    expect(all).not.toMatch(/012345678901|kích hoạt vneid sao/);
    const stored = await ctx.db.query<{ sample: string }>(`SELECT sample FROM question_stats WHERE sample LIKE '%vneid sao%'`);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.sample).toMatch(/kích hoạt vneid sao/);
    expect(stored[0]!.sample).not.toMatch(/012345678901/);
    const columns = await ctx.db.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'question_stats'`,
    );
    expect(columns.map((c) => c.column_name).sort()).toEqual(['asked', 'question', 'sample', 'ward', 'week']);
  });

  it('exports the quarterly report as CSV that opens safely in Excel, and audits the export', async () => {
    const officer = await person({ officerOf: WARD_A });
    const quarter = currentQuarter();
    const res = await officer.call<string>('GET', `/api/officer/report.csv?quarter=${quarter}`);
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers['content-disposition']).toContain(`bao-cao-binh-dan-hoc-vu-so-${quarter}.csv`);
    const text = res.body;
    expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = text.slice(1).trimEnd().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^"Tỉnh","Phường\/xã","Quý"/);
    const cells = lines[1]!.split('","').map((c) => c.replace(/^"|"$/g, ''));
    expect(cells.slice(0, 3)).toEqual([ctx.areas.province, WARD_A, quarter]);
    expect(Number(cells[7])).toBe(1); // the learner at the basic level from the first test
    expect((await officer.call('GET', '/api/officer/report.csv?quarter=2026-Q5')).status).toBe(400);
    const [audit] = await ctx.db.query<{ action: string; target: string }>(`SELECT action, target FROM audit_log WHERE action = 'report.export' ORDER BY id DESC LIMIT 1`);
    expect(audit).toEqual({ action: 'report.export', target: quarter });

    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField('-1+2')).toBe(`"'-1+2"`);
    expect(csvField(-5)).toBe('"-5"');
    expect(quarterRange('2026-Q4')).toEqual({ start: new Date('2026-09-30T17:00:00Z'), end: new Date('2026-12-31T16:59:59.999Z') });
  });
});
