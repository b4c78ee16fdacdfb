/**
 * Learner journeys through the real HTTP API (and one over a real WebSocket), on the embedded database and on the
 * PostgreSQL server: same migrations, same SQL. Recommendations and their reasons are asserted for a beginner,
 * someone who has VNeID but never paid online, someone who fails the scam quiz, and someone who keeps asking
 * about VietQR.
 */
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildApp } from '../bot-server/src/app.js';
import type { AppContext } from '../bot-server/src/context.js';
import { MASTERED } from '../bot-server/src/learning/mastery.js';
import { PLACEMENT, unknownPlacementLessons } from '../bot-server/src/learning/placement.js';
import type { RecommendationView } from '../bot-server/src/learning/service.js';
import { createScratchDatabase, findPostgres, openTestContext } from './helpers.js';

const postgres = await findPostgres();
if (postgres.reason && process.env.CI === 'true') {
  throw new Error(`CI=true: the learning suite must run against PostgreSQL, but ${postgres.reason}`);
}

type Rec = RecommendationView;
interface Recs {
  next?: Rec;
  alternative?: Rec;
}
interface QuizBody extends Recs {
  correct: number;
  total: number;
  mastery: number;
  mastered: boolean;
  review?: boolean;
  reviewDue?: string;
  replayed: boolean;
}

const backends = [
  { name: 'pglite', skip: undefined as string | undefined, databaseUrl: async () => ({ url: undefined as string | undefined, drop: async () => {} }) },
  { name: 'postgres', skip: postgres.reason, databaseUrl: () => createScratchDatabase(postgres.url!) },
];

for (const backend of backends) {
  (backend.skip ? describe.skip : describe)(`learner journeys on ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`, () => {
    let ctx: AppContext;
    let app: FastifyInstance;
    let drop: () => Promise<void>;
    let devCounter = 0;

    beforeAll(async () => {
      const db = await backend.databaseUrl();
      drop = db.drop;
      ctx = await openTestContext({ databaseUrl: db.url, devLogin: true });
      app = await buildApp(ctx);
      await app.ready();
    });
    afterAll(async () => {
      await app?.close();
      await drop?.();
    });

    async function newLearner(): Promise<{ token: string; call: <T>(method: string, url: string, payload?: object) => Promise<{ status: number; body: T }> }> {
      const deviceId = `dev-${backend.name}${String(++devCounter).padStart(4, '0')}`;
      const res = await app.inject({ method: 'POST', url: '/api/session/dev', payload: { deviceId } });
      expect(res.statusCode, res.body).toBe(200);
      const token = res.json<{ token: string }>().token;
      const call = async <T>(method: string, url: string, payload?: object) => {
        const r = await app.inject({ method: method as 'GET', url, payload, headers: { authorization: `Bearer ${token}` } });
        return { status: r.statusCode, body: r.json<T>() };
      };
      return { token, call };
    }

    type Call = Awaited<ReturnType<typeof newLearner>>['call'];

    /** Views every step, then answers the quiz: right answers where `right` says so. */
    async function study(call: Call, lessonId: string, right: boolean[] | 'all' | 'none', submissionId = `s-${lessonId}-${Math.random().toString(36).slice(2, 10)}`) {
      const lesson = ctx.catalog.get(lessonId)!;
      expect((await call('POST', `/api/progress/${lessonId}/steps`, { stepsSeen: lesson.steps.length })).status).toBe(200);
      const pattern = right === 'all' ? lesson.quiz.map(() => true) : right === 'none' ? lesson.quiz.map(() => false) : right;
      const answers = lesson.quiz.map((q, i) => (pattern[i] ? q.answer : (q.answer + 1) % q.options.length));
      const res = await call<QuizBody>('POST', `/api/progress/${lessonId}/quiz`, { submissionId, answers });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body;
    }

    /** Every recommendation must be learnable now: its prerequisites mastered, and it not mastered (unless a review). */
    async function expectLearnable(call: Call, rec: Rec | undefined) {
      expect(rec).toBeDefined();
      const progress = (await call<{ lessons: { id: string; mastered: boolean }[] }>('GET', '/api/progress')).body.lessons;
      const mastered = new Set(progress.filter((l) => l.mastered).map((l) => l.id));
      const lesson = ctx.catalog.get(rec!.id)!;
      for (const p of lesson.prerequisites) expect(mastered.has(p), `${rec!.id} needs ${p}`).toBe(true);
      expect(mastered.has(rec!.id)).toBe(rec!.kind === 'review');
      expect(rec!.reason.length).toBeGreaterThan(10);
    }

    it('the placement check has 3-5 questions, all lessons it names exist, and it is offered until answered or skipped', async () => {
      expect(unknownPlacementLessons((id) => !!ctx.catalog.get(id))).toEqual([]);
      const { call } = await newLearner();
      const { body } = await call<{ questions: { id: string; question: string; options: string[] }[] }>('GET', '/api/placement');
      expect(body.questions.length).toBeGreaterThanOrEqual(3);
      expect(body.questions.length).toBeLessThanOrEqual(5);
      expect(body.questions[0]!.question).toMatch(/VNeID/);
      expect((await call<{ placementDone: boolean }>('GET', '/api/me')).body.placementDone).toBe(false);
      expect((await call('POST', '/api/placement', { answers: {} })).status).toBe(200);
      expect((await call<{ placementDone: boolean }>('GET', '/api/me')).body.placementDone).toBe(true);
      for (const answers of [{ vneid: 9 }, { unknown: 0 }, { vneid: '0' }, { vneid: -1 }]) {
        expect((await call('POST', '/api/placement', { answers })).status, JSON.stringify(answers)).toBe(400);
      }
    });

    it('a beginner: starts with what VNeID is, and moves on once it is mastered', async () => {
      const { call } = await newLearner();
      const none = { vneid: 2, 'thanh-toan': 2, 'dich-vu-cong': 1, 'an-toan': 2 };
      const placed = await call<Recs>('POST', '/api/placement', { answers: none });
      expect(placed.body.next).toMatchObject({ id: 'vneid-gioi-thieu', kind: 'learn' });
      expect(placed.body.next!.reason).toMatch(/chưa làm được/);
      expect(placed.body.next!.chance).toBeGreaterThanOrEqual(0.7);
      expect(placed.body.next!.chance).toBeLessThanOrEqual(0.85);
      expect(placed.body.alternative!.topic).not.toBe('vneid');
      await expectLearnable(call, placed.body.alternative);

      const quiz = await study(call, 'vneid-gioi-thieu', 'all');
      expect(quiz).toMatchObject({ correct: 3, total: 3, mastered: true, replayed: false });
      expect(quiz.next!.id).not.toBe('vneid-gioi-thieu');
      await expectLearnable(call, quiz.next);
      // The next step on the way to activating VNeID (which the placement showed is needed).
      expect(['vneid-dang-ky-muc-2', 'dien-thoai-wifi-4g']).toContain(quiz.next!.id);
    });

    it('has VNeID but never paid online: payment first, nothing about VNeID basics', async () => {
      const { call } = await newLearner();
      const placed = await call<Recs>('POST', '/api/placement', { answers: { vneid: 0, 'thanh-toan': 2, 'dich-vu-cong': 0, 'an-toan': 2 } });
      expect(placed.body.next).toMatchObject({ id: 'thanh-toan-ung-dung-ngan-hang', topic: 'thanh-toan' });
      expect(placed.body.next!.reason).toMatch(/chưa làm được/);
      for (const rec of [placed.body.next, placed.body.alternative]) {
        expect(['vneid-gioi-thieu', 'vneid-kich-hoat', 'vneid-dang-ky-muc-2', 'dien-thoai-cai-ung-dung']).not.toContain(rec!.id);
      }
      // Self-reported skills count as mastered: the VNeID follow-ups are open.
      const progress = (await call<{ lessons: { id: string; mastered: boolean }[] }>('GET', '/api/progress')).body.lessons;
      expect(progress.find((l) => l.id === 'vneid-kich-hoat')?.mastered).toBe(true);
    });

    it('asks about VietQR three times: the payment lessons on the way to VietQR come first, and the answer says what is missing', async () => {
      const { call } = await newLearner();
      await call('POST', '/api/placement', { answers: { vneid: 0, 'thanh-toan': 1, 'dich-vu-cong': 0, 'an-toan': 2, 'muc-tieu': 4 } });
      const before = (await call<Recs>('GET', '/api/recommendations')).body;
      expect(before.next!.topic).toBe('suc-khoe'); // the stated goal, until the questions say otherwise

      let reply: { kind: string; lessons: { id: string }[]; next?: { id: string; reason: string }; prerequisite?: { id: string; text: string } } | undefined;
      for (const message of ['cach quet ma vietqr', 'quét mã QR trả tiền ở chợ thế nào', 'vietqr dung sao']) {
        reply = (await call<NonNullable<typeof reply>>('POST', '/api/chat', { message })).body;
        expect(reply.lessons[0]!.id).toBe('thanh-toan-vietqr');
      }
      expect(reply!.prerequisite).toMatchObject({ id: 'thanh-toan-chuyen-khoan' });
      expect(reply!.prerequisite!.text).toMatch(/^Trước khi làm theo bài «Quét mã VietQR để trả tiền», bác nên học bài «Chuyển khoản bằng ứng dụng ngân hàng»/);
      expect(reply!.next).toMatchObject({ id: 'thanh-toan-chuyen-khoan' });
      expect(reply!.next!.reason).toMatch(/«Quét mã VietQR để trả tiền».*3 lần/);

      // Once transfers are mastered, VietQR itself is next, because it was asked about.
      await study(call, 'thanh-toan-chuyen-khoan', 'all');
      const after = (await call<Recs>('GET', '/api/recommendations')).body;
      expect(after.next).toMatchObject({ id: 'thanh-toan-vietqr', reason: 'Bác đã hỏi về việc này 3 lần gần đây.' });
      expect(after.alternative!.topic).not.toBe('thanh-toan');
    });

    it('fails the scam quiz: retry it first; passes: it comes back for a spaced review', async () => {
      const { token, call } = await newLearner();
      const failed = await study(call, 'an-toan-otp', 'none');
      expect(failed).toMatchObject({ correct: 0, mastered: false });
      expect(failed.mastery).toBeLessThan(0.5);
      expect(failed.reviewDue).toBeUndefined();
      // A failed quiz does not complete the lesson.
      const afterFail = (await call<{ lessons: { id: string; completedAt?: string; attempts: number }[] }>('GET', '/api/progress')).body.lessons;
      expect(afterFail.find((l) => l.id === 'an-toan-otp')).toMatchObject({ attempts: 1 });
      expect(afterFail.find((l) => l.id === 'an-toan-otp')!.completedAt).toBeUndefined();
      expect(failed.next).toMatchObject({ id: 'an-toan-otp', kind: 'learn' });
      expect(failed.next!.reason).toBe('Làm lại bài kiểm tra để nắm chắc hơn (lần trước đúng 0/3 câu).');
      // Lessons that build on the OTP lesson stay closed.
      for (const rec of [failed.next, failed.alternative]) expect(['an-toan-gia-danh', 'an-toan-nguoi-la-zalo']).not.toContain(rec!.id);

      const passed = await study(call, 'an-toan-otp', 'all');
      expect(passed.mastered).toBe(true);
      expect(passed.mastery).toBeGreaterThanOrEqual(MASTERED);
      const due = Date.parse(passed.reviewDue!);
      expect(due - Date.now()).toBeGreaterThan(1.5 * 86_400_000);
      expect(due - Date.now()).toBeLessThan(10 * 86_400_000);
      expect(passed.next!.id).not.toBe('an-toan-otp');

      // Time passes (the service takes "now"): the review is due and outranks new lessons.
      const learner = (await ctx.learners.fromToken(token))!;
      const later = new Date(due + 86_400_000);
      const recs = await ctx.learning.recommendations(learner, later);
      expect(recs.next).toMatchObject({ id: 'an-toan-otp', kind: 'review' });
      expect(recs.next!.reason).toMatch(/ôn lại/);

      const lesson = ctx.catalog.get('an-toan-otp')!;
      const review = await ctx.learning.submitQuiz(learner, lesson, 'review-0001', lesson.quiz.map((q) => q.answer), later);
      expect(review.review).toBe(true);
      expect(Date.parse(review.reviewDue!) - later.getTime()).toBeGreaterThan(7 * 86_400_000);
      const afterReview = await ctx.learning.recommendations(learner, later);
      expect(afterReview.next!.id).not.toBe('an-toan-otp');
    });

    it('a quiz submission retried with the same id is counted once; bad submissions are refused in Vietnamese', async () => {
      const { call } = await newLearner();
      const first = await study(call, 'an-toan-mat-khau', [true, false, true], 'retry-same-id-1');
      const lesson = ctx.catalog.get('an-toan-mat-khau')!;
      const answers = lesson.quiz.map((q, i) => (i === 1 ? (q.answer + 1) % q.options.length : q.answer));
      const again = await call<QuizBody>('POST', '/api/progress/an-toan-mat-khau/quiz', { submissionId: 'retry-same-id-1', answers });
      expect(again.body.replayed).toBe(true);
      expect(again.body.mastery).toBeCloseTo(first.mastery, 3);
      const progress = (await call<{ lessons: { id: string; attempts: number }[] }>('GET', '/api/progress')).body.lessons;
      expect(progress.find((l) => l.id === 'an-toan-mat-khau')!.attempts).toBe(1);

      const wrongLength = await call<{ code: string; error: string }>('POST', '/api/progress/an-toan-mat-khau/quiz', { submissionId: 'other-id-01', answers: [0] });
      expect(wrongLength.status).toBe(400);
      expect(wrongLength.body.code).toBe('QUIZ_MISMATCH');
      expect(wrongLength.body.error).toMatch(/Bài kiểm tra/);
      expect((await call('POST', '/api/progress/khong-co-bai/quiz', { submissionId: 'other-id-02', answers: [0, 0, 0] })).status).toBe(404);
      expect((await call('POST', '/api/progress/an-toan-mat-khau/quiz', { submissionId: 'x', answers: [0, 0, 0] })).status).toBe(400);
      expect((await call('POST', '/api/progress/an-toan-mat-khau/quiz', { submissionId: 'other-id-03', answers: [0, 0, 9] })).status).toBe(400);
      expect((await call('POST', '/api/progress/an-toan-mat-khau/steps', { stepsSeen: 0 })).status).toBe(400);
    });

    it('seeing the steps counts once as studying, and more steps than the lesson has are capped', async () => {
      const { call } = await newLearner();
      const lesson = ctx.catalog.get('dien-thoai-chu-to')!;
      const partial = await call<{ stepsSeen: number; mastery: number }>('POST', '/api/progress/dien-thoai-chu-to/steps', { stepsSeen: 1 });
      const full = await call<{ stepsSeen: number; mastery: number }>('POST', '/api/progress/dien-thoai-chu-to/steps', { stepsSeen: 20 });
      const again = await call<{ stepsSeen: number; mastery: number }>('POST', '/api/progress/dien-thoai-chu-to/steps', { stepsSeen: lesson.steps.length });
      expect(full.body.stepsSeen).toBe(lesson.steps.length);
      expect(full.body.mastery).toBeGreaterThan(partial.body.mastery);
      expect(again.body.mastery).toBe(full.body.mastery);
      const back = await call<{ stepsSeen: number }>('POST', '/api/progress/dien-thoai-chu-to/steps', { stepsSeen: 1 });
      expect(back.body.stepsSeen).toBe(lesson.steps.length);
    });

    it('the goal leads to its topic, through the lessons it needs first', async () => {
      const { call } = await newLearner();
      const me = await call<{ goal: string }>('PATCH', '/api/me', { goal: 'dich-vu-cong' });
      expect(me.body.goal).toBe('dich-vu-cong');
      const recs = (await call<Recs>('GET', '/api/recommendations')).body;
      expect(recs.next!.topic).toBe('dich-vu-cong');
      expect(recs.next!.reason).toMatch(/dịch vụ công/);
      expect((await call('PATCH', '/api/me', { goal: 'nau-an' })).status).toBe(400);
      expect((await call('PATCH', '/api/me', { area: { province: 'Phú Thọ', ward: 'Phường Không Có' } })).status).toBe(400);
      expect((await call<{ area: unknown }>('PATCH', '/api/me', { area: { province: 'Phú Thọ', ward: 'Phường Việt Trì' } })).body.area).toEqual({
        province: 'Phú Thọ',
        ward: 'Phường Việt Trì',
      });
    });

    it('"Xóa dữ liệu của tôi" removes every row about the learner, in every table, and nobody else\'s', async () => {
      const keep = await newLearner();
      await study(keep.call, 'an-toan-otp', 'all');
      const gone = await newLearner();
      await gone.call('PATCH', '/api/me', { area: { province: 'Phú Thọ', ward: 'Phường Việt Trì' }, goal: 'vneid' });
      await gone.call('POST', '/api/placement', { answers: { vneid: 1, 'an-toan': 0 } });
      await study(gone.call, 'an-toan-otp', 'all');
      await gone.call('POST', '/api/chat', { message: 'cach kich hoat vneid' });
      const id = (await ctx.learners.fromToken(gone.token))!.id;

      // Every table that refers to a learner, found from the schema so that a new table cannot be forgotten.
      const tables = (
        await ctx.db.query<{ table_name: string }>(
          `SELECT DISTINCT table_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'learner_id'`,
        )
      ).map((r) => r.table_name);
      const written = ['learner_questions', 'learner_sessions', 'lesson_progress', 'quiz_attempts'];
      expect(tables).toEqual(expect.arrayContaining(written));
      const rowsOf = async (learnerId: string) => {
        const counts: Record<string, number> = {};
        for (const t of tables) counts[t] = (await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t} WHERE learner_id = $1`, [learnerId]))[0]!.n;
        counts.learners = (await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM learners WHERE id = $1', [learnerId]))[0]!.n;
        return counts;
      };
      const before = await rowsOf(id);
      for (const t of written) expect(before[t], t).toBeGreaterThan(0);
      const keepId = (await ctx.learners.fromToken(keep.token))!.id;
      const keepBefore = await rowsOf(keepId);

      const res = await gone.call<{ deleted: boolean }>('DELETE', '/api/me');
      expect(res).toEqual({ status: 200, body: { deleted: true } });
      expect(Object.values(await rowsOf(id)).every((n) => n === 0)).toBe(true);
      expect(await rowsOf(keepId)).toEqual(keepBefore);
      expect((await gone.call('GET', '/api/me')).status).toBe(401);
    });

    it('over the WebSocket, a signed-in learner gets the personalised next; an expired session is said and the answer still comes', async () => {
      const { token } = await newLearner();
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.address() as AddressInfo;
      const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
      const frames: Record<string, unknown>[] = [];
      const waitFor = (pred: (f: Record<string, unknown>) => boolean) =>
        new Promise<Record<string, unknown>>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`timeout; frames: ${JSON.stringify(frames)}`)), 5000);
          const check = () => {
            const f = frames.find(pred);
            if (f) {
              clearTimeout(timer);
              resolve(f);
            } else setTimeout(check, 10);
          };
          check();
        });
      ws.on('message', (d) => frames.push(JSON.parse(d.toString())));
      await new Promise((r) => ws.once('open', r));
      try {
        ws.send(JSON.stringify({ type: 'auth', id: 'a1', token: 'not-a-token' }));
        expect(await waitFor((f) => f.id === 'a1')).toMatchObject({ type: 'auth', ok: false, code: 'UNAUTHENTICATED' });
        ws.send(JSON.stringify({ type: 'auth', id: 'a2', token }));
        expect(await waitFor((f) => f.id === 'a2')).toMatchObject({ type: 'auth', ok: true });
        ws.send(JSON.stringify({ type: 'chat', id: 'q1', message: 'cach quet ma vietqr' }));
        const reply = await waitFor((f) => f.id === 'q1' && f.type === 'reply');
        // A new learner: the first step on the way to VietQR is the phone's connection, in the answer and in "next".
        expect(reply).toMatchObject({ kind: 'answer', prerequisite: { id: 'dien-thoai-wifi-4g' }, next: { id: 'dien-thoai-wifi-4g' } });
        expect((reply.next as { reason: string }).reason).toMatch(/VietQR/);

        // A question sent right behind the 'auth' frame, without waiting for its acknowledgement, is answered for
        // the signed-in learner: the server applies the session check first.
        const fresh = new WebSocket(`ws://127.0.0.1:${port}/ws`);
        const freshFrames: Record<string, unknown>[] = [];
        fresh.on('message', (d) => freshFrames.push(JSON.parse(d.toString())));
        await new Promise((r) => fresh.once('open', r));
        fresh.send(JSON.stringify({ type: 'auth', id: 'a3', token }));
        fresh.send(JSON.stringify({ type: 'chat', id: 'q1b', message: 'cach quet ma vietqr' }));
        for (let i = 0; i < 500 && !freshFrames.some((f) => f.id === 'q1b'); i++) await new Promise((r) => setTimeout(r, 10));
        fresh.close();
        const quick = freshFrames.find((f) => f.id === 'q1b' && f.type === 'reply')!;
        expect((quick.next as { reason?: string }).reason).toMatch(/VietQR/);

        await ctx.db.query("UPDATE learner_sessions SET expires_at = now() - interval '1 second'");
        ws.send(JSON.stringify({ type: 'chat', id: 'q2', message: 'cach quet ma vietqr' }));
        const anonymous = await waitFor((f) => f.id === 'q2' && f.type === 'reply');
        expect(frames.some((f) => f.type === 'auth' && f.ok === false && f.id === undefined)).toBe(true);
        expect(anonymous.prerequisite).toBeUndefined();
        expect((anonymous.next as { reason?: string }).reason).toBeUndefined();
      } finally {
        ws.close();
      }
    });
  });
}

describe('placement definitions', () => {
  it('every option is either a skill, a need, evidence or a goal, and labels are short', () => {
    for (const q of PLACEMENT) {
      expect(q.options.length).toBeGreaterThanOrEqual(2);
      for (const o of q.options) {
        expect(o.label.split(/\s+/).length).toBeLessThanOrEqual(10);
        expect(Boolean(o.knows || o.needs || o.evidence || o.goal || o.label === 'Chưa')).toBe(true);
      }
    }
  });
});
