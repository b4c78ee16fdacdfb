import type { FastifyInstance } from 'fastify';
import type { LearnerAuth } from '../identity/auth.js';
import { CODE_PATTERN, normaliseCode } from './codes.js';
import { HouseholdError, type Households } from './households.js';
import { ReferralError, type Referrals } from './referrals.js';

/**
 * Code lookups are where guessing would happen: a tight limit on top of the codes' 60 bits. Per session, not per
 * address: a ward's helping session puts many neighbours behind one Wi-Fi, while a guesser needs a new session
 * (a Zalo sign-in, itself limited) for every ten tries.
 */
const LOOKUP_LIMIT = {
  max: 10,
  timeWindow: '1 minute',
  keyGenerator: (request: import('fastify').FastifyRequest) => `code:${request.headers.authorization ?? request.ip}`,
};

const REFERRAL_ERRORS: Record<ReferralError['code'], { status: number; error: string }> = {
  UNKNOWN_CODE: { status: 404, error: 'Mã giới thiệu không đúng hoặc đã được đổi. Bác hỏi lại người đã giới thiệu nhé.' },
  SELF: { status: 400, error: 'Đây là mã của chính bác.' },
  ALREADY_LINKED: { status: 409, error: 'Bác đã được một người khác giới thiệu trước đó.' },
  NOT_MENTEE: { status: 403, error: 'Người này không do bác giới thiệu.' },
};

const HOUSEHOLD_ERRORS: Record<HouseholdError['code'], { status: number; error: string }> = {
  UNKNOWN_CODE: { status: 404, error: 'Mã gia đình không đúng. Bác hỏi lại người trong nhà nhé.' },
  FULL: { status: 409, error: 'Gia đình này đã đủ người.' },
};

export function sendReferralError(reply: import('fastify').FastifyReply, err: ReferralError) {
  const e = REFERRAL_ERRORS[err.code];
  return reply.code(e.status).send({ error: e.error, code: err.code });
}

const codeBody = (extra: object = {}) => ({
  type: 'object',
  required: ['code', ...Object.keys(extra)],
  additionalProperties: false,
  properties: { code: { type: 'string', minLength: 1, maxLength: 20 }, ...extra },
});

const householdSchema = {
  anyOf: [
    { type: 'null' },
    {
      type: 'object',
      required: ['inviteCode', 'members', 'covered'],
      properties: {
        inviteCode: { type: 'string' },
        covered: { type: 'boolean' },
        members: {
          type: 'array',
          items: { type: 'object', properties: { name: { type: 'string' }, basic: { type: 'boolean' }, you: { type: 'boolean' } } },
        },
      },
    },
  ],
} as const;

/** A citizen's side: accept (or not) the neighbour who brought them, change or withdraw it; their household. */
export async function communityCitizenPlugin(app: FastifyInstance, opts: { referrals: Referrals; households: Households; auth: LearnerAuth }): Promise<void> {
  const { referrals, households, auth } = opts;
  app.addHook('onRequest', auth.require);
  const me = (request: Parameters<LearnerAuth['learnerOf']>[0]) => auth.learnerOf(request)!.id;

  app.get<{ Params: { code: string } }>(
    '/api/referrals/code/:code',
    { config: { rateLimit: LOOKUP_LIMIT }, schema: { params: { type: 'object', properties: { code: { type: 'string', maxLength: 20 } } } } },
    async (request, reply) => {
      const code = normaliseCode(request.params.code);
      const found = new RegExp(CODE_PATTERN).test(code) ? await referrals.lookup(code) : undefined;
      if (!found) return sendReferralError(reply, new ReferralError('UNKNOWN_CODE'));
      return { mentorName: found.mentorName, teamName: found.teamName, ward: found.ward };
    },
  );

  app.post<{ Body: { code: string; shareProgress: boolean } }>(
    '/api/referrals',
    { config: { rateLimit: LOOKUP_LIMIT }, schema: { body: codeBody({ shareProgress: { type: 'boolean' } }) } },
    async (request, reply) => {
      const code = normaliseCode(request.body.code);
      try {
        if (!new RegExp(CODE_PATTERN).test(code)) throw new ReferralError('UNKNOWN_CODE');
        await referrals.link(me(request), code, request.body.shareProgress);
      } catch (err) {
        if (err instanceof ReferralError) return sendReferralError(reply, err);
        throw err;
      }
      return { referral: await referrals.mine(me(request)) };
    },
  );

  app.get('/api/referrals/mine', async (request) => ({ referral: await referrals.mine(me(request)) }));

  app.patch<{ Body: { shareProgress: boolean } }>(
    '/api/referrals/mine',
    { schema: { body: { type: 'object', required: ['shareProgress'], additionalProperties: false, properties: { shareProgress: { type: 'boolean' } } } } },
    async (request, reply) => {
      if (!(await referrals.setSharing(me(request), request.body.shareProgress))) {
        return reply.code(404).send({ error: 'Bác chưa được ai giới thiệu.', code: 'NOT_LINKED' });
      }
      return { referral: await referrals.mine(me(request)) };
    },
  );

  app.delete('/api/referrals/mine', async (request) => ({ removed: await referrals.unlink(me(request)) }));

  app.get('/api/household', { schema: { response: { 200: { type: 'object', properties: { household: householdSchema } } } } }, async (request) => ({
    household: await households.view(me(request)),
  }));

  app.post('/api/household', async (request) => ({ household: await households.create(me(request)) }));

  app.post<{ Body: { code: string } }>(
    '/api/household/join',
    { config: { rateLimit: LOOKUP_LIMIT }, schema: { body: codeBody() } },
    async (request, reply) => {
      const code = normaliseCode(request.body.code);
      try {
        if (!new RegExp(CODE_PATTERN).test(code)) throw new HouseholdError('UNKNOWN_CODE');
        return { household: await households.join(me(request), code) };
      } catch (err) {
        if (err instanceof HouseholdError) {
          const e = HOUSEHOLD_ERRORS[err.code];
          return reply.code(e.status).send({ error: e.error, code: err.code });
        }
        throw err;
      }
    },
  );

  app.post('/api/household/leave', async (request) => ({ left: await households.leave(me(request)) }));
}
