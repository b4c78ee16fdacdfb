import type { FastifyInstance, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import type { LearnerAuth } from '../identity/auth.js';
import { sendReferralError } from './citizen-plugin.js';
import { HELP_ACTIVITIES, type HelpActivity, MENTEE_TARGET, ReferralError, type Referrals } from './referrals.js';
import type { Teams } from './teams.js';

export interface MemberPluginOptions {
  teams: Teams;
  referrals: Referrals;
  auth: LearnerAuth;
  /** The link a neighbour opens: the Zalo deep link of the mini app, or this server's address. */
  referralLink: (code: string, request: FastifyRequest) => string;
}

const NOT_A_MEMBER = { error: 'Bác chưa thuộc Tổ công nghệ số nào. Bác liên hệ cán bộ phường nhé.', code: 'NOT_A_MEMBER' } as const;

/** A community team member's tools: their referral link and QR code, their mentees, and help sessions. */
export async function communityMemberPlugin(app: FastifyInstance, opts: MemberPluginOptions): Promise<void> {
  const { teams, referrals, auth } = opts;
  app.addHook('onRequest', auth.requireRole('team_member'));
  const me = (request: FastifyRequest) => auth.learnerOf(request)!.id;

  app.get('/api/community/me', async (request, reply) => {
    const m = await teams.membershipOf(me(request));
    if (!m) return reply.code(404).send(NOT_A_MEMBER);
    const mentees = (await referrals.mentees(me(request))).length;
    return {
      team: m.teamName,
      ward: m.ward,
      code: m.code,
      link: opts.referralLink(m.code, request),
      mentees,
      target: MENTEE_TARGET,
      activities: HELP_ACTIVITIES,
    };
  });

  app.get('/api/community/qr.png', async (request, reply) => {
    const m = await teams.membershipOf(me(request));
    if (!m) return reply.code(404).send(NOT_A_MEMBER);
    // Error correction M and a wide quiet zone: printed on a card, read by cheap phone cameras.
    const png = await QRCode.toBuffer(opts.referralLink(m.code, request), { errorCorrectionLevel: 'M', margin: 4, scale: 10 });
    return reply.header('content-type', 'image/png').header('cache-control', 'no-store').send(png);
  });

  app.post('/api/community/code/rotate', async (request, reply) => {
    if (!(await teams.membershipOf(me(request)))) return reply.code(404).send(NOT_A_MEMBER);
    const code = await teams.rotateCode(me(request));
    return { code, link: opts.referralLink(code, request) };
  });

  app.get('/api/community/mentees', async (request) => ({ mentees: await referrals.mentees(me(request)), target: MENTEE_TARGET }));

  app.post<{ Body: { learnerId: string; activities: HelpActivity[]; note?: string } }>(
    '/api/community/help-sessions',
    {
      schema: {
        body: {
          type: 'object',
          required: ['learnerId', 'activities'],
          additionalProperties: false,
          properties: {
            learnerId: { type: 'string', format: 'uuid' },
            activities: { type: 'array', minItems: 1, maxItems: 8, uniqueItems: true, items: { type: 'string', enum: Object.keys(HELP_ACTIVITIES) } },
            // Plain text: new lines are fine, other control characters are not.
            note: { type: 'string', maxLength: 200, pattern: '^[^\\u0000-\\u0009\\u000b-\\u001f\\u007f]*$' },
          },
        },
      },
    },
    async (request, reply) => {
      try {
        const { learnerId, activities, note } = request.body;
        return reply.code(201).send({ id: await referrals.recordHelp(me(request), learnerId, activities, note?.trim() || undefined) });
      } catch (err) {
        if (err instanceof ReferralError) return sendReferralError(reply, err);
        throw err;
      }
    },
  );
}
