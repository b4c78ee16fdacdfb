/**
 * Hardening of the running app: every officer and admin route checks its role on every request; per-address and
 * per-learner rate limits; WebSocket connection and flooding limits; security headers and the Origin rule;
 * chat history kept redacted, and purged after its retention period.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, listRoutes } from '../bot-server/src/app.js';
import type { AppContext } from '../bot-server/src/context.js';
import { CLOSE_FLOODING, CLOSE_TOO_MANY, FLOODING, TOO_MANY_CONNECTIONS } from '../bot-server/src/security/socket-limits.js';
import { openTestContext } from './helpers.js';
import { people } from './people.js';
import { Client, closeClients } from './ws-client.js';

const WARD = 'Phường Việt Trì';
const VIETNAMESE = /bác|không|quá|phiên/i;

let ctx: AppContext;
let app: FastifyInstance;
const person = people(() => ctx, () => app, 70_000);

beforeAll(async () => {
  ctx = await openTestContext();
  app = await buildApp(ctx);
  await app.ready();
});

afterAll(async () => {
  await app?.close();
});

afterEach(closeClients);

/** A path for a route pattern, with a plausible value in each parameter. */
const pathOf = (url: string) => url.replace(/:[A-Za-z]+/g, '00000000-0000-4000-8000-000000000000');

describe('roles on every request', () => {
  it('every officer and admin route says 401 without a session and 403 to a citizen and a team member', async () => {
    const guarded = listRoutes(app).filter((r) => /^\/api\/(officer|admin)\//.test(r.url));
    expect(guarded.length).toBeGreaterThan(15);
    const citizen = await person({ ward: WARD });
    const member = await person({ ward: WARD });
    await ctx.db.query(`INSERT INTO learner_roles (learner_id, role, ward) VALUES ($1, 'team_member', $2)`, [member.learner.id, WARD]);
    for (const route of guarded) {
      const url = pathOf(route.url);
      const anonymous = await app.inject({ method: route.method as 'GET', url, payload: route.method === 'GET' ? undefined : {} });
      expect(anonymous.statusCode, `${route.method} ${route.url}`).toBe(401);
      expect(anonymous.json().code).toBe('UNAUTHENTICATED');
      for (const who of [citizen, member]) {
        const res = await who.call(route.method, url, route.method === 'GET' ? undefined : {});
        expect(res.status, `${route.method} ${route.url}`).toBe(403);
        expect((res.body as { error: string }).error).toMatch(VIETNAMESE);
      }
    }
  });

  it('an admin route refuses an officer, and a revoked officer is refused on the very next request', async () => {
    const officer = await person({ officerOf: WARD });
    expect((await officer.call('GET', '/api/admin/roles')).status).toBe(403);
    expect((await officer.call('GET', '/api/officer/scope')).status).toBe(200);
    await ctx.roles.revoke('cli:test', officer.externalId, 'officer', WARD);
    expect((await officer.call('GET', '/api/officer/scope')).status).toBe(403);
    expect((await officer.call('POST', '/api/officer/broadcasts', { title: 'x', body: 'y' })).status).toBe(403);
  });
});

describe('rate limits', () => {
  let limited: FastifyInstance;
  beforeAll(async () => {
    limited = await buildApp({
      ...ctx,
      config: { ...ctx.config, rateLimitPerMinute: 8, rateLimitUserPerMinute: 3 },
      close: async () => {},
    });
    await limited.ready();
  });
  afterAll(async () => {
    await limited?.close();
  });

  it('one learner gets 3 a minute wherever they are; others at the same address go on; the address stops at 8', async () => {
    const a = await person({ ward: WARD });
    const b = await person({ ward: WARD });
    const get = (token: string | undefined, remoteAddress: string) =>
      limited.inject({ method: 'GET', url: '/api/progress', remoteAddress, headers: token ? { authorization: `Bearer ${token}` } : {} });
    // Learner a from three addresses: their own limit follows them.
    const fromA = [await get(a.token, '10.0.0.1'), await get(a.token, '10.0.0.2'), await get(a.token, '10.0.0.3'), await get(a.token, '10.0.0.4')];
    expect(fromA.map((r) => r.statusCode)).toEqual([200, 200, 200, 429]);
    const refused = fromA[3]!;
    expect(refused.json()).toEqual({ error: expect.stringMatching(VIETNAMESE), code: 'RATE_LIMITED' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Learner b at 10.0.0.1 is not held back by a.
    expect((await get(b.token, '10.0.0.1')).statusCode).toBe(200);
    // Anonymous requests from one address: 8 in the minute (a's and b's requests from there counted too).
    const lessons = () => limited.inject({ method: 'GET', url: '/api/lessons', remoteAddress: '10.0.0.9' });
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) statuses.push((await lessons()).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 429]);
    // Another address is unaffected, and health checks are never limited.
    expect((await limited.inject({ method: 'GET', url: '/api/lessons', remoteAddress: '10.0.0.10' })).statusCode).toBe(200);
    expect((await limited.inject({ method: 'GET', url: '/health', remoteAddress: '10.0.0.9' })).statusCode).toBe(200);
  });
});

/** A socket the server has admitted (it answers a ping): the server counts a close only when it sees it. */
async function connectAdmitted(url: string): Promise<Client> {
  for (let i = 0; i < 100; i++) {
    const c = await Client.connect(url);
    c.send({ type: 'ping', id: 'admitted?' });
    const outcome = await Promise.race([c.next((f) => f.type === 'pong').then(() => 'ok'), c.whenClosed().then(() => 'closed')]);
    if (outcome === 'ok') return c;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('no socket admitted');
}

describe('WebSocket limits', () => {
  let wsApp: FastifyInstance;
  let url: string;
  beforeAll(async () => {
    wsApp = await buildApp({ ...ctx, config: { ...ctx.config, wsConnectionsPerIp: 3 }, close: async () => {} });
    await wsApp.listen({ port: 0, host: '127.0.0.1' });
    url = `ws://127.0.0.1:${(wsApp.server.address() as AddressInfo).port}/ws`;
  });
  afterAll(async () => {
    await wsApp?.close();
  });

  it('a fourth socket from one address is closed with 1013 and a Vietnamese reason; closing one makes room', async () => {
    const open = [await Client.connect(url), await Client.connect(url), await Client.connect(url)];
    const fourth = await Client.connect(url);
    expect(await fourth.whenClosed()).toEqual({ code: CLOSE_TOO_MANY, reason: TOO_MANY_CONNECTIONS });
    open[0]!.ws.close();
    await open[0]!.whenClosed();
    const admitted = await connectAdmitted(url);
    expect(admitted.frames.at(-1)?.type).toBe('pong');
    for (const c of [...open, admitted]) c.ws.close();
    await Promise.all([...open, admitted].map((c) => c.whenClosed()));
  });

  it('a socket that keeps sending while told it is too fast is closed with 1008; the others are answered', async () => {
    const flooder = await connectAdmitted(url);
    for (let i = 0; i < 10_000 && flooder.ws.readyState === flooder.ws.OPEN; i++) flooder.send({ type: 'ping', id: i });
    expect(await flooder.whenClosed()).toEqual({ code: CLOSE_FLOODING, reason: FLOODING });
    expect(flooder.frames.some((f) => f.code === 'RATE_LIMITED')).toBe(true);
    const calm = await connectAdmitted(url);
    calm.send({ type: 'chat', id: 'q', message: 'cach cai vneid' });
    expect((await calm.next((f) => f.id === 'q')).type).toBe('reply');
  });
});

describe('headers and origins', () => {
  it('security headers on pages and API answers; API answers are never cached', async () => {
    for (const url of ['/', '/api/lessons']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(String(res.headers['content-security-policy'])).toContain("script-src 'self'");
      expect(String(res.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    }
    expect((await app.inject({ method: 'GET', url: '/api/lessons' })).headers['cache-control']).toBe('no-store');
  });

  it("the mini app's origin in Zalo may call the API; another site gets 403 and nothing is written", async () => {
    const zalo = 'https://h5.zdn.vn';
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/api/chat',
      headers: { origin: zalo, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(zalo);
    expect(String(preflight.headers['access-control-allow-headers'])).toContain('authorization');
    const learner = await person({ ward: WARD });
    const ask = (origin: string) =>
      app.inject({ method: 'POST', url: '/api/chat', headers: { origin, authorization: `Bearer ${learner.token}` }, payload: { message: 'cach cai vneid' } });
    const fromZalo = await ask(zalo);
    expect(fromZalo.statusCode).toBe(200);
    expect(fromZalo.headers['access-control-allow-origin']).toBe(zalo);
    const fromElsewhere = await ask('https://vneid-kichhoat.example');
    expect(fromElsewhere.statusCode).toBe(403);
    expect(fromElsewhere.json()).toEqual({ error: expect.stringMatching(/không được phép/), code: 'ORIGIN_NOT_ALLOWED' });
    expect(fromElsewhere.headers['access-control-allow-origin']).toBeUndefined();
    // Only the question from Zalo's origin is in the history.
    expect((await learner.call<{ messages: unknown[] }>('GET', '/api/chat/history')).body.messages).toHaveLength(1);
    // This server's own pages are same-origin whatever their host.
    const own = await app.inject({ method: 'POST', url: '/api/chat', headers: { host: 'tro-ly.example.vn', origin: 'https://tro-ly.example.vn' }, payload: { message: 'otp la gi' } });
    expect(own.statusCode).toBe(200);
  });

  it('a WebSocket from another site is refused before it opens', async () => {
    await app.listen({ port: 0, host: '127.0.0.1' }).catch(() => {});
    const url = `ws://127.0.0.1:${(app.server.address() as AddressInfo).port}/ws`;
    await expect(Client.connect(url, { origin: 'https://evil.example' })).rejects.toThrow(/403/);
    const ok = await Client.connect(url, { origin: 'https://h5.zdn.vn' });
    ok.send({ type: 'ping', id: 1 });
    expect((await ok.next((f) => f.type === 'pong')).id).toBe(1);
  });
});

describe('chat history', () => {
  it('keeps a signed-in learner\'s questions with personal data taken out, and the answers; the phone is told what was kept', async () => {
    const learner = await person({ ward: WARD });
    const question = 'Số căn cước của tôi là 001089012345, sđt 0912 345 678, kích hoạt VNeID thế nào?';
    const reply = await learner.call<{ asked?: string; answer: string }>('POST', '/api/chat', { message: question });
    expect(reply.status).toBe(200);
    expect(reply.body.asked).toBeDefined();
    expect(reply.body.asked).not.toMatch(/001089012345|0912 345 678/);
    const plain = await learner.call<{ asked?: string }>('POST', '/api/chat', { message: 'cach cai vneid' });
    expect(plain.body.asked).toBeUndefined();
    const history = await learner.call<{ messages: { asked: string; answer: string; kind: string; at: string }[] }>('GET', '/api/chat/history');
    expect(history.body.messages.map((m) => m.asked)).toEqual([reply.body.asked, 'cach cai vneid']);
    expect(history.body.messages[0]!.answer).toBe(reply.body.answer);
    const stored = await ctx.db.query<{ asked: string; answer: string }>('SELECT asked, answer FROM chat_messages WHERE learner_id = $1', [learner.learner.id]);
    for (const row of stored) expect(`${row.asked} ${row.answer}`).not.toMatch(/\d{3}[ .]?\d{3}[ .]?\d{3}[ .]?\d{3}|0912/);
    // Anonymous questions are not kept; another learner sees only their own.
    await app.inject({ method: 'POST', url: '/api/chat', payload: { message: 'Mã OTP 482913 là gì' } });
    const other = await person({ ward: WARD });
    expect((await other.call<{ messages: unknown[] }>('GET', '/api/chat/history')).body.messages).toEqual([]);
    // The learner can clear it.
    expect((await learner.call<{ deleted: number }>('DELETE', '/api/chat/history')).body.deleted).toBe(2);
    expect((await learner.call<{ messages: unknown[] }>('GET', '/api/chat/history')).body.messages).toEqual([]);
    expect((await app.inject({ method: 'GET', url: '/api/chat/history' })).statusCode).toBe(401);
  });
});
