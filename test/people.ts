/**
 * Signed-in people for API tests: a learner (optionally with a ward, a role, a name) with a session made directly
 * (Zalo sign-in itself is tested in identity.test.ts, and is rate-limited per address), and helpers to call the
 * API as them and to pass quizzes through the real route.
 */
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { AppContext } from '../bot-server/src/context.js';
import type { Learner } from '../bot-server/src/identity/learners.js';

export interface Response<T> {
  status: number;
  body: T;
  raw: Buffer;
  type: string;
  headers: Record<string, unknown>;
}

export interface Person {
  zaloId: string;
  externalId: string;
  token: string;
  learner: Learner;
  call: <T = Record<string, unknown>>(method: string, url: string, payload?: object) => Promise<Response<T>>;
  /** Answers a lesson's quiz (all right by default) through POST /api/progress/:id/quiz. */
  pass: (lessonId: string, right?: boolean) => Promise<void>;
  /** Masters one lesson of each group of the basic level. */
  reachBasic: () => Promise<void>;
}

export interface PersonOptions {
  ward?: string;
  /** An officer of this ward (or of `ward` when true). */
  officerOf?: string;
  admin?: boolean;
  name?: string;
}

/** Calls the app with a session token; JSON bodies parsed, others as text (raw bytes kept). */
export function caller(app: () => FastifyInstance, token: string): Person['call'] {
  return async (method, url, payload) => {
    const r = await app().inject({ method: method as 'GET', url, payload, headers: { authorization: `Bearer ${token}` } });
    const type = String(r.headers['content-type'] ?? '');
    return { status: r.statusCode, body: (type.includes('json') ? r.json() : r.body) as never, raw: r.rawPayload, type, headers: r.headers };
  };
}

/** A factory of people for one test file's context and app (given lazily: both are made in beforeAll). */
export function people(ctx: () => AppContext, app: () => FastifyInstance, firstId = 10_000) {
  let next = firstId;
  return async function person(opts: PersonOptions = {}): Promise<Person> {
    const zaloId = String(++next);
    const externalId = `zalo:${zaloId}`;
    if (opts.officerOf) await ctx().roles.grant('cli:test', externalId, 'officer', opts.officerOf);
    if (opts.admin) await ctx().roles.grant('cli:test', externalId, 'admin');
    const { token, learner } = await ctx().learners.signIn(externalId, opts.name ?? `Người ${zaloId}`);
    if (opts.ward) await ctx().learners.updateProfile(learner.id, { area: { province: ctx().areas.province, ward: opts.ward } });
    const call = caller(app, token);
    const pass: Person['pass'] = async (lessonId, right = true) => {
      const lesson = ctx().catalog.get(lessonId)!;
      const answers = lesson.quiz.map((q) => (right ? q.answer : (q.answer + 1) % q.options.length));
      const submissionId = `q-${zaloId}-${lessonId}-${Math.random().toString(36).slice(2, 8)}`;
      const res = await call<{ mastered: boolean }>('POST', `/api/progress/${lessonId}/quiz`, { submissionId, answers });
      expect(res.status, lessonId).toBe(200);
      if (right) expect(res.body.mastered, lessonId).toBe(true);
    };
    const reachBasic = async () => {
      for (const id of ['dien-thoai-chu-to', 'an-toan-otp', 'vneid-gioi-thieu']) await pass(id);
    };
    return { zaloId, externalId, token, learner, call, pass, reachBasic };
  };
}
