/**
 * The HTTP API through Fastify's inject(): real routing, validation, error handler, rate limit and a real
 * PGlite database with every lesson of knowledge/ indexed. Nothing of the project is mocked.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../bot-server/src/context.js';
import { buildApp } from '../bot-server/src/app.js';
import { openTestContext } from './helpers.js';

interface LessonRef {
  id: string;
  title: string;
  topic: string;
}
interface ChatReply {
  kind: 'answer' | 'clarify' | 'out_of_scope' | 'safety';
  answer: string;
  lessons: LessonRef[];
  next?: { id: string; title: string };
  choices?: { label: string; message: string }[];
}
interface ErrorBody {
  error: string;
  code: string;
}

let ctx: AppContext;
let app: FastifyInstance;

beforeAll(async () => {
  ctx = await openTestContext();
  app = await buildApp(ctx);
  await app.ready();
});

afterAll(async () => {
  // onClose closes ctx (database and temp folder).
  await app?.close();
});

async function chat(payload: unknown): Promise<{ res: LightMyRequestResponse; body: ChatReply }> {
  const res = await app.inject({ method: 'POST', url: '/api/chat', payload: payload as object });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  return { res, body: res.json<ChatReply>() };
}

async function ask(message: string): Promise<ChatReply> {
  return (await chat({ message })).body;
}

/** Vietnamese words used across the server's error messages; at least one must appear. */
const VIETNAMESE_WORDS = ['bác', 'không', 'câu hỏi', 'dữ liệu', 'yêu cầu'];

function expectVietnameseError(res: LightMyRequestResponse, status: number): ErrorBody {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const body = res.json<ErrorBody>();
  expect(typeof body.error).toBe('string');
  const lower = body.error.toLowerCase();
  expect(VIETNAMESE_WORDS.some((w) => lower.includes(w)), `not Vietnamese: ${body.error}`).toBe(true);
  // No English framework message leaks through (Fastify's default texts are English).
  expect(body.error).not.toMatch(/\b(body|must|should|property|request|Unsupported|Media Type|JSON at position)\b/i);
  expect(typeof body.code).toBe('string');
  return body;
}

describe('POST /api/chat answers', () => {
  it('answers a VNeID question typed without diacritics, citing a VNeID lesson and the next lesson', async () => {
    const { res, body } = await chat({ message: 'cach kich hoat vneid' });
    expect(body.kind).toBe('answer');
    expect(body.lessons.length).toBeGreaterThan(0);
    const first = body.lessons[0]!;
    expect(first.topic).toBe('vneid');
    expect(first.id).toMatch(/^vneid-/);
    expect(typeof first.title).toBe('string');
    // Only the documented fields of a lesson reference are sent.
    for (const l of body.lessons) expect(Object.keys(l).sort()).toEqual(['id', 'title', 'topic']);
    // The answer is the lesson's numbered steps, and names the lesson it comes from.
    expect(body.answer).toMatch(/^1\. /m);
    expect(body.answer).toMatch(/^2\. /m);
    expect(body.answer).toContain(first.title);
    expect(body.next).toBeDefined();
    expect(body.next!.id).not.toBe(first.id);
    // The suggested next lesson exists.
    const next = await app.inject({ method: 'GET', url: `/api/lessons/${body.next!.id}` });
    expect(next.statusCode).toBe(200);
    expect(next.json<{ title: string }>().title).toBe(body.next!.title);
    // Security headers set on every reply.
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('answers the same question with diacritics the same way', async () => {
    const plain = await ask('cach kich hoat vneid');
    const marked = await ask('cách kích hoạt VNeID');
    expect(marked.kind).toBe('answer');
    expect(marked.lessons[0]?.id).toBe(plain.lessons[0]?.id);
  });

  it('turns a shared OTP into a safety warning and never repeats the code', async () => {
    const { res, body } = await chat({ message: 'ma otp cua toi la 551203' });
    expect(body.kind).toBe('safety');
    expect(body.answer).toContain('CẢNH BÁO');
    expect(body.answer).not.toContain('551203');
    expect(res.body).not.toContain('551203');
    expect(body.lessons.some((l) => l.topic === 'an-toan')).toBe(true);
  });

  it.each([
    'toi muon kich hoat vneid, cccd 001203004567',
    'so can cuoc cua toi la 001203004567 giup toi kich hoat vneid',
    'can cuoc 001 203 004 567 thi lam sao',
  ])('never echoes a 12-digit ID number: %s', async (message) => {
    const { res, body } = await chat({ message });
    expect(body.kind).toBe('safety');
    expect(res.body).not.toMatch(/001\s?203\s?004\s?567/);
    expect(res.body).not.toContain('004567');
  });

  it('says a weather question is out of scope, without citing lessons', async () => {
    const body = await ask('thoi tiet hom nay the nao');
    expect(body.kind).toBe('out_of_scope');
    expect(body.lessons).toEqual([]);
    expect(body.answer).toMatch(/VNeID/);
  });

  it.each(['xin chào', 'alo', 'cảm ơn cháu nhé', 'ok cam on nhieu'])('greets or thanks back on %j and offers choices', async (message) => {
    const body = await ask(message);
    expect(body.kind).toBe('clarify');
    expect(body.lessons).toEqual([]);
    expect(body.choices?.length).toBeGreaterThanOrEqual(2);
    expect(body.answer).toMatch(/Chào bác|không có gì/);
  });

  it('never answers a medicine dose question from a lesson', async () => {
    const body = await ask('tre 5 tuoi sot uong may vien paracetamol');
    expect(body.kind).toBe('out_of_scope');
    expect(body.answer).toMatch(/bác sĩ/);
  });

  it('reads "how not to be scammed" as a wish to learn, and "I was scammed" as an emergency', async () => {
    const learn = await ask('mua do tren shopee sao cho khoi bi lua');
    expect(learn.kind).toBe('answer');
    const emergency = await ask('toi vua bi lua chuyen 5 trieu roi');
    expect(emergency.kind).toBe('safety');
    expect(emergency.answer).toMatch(/ngân hàng/);
  });

  it('answers a real question that starts with a greeting', async () => {
    const body = await ask('chao bac, cho hoi cach cai vneid');
    expect(body.kind).toBe('answer');
    expect(body.lessons[0]?.topic).toBe('vneid');
  });

  it('sends questions about illness or medicine to a doctor, but keeps e-health questions in scope', async () => {
    const medicine = await ask('bị sốt thì uống thuốc gì');
    expect(medicine.kind).toBe('out_of_scope');
    expect(medicine.answer).toMatch(/bác sĩ/);
    const booking = await ask('bị sốt thì đặt lịch khám bệnh online thế nào');
    expect(booking.kind).toBe('answer');
    expect(booking.lessons[0]?.topic).toBe('suc-khoe');
  });

  it("asks what the citizen means on 'giúp tôi với', and every choice leads to an answer", async () => {
    const body = await ask('giúp tôi với');
    expect(body.kind).toBe('clarify');
    expect(body.choices).toBeDefined();
    const choices = body.choices!;
    expect(choices.length).toBeGreaterThanOrEqual(2);
    expect(choices.length).toBeLessThanOrEqual(4);
    expect(new Set(choices.map((c) => c.message)).size).toBe(choices.length);
    for (const choice of choices) {
      expect(choice.label.trim()).not.toBe('');
      const followUp = await ask(choice.message);
      expect(followUp.kind, `choice "${choice.label}" -> ${choice.message}`).toBe('answer');
      expect(followUp.lessons.length).toBeGreaterThan(0);
    }
  });

  it('never reflects an HTML/script payload raw', async () => {
    const payload = '<script>alert(1)</script> cach kich hoat vneid';
    const { res, body } = await chat({ message: payload });
    expect(body.answer).not.toContain('<script>');
    expect(res.body).not.toContain('<script');
    const img = await chat({ message: 'cach kich hoat vneid <img src=x onerror=alert(1)>' });
    expect(img.res.body).not.toContain('<img');
    expect(img.res.body).not.toContain('onerror');
  });

  it('does not echo a script payload in a validation error either', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/chat', payload: { message: `<script>x</script>${'a'.repeat(1000)}` } });
    expectVietnameseError(res, 400);
    expect(res.body).not.toContain('<script');
  });
});

describe('POST /api/chat refuses bad input in Vietnamese', () => {
  const post = (payload: string | object, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/api/chat', payload, headers });

  it('a message over 1000 characters -> 400', async () => {
    const body = expectVietnameseError(await post({ message: 'a'.repeat(1001) }), 400);
    expect(body.error).toContain('1.000');
  });

  it('exactly 1000 characters is still accepted', async () => {
    const res = await post({ message: `cach kich hoat vneid ${'a'.repeat(979)}` });
    expect(res.statusCode).toBe(200);
  });

  it('an empty message -> 400', async () => {
    const body = expectVietnameseError(await post({ message: '' }), 400);
    expect(body.error).toContain('chưa nhập');
  });

  it('a whitespace-only message -> 400', async () => {
    const body = expectVietnameseError(await post({ message: ' \n\t  ' }), 400);
    expect(body.error).toContain('chưa nhập');
  });

  it('a missing message -> 400', async () => {
    const body = expectVietnameseError(await post({}), 400);
    expect(body.error).toContain('chưa nhập');
  });

  it('a JSON array instead of an object -> 400', async () => {
    expectVietnameseError(await post('["cach kich hoat vneid"]', { 'content-type': 'application/json' }), 400);
  });

  // Fastify's default Ajv would coerce 5 to "5"; buildApp turns coercion off.
  it('a number instead of text -> 400 "Câu hỏi phải là chữ"', async () => {
    const body = expectVietnameseError(await post({ message: 5 }), 400);
    expect(body.error).toContain('chữ');
  });

  it('an object instead of text -> 400', async () => {
    expectVietnameseError(await post({ message: { text: 'cach kich hoat vneid' } }), 400);
  });

  // Fastify's default Ajv would silently drop the extra property; buildApp refuses it.
  it('an extra property -> 400', async () => {
    expectVietnameseError(await post({ message: 'cach kich hoat vneid', admin: true }), 400);
  });

  it('the optional userId is accepted', async () => {
    const res = await post({ message: 'cach kich hoat vneid', userId: 'u-1' });
    expect(res.statusCode).toBe(200);
    expect(res.json<ChatReply>().kind).toBe('answer');
  });

  it('invalid JSON -> 400', async () => {
    const body = expectVietnameseError(await post('{"message": "cach kich', { 'content-type': 'application/json' }), 400);
    expect(body.code).toBe('BAD_JSON');
  });

  it('an empty JSON body -> 400', async () => {
    expectVietnameseError(await post('', { 'content-type': 'application/json' }), 400);
  });

  it('a body over the 16 KiB limit -> 413', async () => {
    const body = expectVietnameseError(
      await post(JSON.stringify({ message: 'x'.repeat(20_000) }), { 'content-type': 'application/json' }),
      413,
    );
    expect(body.code).toBe('TOO_LARGE');
  });

  it('a form-encoded body -> 415', async () => {
    const body = expectVietnameseError(
      await post('message=cach+kich+hoat+vneid', { 'content-type': 'application/x-www-form-urlencoded' }),
      415,
    );
    expect(body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  // Fastify ships a text/plain parser; buildApp removes it so a text body is refused as unsupported.
  it('a text/plain body -> 415', async () => {
    expectVietnameseError(await post('cach kich hoat vneid', { 'content-type': 'text/plain' }), 415);
  });
});

describe('lessons and health', () => {
  interface LessonsList {
    topics: { id: string; label: string; count: number }[];
    lessons: { id: string; title: string; topic: string; level: number; summary: string; prerequisites: string[] }[];
  }

  it('GET /api/lessons lists the topics and every lesson', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/lessons' });
    expect(res.statusCode).toBe(200);
    const body = res.json<LessonsList>();
    expect(body.lessons).toHaveLength(ctx.catalog.lessons.length);
    expect(new Set(body.lessons.map((l) => l.id)).size).toBe(body.lessons.length);
    const topicIds = body.topics.map((t) => t.id);
    expect(topicIds).toEqual(expect.arrayContaining(['vneid', 'an-toan', 'thanh-toan', 'dich-vu-cong']));
    expect(body.topics.reduce((n, t) => n + t.count, 0)).toBe(body.lessons.length);
    for (const t of body.topics) {
      expect(t.label.length).toBeGreaterThan(0);
      expect(body.lessons.filter((l) => l.topic === t.id)).toHaveLength(t.count);
    }
    for (const l of body.lessons) {
      expect(topicIds).toContain(l.topic);
      expect([1, 2, 3]).toContain(l.level);
      expect(l.summary.length).toBeGreaterThan(0);
    }
  });

  it('GET /api/lessons?topic=vneid only lists VNeID lessons', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/lessons?topic=vneid' });
    expect(res.statusCode).toBe(200);
    const body = res.json<LessonsList>();
    const expected = body.topics.find((t) => t.id === 'vneid')!.count;
    expect(expected).toBeGreaterThan(0);
    expect(body.lessons).toHaveLength(expected);
    expect(body.lessons.every((l) => l.topic === 'vneid')).toBe(true);
  });

  it('GET /api/lessons?topic=bogus -> 400 in Vietnamese', async () => {
    expectVietnameseError(await app.inject({ method: 'GET', url: '/api/lessons?topic=bogus' }), 400);
  });

  it('GET /api/lessons/:id returns the steps, the quiz and the sources', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/lessons/vneid-kich-hoat' });
    expect(res.statusCode).toBe(200);
    const lesson = res.json<{
      id: string;
      title: string;
      topic: string;
      steps: string[];
      quiz: { question: string; options: string[]; answer: number; why: string }[];
      sources: { url: string }[];
      file?: unknown;
      hash?: unknown;
    }>();
    expect(lesson.id).toBe('vneid-kich-hoat');
    expect(lesson.topic).toBe('vneid');
    expect(lesson.steps.length).toBeGreaterThanOrEqual(3);
    expect(lesson.quiz.length).toBeGreaterThan(0);
    for (const q of lesson.quiz) expect(q.answer).toBeLessThan(q.options.length);
    expect(lesson.sources.length).toBeGreaterThan(0);
    for (const s of lesson.sources) expect(s.url).toMatch(/^https?:\/\//);
    // Server internals (file path on disk, content hash) are not exposed.
    expect(lesson).not.toHaveProperty('file');
    expect(lesson).not.toHaveProperty('hash');
  });

  it('every listed lesson can be opened', async () => {
    const list = (await app.inject({ method: 'GET', url: '/api/lessons' })).json<LessonsList>();
    for (const l of list.lessons) {
      const res = await app.inject({ method: 'GET', url: `/api/lessons/${l.id}` });
      expect(res.statusCode, l.id).toBe(200);
      expect(res.json<{ title: string }>().title).toBe(l.title);
    }
  });

  it('GET /api/lessons/:id of an unknown lesson -> 404 in Vietnamese', async () => {
    const body = expectVietnameseError(await app.inject({ method: 'GET', url: '/api/lessons/khong-co-bai-nay' }), 404);
    expect(body.code).toBe('NOT_FOUND');
  });

  it('an unknown route -> 404 in Vietnamese', async () => {
    expectVietnameseError(await app.inject({ method: 'GET', url: '/api/khong-co' }), 404);
  });

  it('GET /health -> ok with the database and the lesson count', async () => {
    const res = await app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: 'pglite', lessons: ctx.catalog.lessons.length });
  });
});

describe('rate limit', () => {
  let limited: FastifyInstance;

  beforeAll(async () => {
    // Same database, stricter config; its close must not close the shared context (the first app owns it).
    limited = await buildApp({ ...ctx, config: { ...ctx.config, rateLimitPerMinute: 3 }, close: async () => {} });
    await limited.ready();
  });

  afterAll(async () => {
    await limited?.close();
  });

  it('refuses the 4th chat request within a minute with 429 in Vietnamese, /health stays open', async () => {
    const statuses: number[] = [];
    let last: LightMyRequestResponse | undefined;
    for (let i = 0; i < 4; i++) {
      last = await limited.inject({ method: 'POST', url: '/api/chat', payload: { message: 'cach kich hoat vneid' } });
      statuses.push(last.statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    const body = expectVietnameseError(last!, 429);
    expect(body.code).toBe('RATE_LIMITED');
    expect(body.error).toContain('Bác');
    // Health checks are exempt from the limit.
    const health = await limited.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    // The shared context is still open after the limited app was used (and the main app still answers).
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });
});
