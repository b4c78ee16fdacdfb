import type { FastifyInstance } from 'fastify';
import { type Areas, servesArea } from '../areas/areas.js';
import type { Config } from '../config.js';
import { TOPICS } from '../lessons/schema.js';
import type { LearnerAuth } from './auth.js';
import type { Learner, Learners } from './learners.js';
import { verifyZaloToken, ZaloTokenRejected, ZaloUnavailable } from './zalo-graph.js';

export interface IdentityPluginOptions {
  learners: Learners;
  auth: LearnerAuth;
  areas: Areas;
  zalo: Config['zalo'];
  devLogin: boolean;
  /**
   * Sign-ins per minute per address: tighter than questions, to slow token guessing and Graph API abuse, but not so
   * tight that a ward's helping session on one Wi-Fi is refused (sessions last an hour, so each phone signs in rarely).
   */
  signInPerMinute: number;
}


const profileJsonSchema = {
  type: 'object',
  required: ['name', 'source', 'area', 'goal', 'placementDone', 'roles'],
  properties: {
    name: { type: 'string' },
    roles: {
      type: 'array',
      items: { type: 'object', required: ['role', 'ward'], properties: { role: { type: 'string' }, ward: { type: 'string' } } },
    },
    source: { type: 'string', enum: ['zalo', 'development'] },
    area: {
      anyOf: [
        { type: 'null' },
        { type: 'object', required: ['province', 'ward'], properties: { province: { type: 'string' }, ward: { type: 'string' } } },
      ],
    },
    goal: { anyOf: [{ type: 'null' }, { type: 'string' }] },
    placementDone: { type: 'boolean' },
  },
} as const;

const sessionJsonSchema = {
  type: 'object',
  required: ['token', 'expiresAt', 'profile'],
  properties: { token: { type: 'string' }, expiresAt: { type: 'string' }, profile: profileJsonSchema },
} as const;

export function profileOf(learner: Learner) {
  return {
    name: learner.name,
    source: learner.externalId.startsWith('zalo:') ? ('zalo' as const) : ('development' as const),
    area: learner.province && learner.ward ? { province: learner.province, ward: learner.ward } : null,
    goal: learner.goal,
    placementDone: learner.placementAt !== null,
    roles: learner.roles,
  };
}

/** Sign-in (Zalo, or a development identity when allowed), the profile, and "Xóa dữ liệu của tôi". */
export async function identityPlugin(app: FastifyInstance, opts: IdentityPluginOptions): Promise<void> {
  const { learners, auth, areas, zalo } = opts;
  const SIGN_IN_LIMIT = { max: opts.signInPerMinute, timeWindow: '1 minute' };

  const session = (s: Awaited<ReturnType<Learners['signIn']>>) => ({
    token: s.token,
    expiresAt: s.expiresAt.toISOString(),
    profile: profileOf(s.learner),
  });

  app.post<{ Body: { accessToken: string } }>(
    '/api/session',
    {
      config: { rateLimit: SIGN_IN_LIMIT },
      schema: {
        body: {
          type: 'object',
          required: ['accessToken'],
          additionalProperties: false,
          // Zalo's tokens are printable ASCII; anything else could not even be sent in a header.
          properties: { accessToken: { type: 'string', minLength: 1, maxLength: 2048, pattern: '^[!-~]+$' } },
        },
        response: { 200: sessionJsonSchema },
      },
    },
    async (request, reply) => {
      if (!zalo) {
        return reply.code(503).send({ error: 'Máy chủ chưa được cấu hình đăng nhập bằng Zalo.', code: 'ZALO_NOT_CONFIGURED' });
      }
      try {
        const user = await verifyZaloToken(request.body.accessToken, { baseUrl: zalo.graphUrl, appSecret: zalo.appSecret });
        return session(await learners.signIn(`zalo:${user.id}`, user.name));
      } catch (err) {
        if (err instanceof ZaloTokenRejected) {
          request.log.info({ zaloCode: err.zaloCode }, 'zalo token rejected');
          return reply.code(401).send({ error: 'Zalo chưa xác nhận được tài khoản của bác. Bác mở lại ứng dụng nhé.', code: 'ZALO_TOKEN_REJECTED' });
        }
        if (err instanceof ZaloUnavailable) {
          request.log.warn({ err: err.message }, 'zalo graph unavailable');
          return reply.code(502).send({ error: 'Chưa kết nối được với Zalo. Bác thử lại sau ít phút.', code: 'ZALO_UNAVAILABLE' });
        }
        throw err;
      }
    },
  );

  app.post<{ Body: { deviceId: string } }>(
    '/api/session/dev',
    {
      config: { rateLimit: SIGN_IN_LIMIT },
      schema: {
        body: {
          type: 'object',
          required: ['deviceId'],
          additionalProperties: false,
          properties: { deviceId: { type: 'string', pattern: '^dev-[a-z0-9]{6,32}$' } },
        },
        response: { 200: sessionJsonSchema },
      },
    },
    async (request, reply) => {
      if (!opts.devLogin) {
        return reply.code(403).send({ error: 'Chỉ đăng nhập được bằng Zalo.', code: 'DEV_LOGIN_DISABLED' });
      }
      return session(await learners.signIn(`dev:${request.body.deviceId}`, 'Người dùng thử'));
    },
  );

  app.get('/api/me', { onRequest: auth.require, schema: { response: { 200: profileJsonSchema } } }, async (request) =>
    profileOf(auth.learnerOf(request)!),
  );

  app.patch<{ Body: { area?: { province: string; ward: string } | null; goal?: string | null } }>(
    '/api/me',
    {
      onRequest: auth.require,
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: {
            area: {
              anyOf: [
                { type: 'null' },
                {
                  type: 'object',
                  required: ['province', 'ward'],
                  additionalProperties: false,
                  properties: { province: { type: 'string', maxLength: 100 }, ward: { type: 'string', maxLength: 100 } },
                },
              ],
            },
            goal: { anyOf: [{ type: 'null' }, { type: 'string', enum: [...TOPICS] }] },
          },
        },
        response: { 200: profileJsonSchema },
      },
    },
    async (request, reply) => {
      const { area, goal } = request.body;
      if (area && !servesArea(areas, area.ward, area.province)) {
        return reply.code(400).send({ error: 'Không có phường, xã này trong danh sách.', code: 'UNKNOWN_AREA' });
      }
      return profileOf(await learners.updateProfile(auth.learnerOf(request)!.id, { area, goal }));
    },
  );

  app.delete(
    '/api/me',
    {
      onRequest: auth.require,
      schema: { response: { 200: { type: 'object', required: ['deleted'], properties: { deleted: { type: 'boolean' } } } } },
    },
    async (request) => {
      await learners.erase(auth.learnerOf(request)!.id);
      return { deleted: true };
    },
  );
}
