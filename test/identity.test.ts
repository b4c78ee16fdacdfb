/**
 * Sign-in and erasure through the real HTTP API, a real PGlite database, and a local server speaking Zalo's
 * Graph API (test/fake-zalo.ts). Nothing of the project is mocked.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../bot-server/src/app.js';
import { loadConfig } from '../bot-server/src/config.js';
import type { AppContext } from '../bot-server/src/context.js';
import { appSecretProof } from '../bot-server/src/identity/zalo-graph.js';
import { startFakeZalo, type FakeZalo } from './fake-zalo.js';
import { openTestContext } from './helpers.js';

let zalo: FakeZalo;
let ctx: AppContext;
let app: FastifyInstance;

const count = async (table: string) => (await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n;

async function signInZalo(accessToken: string) {
  return app.inject({ method: 'POST', url: '/api/session', payload: { accessToken } });
}

beforeAll(async () => {
  zalo = await startFakeZalo();
  ctx = await openTestContext({ zalo: { appId: '1234567890', appSecret: zalo.appSecret, graphUrl: zalo.baseUrl }, devLogin: false });
  app = await buildApp(ctx);
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await zalo?.close();
});

beforeEach(async () => {
  zalo.failure = undefined;
  zalo.tokens.clear();
  zalo.expired.clear();
  zalo.calls.length = 0;
  await ctx.db.query('DELETE FROM learners');
});

describe('Zalo sign-in', () => {
  it('verifies the Mini App token with the Graph API once, with the app secret proof, and issues our own session', async () => {
    zalo.tokens.set('zalo-token-abc', { id: '5511223344556677889', name: 'Nguyễn Văn Ba' });
    const res = await signInZalo('zalo-token-abc');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ token: string; expiresAt: string; profile: { name: string; source: string; placementDone: boolean } }>();
    expect(body.profile).toMatchObject({ name: 'Nguyễn Văn Ba', source: 'zalo', placementDone: false });
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.token).not.toContain('zalo-token');
    const ttl = Date.parse(body.expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(50 * 60_000);
    expect(ttl).toBeLessThanOrEqual(60 * 60_000);
    expect(zalo.calls).toEqual([{ token: 'zalo-token-abc', proofOk: true }]);

    // Our session token is what authenticates from now on; Zalo is not asked again.
    for (let i = 0; i < 3; i++) {
      const me = await app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${body.token}` } });
      expect(me.statusCode).toBe(200);
      expect(me.json()).toMatchObject({ name: 'Nguyễn Văn Ba', source: 'zalo', area: null, goal: null });
    }
    expect(zalo.calls).toHaveLength(1);

    // Stored: the Zalo id and the name, and only a hash of our token.
    const [row] = await ctx.db.query<Record<string, unknown>>('SELECT * FROM learners');
    expect(row).toMatchObject({ external_id: 'zalo:5511223344556677889', display_name: 'Nguyễn Văn Ba' });
    const sessions = await ctx.db.query<{ token_hash: string }>('SELECT token_hash FROM learner_sessions');
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.token_hash).not.toBe(body.token);
  });

  it('a second sign-in is the same learner, with the name Zalo gives now', async () => {
    zalo.tokens.set('t1', { id: '42', name: 'Bà Tư' });
    zalo.tokens.set('t2', { id: '42', name: 'Bà Tư Hà' });
    expect((await signInZalo('t1')).statusCode).toBe(200);
    expect((await signInZalo('t2')).statusCode).toBe(200);
    expect(await count('learners')).toBe(1);
    expect((await ctx.db.query<{ display_name: string }>('SELECT display_name FROM learners'))[0]!.display_name).toBe('Bà Tư Hà');
  });

  it.each([
    ['a forged token', () => 'forged-token', 'ZALO_TOKEN_REJECTED'],
    ['an expired token', () => (zalo.expired.add('old-token'), 'old-token'), 'ZALO_TOKEN_REJECTED'],
  ])('%s gets 401 in Vietnamese and nothing is written', async (_name, token, code) => {
    const res = await signInZalo(token());
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code });
    expect(res.json<{ error: string }>().error).toMatch(/Zalo/);
    expect(await count('learners')).toBe(0);
    expect(await count('learner_sessions')).toBe(0);
  });

  it('a token of another app (the proof made with another secret does not match) gets 401', async () => {
    zalo.tokens.set('other-app-token', { id: '77', name: 'X' });
    const other = await openTestContext({ zalo: { appId: '999', appSecret: 'a-different-secret', graphUrl: zalo.baseUrl }, devLogin: false });
    const otherApp = await buildApp(other);
    try {
      const res = await otherApp.inject({ method: 'POST', url: '/api/session', payload: { accessToken: 'other-app-token' } });
      expect(res.statusCode).toBe(401);
      expect(zalo.calls.at(-1)).toEqual({ token: 'other-app-token', proofOk: false });
      expect((await other.db.query('SELECT 1 FROM learners'))).toHaveLength(0);
    } finally {
      await otherApp.close();
    }
  });

  it.each([['http500'], ['not-json']] as const)('Zalo unavailable (%s) is 502, retryable, and nothing is written', async (failure) => {
    zalo.tokens.set('good', { id: '1', name: 'A' });
    zalo.failure = failure;
    const res = await signInZalo('good');
    expect(res.statusCode).toBe(502);
    expect(res.json()).toMatchObject({ code: 'ZALO_UNAVAILABLE' });
    expect(await count('learners')).toBe(0);
  });

  it('refuses bad bodies before calling Zalo', async () => {
    for (const payload of [{}, { accessToken: '' }, { accessToken: 'x'.repeat(3000) }, { accessToken: 5 }, { accessToken: 'a', extra: 1 }]) {
      const res = await app.inject({ method: 'POST', url: '/api/session', payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    }
    expect(zalo.calls).toHaveLength(0);
  });

  it('appsecret_proof is the hex HMAC-SHA256 of the token keyed by the secret', () => {
    // Computed independently: printf 'token' | openssl dgst -sha256 -hmac 'secret'
    expect(appSecretProof('secret', 'token')).toBe('e941110e3d2bfe82621f0e3e1434730d7305d106c5f68c87165d0b27a4611a4a');
  });
});

describe('our sessions', () => {
  async function session(): Promise<string> {
    zalo.tokens.set('tok', { id: '1001', name: 'Chú Năm' });
    return (await signInZalo('tok')).json<{ token: string }>().token;
  }

  it('an expired session gets 401 on every write, and nothing is written', async () => {
    const token = await session();
    await ctx.db.query("UPDATE learner_sessions SET expires_at = now() - interval '1 second'");
    const auth = { authorization: `Bearer ${token}` };
    const writes = [
      { method: 'POST' as const, url: '/api/progress/an-toan-otp/steps', payload: { stepsSeen: 2 } },
      { method: 'POST' as const, url: '/api/progress/an-toan-otp/quiz', payload: { submissionId: 'abcdefgh1', answers: [0, 0, 0] } },
      { method: 'POST' as const, url: '/api/placement', payload: { answers: { vneid: 0 } } },
      { method: 'PATCH' as const, url: '/api/me', payload: { goal: 'vneid' } },
      { method: 'DELETE' as const, url: '/api/me' },
      { method: 'POST' as const, url: '/api/chat', payload: { message: 'cach quet ma vietqr' } },
    ];
    for (const w of writes) {
      const res = await app.inject({ ...w, headers: auth });
      expect(res.statusCode, w.url).toBe(401);
      expect(res.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    }
    expect(await count('learners')).toBe(1);
    for (const table of ['lesson_progress', 'quiz_attempts', 'learner_questions']) expect(await count(table), table).toBe(0);
    const [learner] = await ctx.db.query<{ goal: string | null; placement_at: unknown }>('SELECT goal, placement_at FROM learners');
    expect(learner).toEqual({ goal: null, placement_at: null });
  });

  it('a made-up or malformed bearer token is 401; no header is anonymous for chat only', async () => {
    await session();
    for (const authorization of ['Bearer ' + 'A'.repeat(43), 'Bearer short', 'Basic abc', 'Bearer']) {
      const res = await app.inject({ method: 'GET', url: '/api/progress', headers: { authorization } });
      expect(res.statusCode, authorization).toBe(401);
    }
    expect((await app.inject({ method: 'GET', url: '/api/recommendations' })).statusCode).toBe(401);
    const anonymous = await app.inject({ method: 'POST', url: '/api/chat', payload: { message: 'cach quet ma vietqr' } });
    expect(anonymous.statusCode).toBe(200);
    expect(await count('learner_questions')).toBe(0);
  });
});

describe('development identity', () => {
  it('is refused when not enabled (as in production by default)', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/session/dev', payload: { deviceId: 'dev-abc12345' } });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'DEV_LOGIN_DISABLED' });
    expect(await count('learners')).toBe(0);
  });

  it('is off by default in production, on by default in development, and only DEV_LOGIN changes that', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).devLogin).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', DEV_LOGIN: 'true' }).devLogin).toBe(true);
    expect(loadConfig({}).devLogin).toBe(true);
    expect(loadConfig({ DEV_LOGIN: 'false' }).devLogin).toBe(false);
    expect(() => loadConfig({ ZALO_APP_ID: '123' })).toThrow(/ZALO_APP_ID and ZALO_APP_SECRET/);
  });

  it('without Zalo configuration, Zalo sign-in says so (503) instead of failing obscurely', async () => {
    const plain = await openTestContext({ devLogin: true });
    const plainApp = await buildApp(plain);
    try {
      const res = await plainApp.inject({ method: 'POST', url: '/api/session', payload: { accessToken: 'x' } });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ code: 'ZALO_NOT_CONFIGURED' });
      const dev = await plainApp.inject({ method: 'POST', url: '/api/session/dev', payload: { deviceId: 'dev-abc12345' } });
      expect(dev.statusCode).toBe(200);
      expect(dev.json()).toMatchObject({ profile: { source: 'development', name: 'Người dùng thử' } });
      const bad = await plainApp.inject({ method: 'POST', url: '/api/session/dev', payload: { deviceId: '../../etc' } });
      expect(bad.statusCode).toBe(400);
      // Signing in has its own, tighter limit per address (SIGN_IN_PER_MINUTE, 30 by default), whatever the general limit is.
      const statuses: number[] = [];
      for (let i = 0; i < 32; i++) {
        statuses.push((await plainApp.inject({ method: 'POST', url: '/api/session/dev', payload: { deviceId: 'dev-abc12345' } })).statusCode);
      }
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(3);
      const limited = await plainApp.inject({ method: 'POST', url: '/api/session/dev', payload: { deviceId: 'dev-abc12345' } });
      expect(limited.json()).toMatchObject({ code: 'RATE_LIMITED' });
      expect((await plainApp.inject({ method: 'GET', url: '/api/lessons' })).statusCode).toBe(200);
    } finally {
      await plainApp.close();
    }
  });
});
