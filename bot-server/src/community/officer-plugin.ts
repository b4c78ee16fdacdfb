import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Areas } from '../areas/areas.js';
import { recordAudit } from '../audit/audit.js';
import type { Db } from '../db/index.js';
import { toCsv } from '../dashboard/csv.js';
import type { LearnerAuth } from '../identity/auth.js';
import { Learners } from '../identity/learners.js';
import type { Leaderboard } from './leaderboard.js';
import { TeamError, type Teams } from './teams.js';

const OUT_OF_SCOPE = { error: 'Bác chỉ quản lý được tổ của phường, xã mình phụ trách.', code: 'OUT_OF_SCOPE' } as const;
const externalId = { type: 'string', pattern: '^(zalo|dev):[A-Za-z0-9-]{1,40}$' } as const;

/** Officers set up their ward's teams and see the teams' and households' standings. */
export async function communityOfficerPlugin(
  app: FastifyInstance,
  opts: { teams: Teams; leaderboard: Leaderboard; areas: Areas; auth: LearnerAuth; db: Db },
): Promise<void> {
  const { teams, leaderboard, areas, auth } = opts;
  app.addHook('onRequest', auth.requireRole('officer'));
  const scope = (request: FastifyRequest) => Learners.wardsFor(auth.learnerOf(request)!, 'officer', areas.wards);
  const actor = (request: FastifyRequest) => auth.learnerOf(request)!.externalId;
  /** The team, if it is in the officer's wards. */
  const teamInScope = async (request: FastifyRequest, id: string) => {
    const team = await teams.get(id);
    return team && scope(request).includes(team.ward) ? team : undefined;
  };
  const teamError = (reply: import('fastify').FastifyReply, err: TeamError) =>
    reply.code(409).send({ error: err.message.includes('another team') ? 'Người này đã thuộc một tổ khác.' : 'Tổ này đã có.', code: 'TEAM_CONFLICT' });

  app.get('/api/officer/teams', async (request) => ({ teams: await teams.list(scope(request)) }));

  app.post<{ Body: { name: string; ward: string } }>(
    '/api/officer/teams',
    {
      schema: {
        body: {
          type: 'object',
          required: ['name', 'ward'],
          additionalProperties: false,
          properties: { name: { type: 'string', minLength: 2, maxLength: 80, pattern: '^[^\\u0000-\\u001f\\u007f<>]*$' }, ward: { type: 'string', maxLength: 100 } },
        },
      },
    },
    async (request, reply) => {
      if (!scope(request).includes(request.body.ward)) return reply.code(403).send(OUT_OF_SCOPE);
      try {
        await teams.create(actor(request), request.body.name.trim(), request.body.ward);
      } catch (err) {
        if (err instanceof TeamError) return teamError(reply, err);
        throw err;
      }
      return reply.code(201).send({ teams: await teams.list(scope(request)) });
    },
  );

  const memberRoute = (path: string, change: (request: FastifyRequest, teamId: string, id: string) => Promise<unknown>) =>
    app.post<{ Params: { id: string }; Body: { externalId: string } }>(
      path,
      {
        schema: {
          params: { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } },
          body: { type: 'object', required: ['externalId'], additionalProperties: false, properties: { externalId } },
        },
      },
      async (request, reply) => {
        if (!(await teamInScope(request, request.params.id))) return reply.code(404).send({ error: 'Không tìm thấy tổ này.', code: 'NOT_FOUND' });
        try {
          await change(request, request.params.id, request.body.externalId);
        } catch (err) {
          if (err instanceof TeamError) return teamError(reply, err);
          throw err;
        }
        return { teams: await teams.list(scope(request)) };
      },
    );
  memberRoute('/api/officer/teams/:id/members', (request, teamId, id) => teams.addMember(actor(request), teamId, id));
  memberRoute('/api/officer/teams/:id/members/remove', (request, teamId, id) => teams.removeMember(actor(request), teamId, id));

  const yearQuery = {
    type: 'object',
    additionalProperties: false,
    properties: { year: { type: 'string', pattern: '^20[2-9][0-9]$' } },
  } as const;
  const yearOf = (q: { year?: string }) => Number(q.year ?? new Date(Date.now() + 7 * 3_600_000).getUTCFullYear());

  app.get<{ Querystring: { year?: string } }>('/api/officer/leaderboard', { schema: { querystring: yearQuery } }, async (request) => {
    const year = yearOf(request.query);
    const [teamRanks, households] = await Promise.all([leaderboard.teams(scope(request), year), leaderboard.households(scope(request))]);
    return { year, teams: teamRanks, households };
  });

  app.get<{ Querystring: { year?: string } }>('/api/officer/leaderboard.csv', { schema: { querystring: yearQuery } }, async (request, reply) => {
    const year = yearOf(request.query);
    const [teamRanks, households] = await Promise.all([leaderboard.teams(scope(request), year), leaderboard.households(scope(request), 100)]);
    const rows: (string | number)[][] = [
      ['Bảng', 'Hạng', 'Tên', 'Phường/xã', 'Thành viên', 'Đại sứ số đạt 1:5', 'Người được giới thiệu', 'Đạt kỹ năng số cơ bản', 'Buổi hỗ trợ', 'Điểm'],
      ...teamRanks.map((t, i) => ['Tổ công nghệ số', i + 1, t.team, t.ward, t.members, t.mentorsAtTarget, t.mentees, t.menteesBasic, t.helpSessions, t.score]),
      ...households.top.map((h, i) => ['Gia đình số', i + 1, h.household, h.ward, h.members, '', '', h.membersBasic, '', '']),
    ];
    await recordAudit(opts.db, actor(request), 'leaderboard.export', String(year), { wards: scope(request) });
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="bang-xep-hang-${year}.csv"`)
      .send(toCsv(rows));
  });
}
