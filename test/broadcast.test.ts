/**
 * Officers' broadcasts end to end: real HTTP routes, a real PGlite database, a real WebSocket client, and a local
 * server speaking Zalo's Graph and OA message APIs (test/fake-zalo.ts). Scoping, audit, drafts, fan-out, live and
 * Zalo delivery, quiet hours, rate limits, and resuming after a crash without sending anyone a tip twice.
 */
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildApp } from '../bot-server/src/app.js';
import { checkDraft } from '../bot-server/src/broadcast/compose.js';
import { Outbox } from '../bot-server/src/broadcast/outbox.js';
import type { AppContext } from '../bot-server/src/context.js';
import { startFakeZalo, type FakeZalo } from './fake-zalo.js';
import { openTestContext } from './helpers.js';
import { type Person, people } from './people.js';

const WARD_A = 'Phường Việt Trì';
const WARD_B = 'Phường Nông Trang';

let zalo: FakeZalo;
let ctx: AppContext;
let app: FastifyInstance;
let base: string;

const makePerson = people(() => ctx, () => app, 1000);
/** A resident of a ward, or an officer / admin. */
const person = (opts: { ward?: string; role?: { role: 'officer' | 'admin'; ward?: string } } = {}) =>
  makePerson({ ward: opts.ward, officerOf: opts.role?.role === 'officer' ? opts.role.ward : undefined, admin: opts.role?.role === 'admin' });

const draft = (over: Record<string, unknown> = {}) => ({
  title: 'Từ 1/7 chuyển tiền trên 10 triệu phải xác thực khuôn mặt',
  body: 'Khi chuyển khoản trên 10 triệu đồng, ứng dụng ngân hàng sẽ yêu cầu quét khuôn mặt. Đây là quy định mới, không phải lừa đảo.',
  priority: 'normal',
  audience: { wards: [WARD_A] },
  ...over,
});

async function openSocket(token: string): Promise<{ ws: WebSocket; frames: Record<string, unknown>[] }> {
  const ws = new WebSocket(`${base.replace('http', 'ws')}/ws`);
  const frames: Record<string, unknown>[] = [];
  ws.on('message', (d) => frames.push(JSON.parse(d.toString())));
  await new Promise((r) => ws.once('open', r));
  ws.send(JSON.stringify({ type: 'auth', id: 'auth', token }));
  await waitFor(() => frames.find((f) => f.id === 'auth'));
  return { ws, frames };
}

async function waitFor<T>(fn: () => T | undefined, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const deliveries = (id: string) =>
  ctx.db.query<{ external_id: string; status: string; channel: string | null; last_error: string | null }>(
    `SELECT l.external_id, d.status, d.channel, d.last_error FROM broadcast_deliveries d JOIN learners l ON l.id = d.learner_id
     WHERE d.broadcast_id = $1 ORDER BY l.external_id`,
    [id],
  );

beforeAll(async () => {
  zalo = await startFakeZalo();
  ctx = await openTestContext({
    zalo: { appId: '1234567890', appSecret: zalo.appSecret, graphUrl: zalo.baseUrl },
    zaloPush: { baseUrl: zalo.baseUrl, accessToken: zalo.oaToken, appLink: 'https://zalo.me/s/1234567890/' },
    outboxIntervalMs: 0,
    devLogin: true,
  });
  app = await buildApp(ctx);
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await app?.close();
  await zalo?.close();
});

beforeEach(async () => {
  zalo.messages.length = 0;
  zalo.messageScript.length = 0;
  await ctx.db.query('DELETE FROM broadcasts');
  // Each test counts the residents it creates.
  await ctx.db.query('UPDATE learners SET ward = NULL');
});

describe('roles and scope', () => {
  it('a citizen gets 403 on every officer and admin route; nobody signed in gets 401', async () => {
    const citizen = await person({ ward: WARD_A });
    for (const [method, url] of [
      ['GET', '/api/officer/broadcasts'],
      ['POST', '/api/officer/broadcasts'],
      ['POST', '/api/officer/broadcasts/preview'],
      ['GET', '/api/admin/roles'],
      ['GET', '/api/admin/audit'],
    ] as const) {
      const res = await citizen.call(method, url, method === 'POST' ? draft() : undefined);
      expect(res.status, url).toBe(403);
      expect(res.body).toMatchObject({ code: 'FORBIDDEN' });
      expect((await app.inject({ method, url })).statusCode).toBe(401);
    }
  });

  it('an officer of ward A gets 403 writing to ward B, cannot see B\'s broadcasts, and every write is audited', async () => {
    const a = await person({ role: { role: 'officer', ward: WARD_A } });
    const b = await person({ role: { role: 'officer', ward: WARD_B } });
    const toB = await a.call('POST', '/api/officer/broadcasts', draft({ audience: { wards: [WARD_B] } }));
    expect(toB.status).toBe(403);
    expect(toB.body).toMatchObject({ code: 'OUT_OF_SCOPE' });
    expect((await a.call('POST', '/api/officer/broadcasts', draft({ audience: { wards: [WARD_A, WARD_B] } }))).status).toBe(403);

    const mine = await b.call<{ id: string }>('POST', '/api/officer/broadcasts', draft({ audience: { wards: [WARD_B] } }));
    expect(mine.status).toBe(201);
    expect((await a.call('GET', `/api/officer/broadcasts/${mine.body.id}`)).status).toBe(404);
    expect((await a.call('POST', `/api/officer/broadcasts/${mine.body.id}/cancel`)).status).toBe(404);
    expect((await a.call<{ broadcasts: unknown[] }>('GET', '/api/officer/broadcasts')).body.broadcasts).toHaveLength(0);
    expect((await a.call<{ wards: string[] }>('GET', '/api/officer/scope')).body.wards).toEqual([WARD_A]);

    const cancelled = await b.call<{ status: string }>('POST', `/api/officer/broadcasts/${mine.body.id}/cancel`);
    expect(cancelled.body.status).toBe('cancelled');
    const audit = await ctx.db.query<{ actor: string; action: string; target: string }>(
      `SELECT actor, action, target FROM audit_log WHERE target = $1 ORDER BY id`,
      [mine.body.id],
    );
    expect(audit).toEqual([
      { actor: b.externalId, action: 'broadcast.create', target: mine.body.id },
      { actor: b.externalId, action: 'broadcast.cancel', target: mine.body.id },
    ]);
    // Refused writes leave no trace but the refusal.
    expect((await ctx.db.query(`SELECT 1 FROM audit_log WHERE actor = $1`, [a.externalId])).length).toBe(0);
  });

  it('an admin grants and revokes roles from the admin API, audited with who did it', async () => {
    const admin = await person({ role: { role: 'admin' } });
    const granted = await admin.call<{ grants: { externalId: string; role: string; ward: string }[] }>('POST', '/api/admin/roles', {
      externalId: 'zalo:777000',
      role: 'officer',
      ward: WARD_B,
    });
    expect(granted.status).toBe(200);
    expect(granted.body.grants).toContainEqual(expect.objectContaining({ externalId: 'zalo:777000', role: 'officer', ward: WARD_B }));
    expect((await admin.call('POST', '/api/admin/roles', { externalId: 'zalo:777000', role: 'officer', ward: 'Không có' })).status).toBe(400);
    expect((await admin.call('POST', '/api/admin/roles', { externalId: '../x', role: 'officer', ward: WARD_B })).status).toBe(400);
    await admin.call('POST', '/api/admin/roles/revoke', { externalId: 'zalo:777000', role: 'officer', ward: WARD_B });
    const { body } = await admin.call<{ entries: { actor: string; action: string; target: string }[] }>('GET', '/api/admin/audit?limit=5');
    expect(body.entries.slice(0, 2).map((e) => [e.action, e.actor, e.target])).toEqual([
      ['role.revoke', admin.externalId, 'zalo:777000'],
      ['role.grant', admin.externalId, 'zalo:777000'],
    ]);
    // The admin may act in any ward.
    expect((await admin.call('POST', '/api/officer/broadcasts', draft({ audience: { wards: [WARD_B] } }))).status).toBe(201);
  });
});

describe('drafts', () => {
  const ctxFor = () => ({ catalog: ctx.catalog, wards: ctx.areas.wards, linkDomains: ['gov.vn', 'chinhphu.vn'], now: new Date() });

  it('links only to official domains; never asks for an OTP; plain text of bounded length', () => {
    expect(checkDraft(draft({ body: 'Nộp hồ sơ tại dichvucong.gov.vn hoặc https://vneid.gov.vn/ nhé bà con.' }), ctxFor()).ok).toBe(true);
    const bad = checkDraft(draft({ body: 'Nhận quà tại https://qua-tang-vneid.com ngay hôm nay nhé.' }), ctxFor());
    expect(bad).toMatchObject({ ok: false });
    expect(!bad.ok && bad.problems[0]).toMatch(/"qua-tang-vneid\.com" không được phép/);
    const lookalike = checkDraft(draft({ body: 'Vào dichvucong.gov.vn.tk để nộp hồ sơ trực tuyến.' }), ctxFor());
    expect(lookalike.ok).toBe(false);
    const otp = checkDraft(draft({ body: 'Bà con hãy gửi mã OTP cho cán bộ phường để được hỗ trợ.' }), ctxFor());
    expect(!otp.ok && otp.problems.join(' ')).toMatch(/OTP/);
    expect(checkDraft(draft({ title: 'x'.repeat(81) }), ctxFor()).ok).toBe(false);
    expect(checkDraft(draft({ body: 'Nội dung\u0007 có ký tự lạ ở giữa.' }), ctxFor()).ok).toBe(false);
    expect(checkDraft(draft({ lessonId: 'khong-co-bai' }), ctxFor()).ok).toBe(false);
    expect(checkDraft(draft({ sendAt: '2020-01-01T00:00:00Z' }), ctxFor()).ok).toBe(false);
  });

  it('the preview is exactly the tip a citizen will get, and says when a normal tip is held for the morning', async () => {
    const officer = await person({ role: { role: 'officer', ward: WARD_A } });
    const night = new Date(Date.now() + 86_400_000);
    night.setUTCHours(16, 0, 0, 0); // 23:00 in Vietnam
    const preview = await officer.call<{ tip: Record<string, unknown>; heldForQuietHours: boolean; pushAt: string }>(
      'POST',
      '/api/officer/broadcasts/preview',
      draft({ sendAt: night.toISOString(), lessonId: 'thanh-toan-sinh-trac-hoc' }),
    );
    expect(preview.status).toBe(200);
    expect(preview.body.tip).toMatchObject({ title: draft().title, body: draft().body, priority: 'normal', lessonId: 'thanh-toan-sinh-trac-hoc' });
    expect(preview.body.heldForQuietHours).toBe(true);
    expect(new Date(preview.body.pushAt).getUTCHours()).toBe(1); // 08:00 in Vietnam
    const bad = await officer.call<{ code: string; problems: string[] }>('POST', '/api/officer/broadcasts/preview', draft({ body: 'ngắn' }));
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('BAD_DRAFT');
    expect(bad.body.problems[0]).toMatch(/Nội dung/);
  });
});

describe('delivery', () => {
  it('fans out once to the ward: live to open mini apps, through Zalo to the others, feed for all; report counts it', async () => {
    const officer = await person({ role: { role: 'officer', ward: WARD_A } });
    const online = await person({ ward: WARD_A });
    const offline = await person({ ward: WARD_A });
    const elsewhere = await person({ ward: WARD_B });
    const devRes = await app.inject({ method: 'POST', url: '/api/session/dev', payload: { deviceId: 'dev-nozalo01' } });
    const devToken = devRes.json<{ token: string }>().token;
    await app.inject({ method: 'PATCH', url: '/api/me', payload: { area: { province: 'Phú Thọ', ward: WARD_A } }, headers: { authorization: `Bearer ${devToken}` } });
    const { ws, frames } = await openSocket(online.token);
    try {
      const created = await officer.call<{ id: string; status: string }>('POST', '/api/officer/broadcasts', draft({ priority: 'scam_alert' }));
      expect(created.body.status).toBe('scheduled');
      const round = await ctx.outbox.runOnce();
      expect(round.fannedOut).toBe(1);
      const live = await waitFor(() => frames.find((f) => f.type === 'tip'));
      expect(live.tip).toMatchObject({ id: created.body.id, title: draft().title, priority: 'scam_alert' });

      expect(zalo.messages.map((m) => m.userId)).toEqual(expect.arrayContaining([offline.zaloId, officer.zaloId].filter((id) => id === offline.zaloId)));
      expect(zalo.messages.find((m) => m.userId === offline.zaloId)!.text).toMatch(/^CẢNH BÁO LỪA ĐẢO: Từ 1\/7/);
      expect(zalo.messages.some((m) => m.userId === online.zaloId || m.userId === elsewhere.zaloId)).toBe(false);

      const rows = await deliveries(created.body.id);
      const byId = Object.fromEntries(rows.map((r) => [r.external_id, r]));
      expect(byId[online.externalId]).toMatchObject({ status: 'delivered', channel: 'live' });
      expect(byId[offline.externalId]).toMatchObject({ status: 'delivered', channel: 'zalo' });
      expect(byId['dev:dev-nozalo01']).toMatchObject({ status: 'unreachable' });
      expect(byId[elsewhere.externalId]).toBeUndefined();

      // Running again sends nothing more.
      await ctx.outbox.runOnce();
      expect(zalo.messages.filter((m) => m.userId === offline.zaloId)).toHaveLength(1);

      const feed = await offline.call<{ tips: { id: string; opened: boolean }[] }>('GET', '/api/tips');
      expect(feed.body.tips[0]).toMatchObject({ id: created.body.id, opened: false });
      expect((await offline.call<{ opened: boolean }>('POST', `/api/tips/${created.body.id}/opened`)).body.opened).toBe(true);
      const anonymous = await app.inject({ method: 'GET', url: `/api/tips?province=${encodeURIComponent('Phú Thọ')}&ward=${encodeURIComponent(WARD_A)}` });
      expect(anonymous.json<{ tips: { id: string }[] }>().tips.map((t) => t.id)).toContain(created.body.id);
      expect((await elsewhere.call<{ tips: unknown[] }>('GET', '/api/tips')).body.tips).toHaveLength(0);

      const report = await officer.call<{ report: Record<string, number> }>('GET', `/api/officer/broadcasts/${created.body.id}`);
      expect(report.body.report).toEqual({ targeted: 3, delivered: 2, failed: 0, feedOnly: 1, pending: 0, opened: 1 });
    } finally {
      ws.close();
    }
  });

  it('narrows the audience to learners who have not finished a lesson', async () => {
    const officer = await person({ role: { role: 'officer', ward: WARD_B } });
    const done = await person({ ward: WARD_B });
    const notDone = await person({ ward: WARD_B });
    const lesson = ctx.catalog.get('an-toan-otp')!;
    await done.call('POST', '/api/progress/an-toan-otp/quiz', { submissionId: 'done-0001', answers: lesson.quiz.map((q) => q.answer) });
    const created = await officer.call<{ id: string }>('POST', '/api/officer/broadcasts', draft({ audience: { wards: [WARD_B], unfinishedLesson: 'an-toan-otp' } }));
    await ctx.outbox.runOnce();
    const ids = (await deliveries(created.body.id)).map((r) => r.external_id);
    expect(ids).toContain(notDone.externalId);
    expect(ids).not.toContain(done.externalId);
    // A tip for some learners only is not shown to the whole ward.
    const anonymous = await app.inject({ method: 'GET', url: `/api/tips?ward=${encodeURIComponent(WARD_B)}` });
    expect(anonymous.json<{ tips: { id: string }[] }>().tips.map((t) => t.id)).not.toContain(created.body.id);
  });

  it('quiet hours: a normal tip at 23:00 waits for 08:00; a scam alert goes at once', async () => {
    const officer = await person({ role: { role: 'officer', ward: WARD_B } });
    const resident = await person({ ward: WARD_B });
    let now = new Date('2026-12-01T16:00:00Z'); // 23:00 in Vietnam
    const outbox = new Outbox(ctx.db, ctx.catalog, ctx.hub, { zalo: { baseUrl: zalo.baseUrl, accessToken: zalo.oaToken }, now: () => now });
    const learner = (await ctx.learners.fromToken(officer.token))!;
    const make = (priority: 'normal' | 'scam_alert') => {
      const checked = checkDraft(draft({ priority, audience: { wards: [WARD_B] } }), { catalog: ctx.catalog, wards: ctx.areas.wards, linkDomains: ['gov.vn'], now });
      if (!checked.ok) throw new Error(checked.problems.join(' '));
      return ctx.broadcasts.create(learner, checked.draft, [WARD_B]);
    };
    const normal = await make('normal');
    const alert = await make('scam_alert');
    await outbox.runOnce();
    const toResident = () => zalo.messages.filter((m) => m.userId === resident.zaloId).map((m) => m.text);
    expect(toResident()).toHaveLength(1);
    expect(toResident()[0]).toMatch(/^CẢNH BÁO LỪA ĐẢO/);
    expect((await deliveries(normal.id)).every((r) => r.status === 'pending')).toBe(true);

    now = new Date('2026-12-01T23:59:00Z'); // 06:59: still night
    await outbox.runOnce();
    expect(toResident()).toHaveLength(1);
    now = new Date('2026-12-02T01:00:30Z'); // 08:00:30
    await outbox.runOnce();
    expect(toResident()).toHaveLength(2);
    expect((await deliveries(alert.id)).every((r) => r.status === 'delivered')).toBe(true);
    expect((await deliveries(normal.id)).every((r) => r.status === 'delivered')).toBe(true);
  });

  it('Zalo rate limits pause pushing without counting an attempt; a non-follower fails for good; 503 is retried', async () => {
    const officer = await person({ role: { role: 'officer', ward: WARD_B } });
    const people = [await person({ ward: WARD_B }), await person({ ward: WARD_B }), await person({ ward: WARD_B })];
    let now = new Date(Date.now() + 3_600_000);
    const outbox = new Outbox(ctx.db, ctx.catalog, ctx.hub, {
      zalo: { baseUrl: zalo.baseUrl, accessToken: zalo.oaToken },
      now: () => now,
      concurrency: 1,
    });
    const created = await officer.call<{ id: string }>('POST', '/api/officer/broadcasts', draft({ priority: 'scam_alert', audience: { wards: [WARD_B] } }));
    zalo.messageScript.push('http429');
    await outbox.runOnce();
    const paused = await deliveries(created.body.id);
    expect(paused.filter((r) => r.status === 'pending').length).toBeGreaterThanOrEqual(people.length);
    expect(zalo.messages).toHaveLength(0);
    const attempts = await ctx.db.query<{ n: number }>('SELECT max(attempts)::int AS n FROM broadcast_deliveries WHERE broadcast_id = $1', [created.body.id]);
    expect(attempts[0]!.n).toBe(0);

    now = new Date(now.getTime() + 61_000);
    zalo.messageScript.push('not-follower', 'http503');
    await outbox.runOnce();
    now = new Date(now.getTime() + 31_000);
    await outbox.runOnce();
    const rows = await deliveries(created.body.id);
    expect(rows.filter((r) => r.status === 'failed').map((r) => r.last_error)).toEqual([expect.stringMatching(/-213/)]);
    expect(rows.filter((r) => r.status === 'delivered').length).toBe(rows.length - 1);
    expect(new Set(zalo.messages.map((m) => m.userId)).size).toBe(zalo.messages.length);
  });

  it('a crash in the middle of pushing: on restart nobody gets the tip twice, and the rest get it', async () => {
    const officer = await person({ role: { role: 'officer', ward: WARD_A } });
    const residents: Person[] = [];
    for (let i = 0; i < 12; i++) residents.push(await person({ ward: WARD_A }));
    const created = await officer.call<{ id: string; report: { targeted: number } }>('POST', '/api/officer/broadcasts', draft({ priority: 'scam_alert' }));

    // First process: pushes four, then Zalo stops answering (messages arrive, answers never come) and the process dies.
    zalo.messageScript.push('ok', 'ok', 'ok', 'ok', 'hang', 'hang', 'hang');
    let now = new Date();
    const first = new Outbox(ctx.db, ctx.catalog, ctx.hub, {
      zalo: { baseUrl: zalo.baseUrl, accessToken: zalo.oaToken, timeoutMs: 60_000 },
      now: () => now,
      concurrency: 3,
    });
    void first.runOnce().catch(() => {});
    // Three pushes at a time: after four answers, all three workers wait on pushes that never answer. Only those
    // three are claimed; the other five are still pending.
    await waitFor(() => zalo.messages.length >= 7 || undefined);
    const sending = async () => (await deliveries(created.body.id)).filter((r) => r.status === 'sending').length;
    for (let i = 0; i < 100 && (await sending()) !== 3; i++) await new Promise((r) => setTimeout(r, 10));
    expect(await sending()).toBe(3);
    expect((await deliveries(created.body.id)).filter((r) => r.status === 'pending')).toHaveLength(5);
    const targeted = (await deliveries(created.body.id)).length;
    expect(targeted).toBe(residents.length);

    // Restart: a new process, a few minutes later, on the same database. The fan-out is repeated too, to show it
    // adds nobody twice.
    now = new Date(now.getTime() + 3 * 60_000);
    await ctx.db.query(`UPDATE broadcasts SET status = 'fanning_out' WHERE id = $1`, [created.body.id]);
    const second = new Outbox(ctx.db, ctx.catalog, ctx.hub, { zalo: { baseUrl: zalo.baseUrl, accessToken: zalo.oaToken }, now: () => now });
    await second.runOnce();
    const rows = await deliveries(created.body.id);
    expect(rows).toHaveLength(targeted);
    const perUser = new Map<string, number>();
    for (const m of zalo.messages) perUser.set(m.userId, (perUser.get(m.userId) ?? 0) + 1);
    expect([...perUser.values()].every((n) => n === 1)).toBe(true);
    expect(rows.filter((r) => r.status === 'failed').map((r) => r.last_error)).toEqual(['interrupted', 'interrupted', 'interrupted']);
    expect(rows.filter((r) => r.status === 'delivered').length).toBe(targeted - 3);
    expect(perUser.size).toBe(targeted);
  });
});
