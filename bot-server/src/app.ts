import { join } from 'node:path';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import { chatPlugin, websocketOptions } from './chat/plugin.js';
import { describeMessageProblem } from './chat/schema.js';
import type { AppContext } from './context.js';
import { healthPlugin } from './health/plugin.js';
import { lessonsPlugin } from './lessons/plugin.js';
import { webPlugin } from './web/plugin.js';
import { areasPlugin } from './areas/plugin.js';
import { MEDIA_FOLDER } from './lessons/load.js';
import { tipsPlugin } from './tips/plugin.js';
import { learnerAuth } from './identity/auth.js';
import { identityPlugin } from './identity/plugin.js';
import { learningPlugin } from './learning/plugin.js';
import { broadcastPlugin } from './broadcast/plugin.js';
import { rolesPlugin } from './roles/plugin.js';
import { dashboardPlugin } from './dashboard/plugin.js';
import { communityCitizenPlugin } from './community/citizen-plugin.js';
import { communityMemberPlugin } from './community/member-plugin.js';
import { communityOfficerPlugin } from './community/officer-plugin.js';
import { applySecurity } from './security/headers.js';
import { RATE_LIMITED, registerRateLimits } from './security/rate-limits.js';
import { SocketLimits } from './security/socket-limits.js';
import { hasUnstorableText, UNSTORABLE_TEXT } from './security/text.js';

const BODY_LIMIT_BYTES = 16 * 1024;

/** Every error a citizen can see, in Vietnamese, with a stable code for the mini app. */
function vietnameseError(error: FastifyError, body: unknown): { status: number; error: string; code: string } {
  if (error.validation) {
    const message = (body as { message?: unknown } | undefined)?.message;
    const onMessage = error.validation.some((v) => v.instancePath === '/message' || /message/.test(String(v.params?.missingProperty ?? '')));
    return { status: 400, error: onMessage ? describeMessageProblem(message) : 'Yêu cầu không hợp lệ.', code: 'BAD_REQUEST' };
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, error: 'Dữ liệu gửi lên không đúng định dạng.', code: 'BAD_JSON' };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, error: 'Dữ liệu gửi lên quá lớn.', code: 'TOO_LARGE' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, error: 'Chỉ nhận dữ liệu dạng JSON.', code: 'UNSUPPORTED_MEDIA_TYPE' };
    case UNSTORABLE_TEXT.code:
      return { status: 400, ...UNSTORABLE_TEXT };
  }
  if (error.statusCode === 429) return { status: 429, ...RATE_LIMITED };
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return { status: error.statusCode, error: 'Yêu cầu không hợp lệ.', code: 'BAD_REQUEST' };
  }
  return { status: 500, error: 'Có lỗi, bác thử lại sau ít phút.', code: 'INTERNAL' };
}

export interface RouteEntry {
  method: string;
  url: string;
  websocket: boolean;
}
const routeTables = new WeakMap<FastifyInstance, RouteEntry[]>();

/** Every route the app serves (HEAD twins left out): the fuzz and access tests walk all of them. */
export function listRoutes(app: FastifyInstance): RouteEntry[] {
  return routeTables.get(app) ?? [];
}

/** Builds the app without listening, so tests use inject() or their own port. */
export async function buildApp(ctx: AppContext): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: ctx.config.logLevel },
    // Fastify never logs bodies; chat messages (which may hold personal data) travel only in bodies.
    bodyLimit: BODY_LIMIT_BYTES,
    // Refuse what the schema does not allow instead of repairing it: 5 is not a question, and an unknown
    // property is an error, not something to drop silently.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
    // Fastify's own refusals (a bad percent escape, an over-long path parameter) in the same shape as ours.
    frameworkErrors: (_error, _request, reply) => {
      (reply as FastifyReply).code(400).send({ error: 'Địa chỉ không hợp lệ.', code: 'BAD_URL' });
    },
  });
  const routes: RouteEntry[] = [];
  routeTables.set(app, routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') routes.push({ method, url: route.url, websocket: Boolean((route as { websocket?: boolean }).websocket) });
    }
  });
  // JSON only: text/plain would otherwise reach validation and get a misleading message.
  app.removeContentTypeParser('text/plain');
  // Fastify's JSON parser (it refuses __proto__ and constructor.prototype), then a check for text that cannot be
  // stored: refused here, a request never fails half-way in the database.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    parseJson(request, body as string, (err: Error | null, value?: unknown) => {
      if (err) return done(err, undefined);
      if (hasUnstorableText(value)) return done(Object.assign(new Error('unstorable text'), { code: UNSTORABLE_TEXT.code, statusCode: 400 }), undefined);
      done(null, value);
    });
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const e = vietnameseError(error, request.body);
    if (e.status >= 500) request.log.error({ err: error, url: request.routeOptions.url }, 'request failed');
    reply.code(e.status).send({ error: e.error, code: e.code });
  });
  app.setNotFoundHandler((_request, reply) => {
    reply.code(404).send({ error: 'Không tìm thấy trang này.', code: 'NOT_FOUND' });
  });
  applySecurity(app, { corsOrigins: ctx.config.corsOrigins, publicUrl: ctx.config.publicUrl, production: ctx.config.production });

  // Static files first: routes registered before the rate limiter are not counted, so opening the app and its
  // pictures does not use up a citizen's budget of questions.
  await app.register(webPlugin, { miniAppDir: ctx.config.miniAppDir, mediaDir: join(ctx.config.knowledgeDir, MEDIA_FOLDER) });
  const limits = await registerRateLimits(app, { perAddress: ctx.config.rateLimitPerMinute, perLearner: ctx.config.rateLimitUserPerMinute });
  await app.register(websocket, websocketOptions);
  await app.register(healthPlugin, { db: ctx.db, catalog: ctx.catalog });
  await app.register(lessonsPlugin, { catalog: ctx.catalog });
  await app.register(areasPlugin, { areas: ctx.areas });

  const auth = learnerAuth(ctx.learners);
  await app.register(identityPlugin, { learners: ctx.learners, auth, areas: ctx.areas, zalo: ctx.config.zalo, devLogin: ctx.config.devLogin, signInPerMinute: ctx.config.signInPerMinute });
  await app.register(learningPlugin, { learning: ctx.learning, catalog: ctx.catalog, auth });
  await app.register(chatPlugin, {
    assistant: ctx.assistant,
    learners: ctx.learners,
    auth,
    learning: ctx.learning,
    hub: ctx.hub,
    questionStats: ctx.questionStats,
    history: ctx.history,
    socketLimits: new SocketLimits({ perAddress: ctx.config.wsConnectionsPerIp, total: ctx.config.wsMaxConnections }),
    addressExceeded: limits.addressExceeded,
  });
  await app.register(tipsPlugin, { areas: ctx.areas, broadcasts: ctx.broadcasts, auth });
  await app.register(broadcastPlugin, { broadcasts: ctx.broadcasts, catalog: ctx.catalog, areas: ctx.areas, auth, linkDomains: ctx.config.tipLinkDomains, onCreated: () => ctx.outbox.kick() });
  await app.register(rolesPlugin, { roles: ctx.roles, db: ctx.db, auth });
  await app.register(dashboardPlugin, { dashboard: ctx.dashboard, areas: ctx.areas, auth, db: ctx.db });
  await app.register(communityCitizenPlugin, { referrals: ctx.referrals, households: ctx.households, auth });
  await app.register(communityMemberPlugin, {
    teams: ctx.teams,
    referrals: ctx.referrals,
    auth,
    // Inside Zalo the neighbour lands in the mini app; without a Zalo app, on this server's page.
    referralLink: (code, request) =>
      ctx.config.zalo
        ? `https://zalo.me/s/${ctx.config.zalo.appId}/?ref=${code}`
        : `${ctx.config.publicUrl ?? `${request.protocol}://${request.host}`}/?ref=${code}`,
  });
  await app.register(communityOfficerPlugin, { teams: ctx.teams, leaderboard: ctx.leaderboard, areas: ctx.areas, auth, db: ctx.db });

  // Background work of a serving process: the broadcast outbox, and writing question counts.
  let statsTimer: NodeJS.Timeout | undefined;
  app.addHook('onReady', async () => {
    if (ctx.config.outboxIntervalMs > 0) ctx.outbox.start(ctx.config.outboxIntervalMs, app.log);
    if (ctx.config.jobsIntervalMs > 0) ctx.scheduler.start(ctx.config.jobsIntervalMs, app.log);
    statsTimer = setInterval(() => ctx.questionStats.flush().catch((err: Error) => app.log.warn({ err: err.message }, 'question stats not written')), 5000);
  });
  app.addHook('onClose', async () => {
    clearInterval(statsTimer);
    await ctx.outbox.stop();
    await ctx.scheduler.stop();
    await ctx.questionStats.flush().catch(() => {});
    await ctx.close();
  });
  ctx.vectorSpaceReady.then(
    (space) => app.log.info({ space }, 'searching in vector space'),
    (err: Error) => app.log.warn({ err: err.message }, 'the embedding space could not be filled; searching in the hashing space'),
  );
  return app;
}
