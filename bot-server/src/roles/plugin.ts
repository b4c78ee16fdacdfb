import type { FastifyInstance, FastifyReply } from 'fastify';
import { listAudit } from '../audit/audit.js';
import type { Db } from '../db/index.js';
import type { LearnerAuth } from '../identity/auth.js';
import { ROLES, type Role } from '../identity/learners.js';
import { RoleError, type Roles } from './roles.js';

const grantBody = {
  type: 'object',
  required: ['externalId', 'role'],
  additionalProperties: false,
  properties: {
    externalId: { type: 'string', pattern: '^(zalo|dev):[A-Za-z0-9-]{1,40}$' },
    role: { type: 'string', enum: [...ROLES] },
    ward: { type: 'string', maxLength: 100 },
  },
} as const;

/** The admin screen's API: who holds which role, grant, revoke, and the audit log. Admins only. */
export async function rolesPlugin(app: FastifyInstance, opts: { roles: Roles; db: Db; auth: LearnerAuth }): Promise<void> {
  const { roles, auth } = opts;
  app.addHook('onRequest', auth.requireRole('admin'));

  app.get('/api/admin/roles', async () => ({ grants: await roles.list() }));

  /** Runs a grant or revoke; an impossible role or ward is the admin's mistake (400), not a server error. */
  const change = async (reply: FastifyReply, run: () => Promise<unknown>): Promise<FastifyReply | undefined> => {
    try {
      await run();
      return undefined;
    } catch (err) {
      if (err instanceof RoleError) return reply.code(400).send({ error: 'Vai trò hoặc phường, xã không hợp lệ.', code: 'BAD_ROLE' });
      throw err;
    }
  };

  app.post<{ Body: { externalId: string; role: Role; ward?: string } }>('/api/admin/roles', { schema: { body: grantBody } }, async (request, reply) => {
    const { externalId, role, ward = '' } = request.body;
    const refused = await change(reply, () => roles.grant(auth.learnerOf(request)!.externalId, externalId, role, ward));
    if (refused) return refused;
    return { grants: await roles.list() };
  });

  app.post<{ Body: { externalId: string; role: Role; ward?: string } }>('/api/admin/roles/revoke', { schema: { body: grantBody } }, async (request, reply) => {
    const { externalId, role, ward = '' } = request.body;
    const refused = await change(reply, () => roles.revoke(auth.learnerOf(request)!.externalId, externalId, role, ward));
    if (refused) return refused;
    return { grants: await roles.list() };
  });

  // Query strings are text, and the app does not coerce types: numbers are checked as digits here.
  app.get<{ Querystring: { before?: string; limit?: string } }>(
    '/api/admin/audit',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { before: { type: 'string', pattern: '^[1-9][0-9]{0,15}$' }, limit: { type: 'string', pattern: '^([1-9]|[1-9][0-9]|1[0-9][0-9]|200)$' } },
        },
      },
    },
    async (request) => ({
      entries: await listAudit(opts.db, {
        limit: Number(request.query.limit ?? 50),
        beforeId: request.query.before === undefined ? undefined : Number(request.query.before),
      }),
    }),
  );
}
