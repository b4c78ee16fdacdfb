import type { FastifyInstance } from 'fastify';
import type { Areas } from '../areas/areas.js';
import { recordAudit } from '../audit/audit.js';
import type { Db } from '../db/index.js';
import type { LearnerAuth } from '../identity/auth.js';
import { Learners } from '../identity/learners.js';
import { BASIC_GROUPS, TARGETS } from './basic-level.js';
import { toCsv } from './csv.js';
import { currentQuarter, type Dashboard, quarterRange } from './service.js';

const OUT_OF_SCOPE = { error: 'Bác chỉ xem được số liệu của phường, xã mình phụ trách.', code: 'OUT_OF_SCOPE' } as const;

/** The officers' dashboard and the quarterly report, for the wards they serve. */
export async function dashboardPlugin(app: FastifyInstance, opts: { dashboard: Dashboard; areas: Areas; auth: LearnerAuth; db: Db }): Promise<void> {
  const { dashboard, areas, auth } = opts;
  app.addHook('onRequest', auth.requireRole('officer'));

  /** The wards asked for (one, or all the officer serves), or undefined when one is outside their scope. */
  const wardsFor = (request: Parameters<LearnerAuth['learnerOf']>[0], ward?: string): string[] | undefined => {
    const scope = Learners.wardsFor(auth.learnerOf(request)!, 'officer', areas.wards);
    if (ward === undefined) return scope;
    return scope.includes(ward) ? [ward] : undefined;
  };

  app.get<{ Querystring: { ward?: string } }>(
    '/api/officer/dashboard',
    {
      schema: {
        querystring: { type: 'object', additionalProperties: false, properties: { ward: { type: 'string', maxLength: 100 } } },
      },
    },
    async (request, reply) => {
      const wards = wardsFor(request, request.query.ward);
      if (!wards) return reply.code(403).send(OUT_OF_SCOPE);
      const [stats, trend, topQuestions] = await Promise.all([dashboard.wards(wards), dashboard.trend(wards), dashboard.topQuestions(wards)]);
      const totals = stats.reduce(
        (t, w) => ({ adults: t.adults + w.adults, learners: t.learners + w.learners, lessonsCompleted: t.lessonsCompleted + w.lessonsCompleted, basic: t.basic + w.basic }),
        { adults: 0, learners: 0, lessonsCompleted: 0, basic: 0 },
      );
      return {
        province: areas.province,
        generatedAt: new Date().toISOString(),
        targets: TARGETS,
        basicLevel: BASIC_GROUPS.map((g) => g.label),
        totals: { ...totals, share: totals.adults > 0 ? Math.round((totals.basic / totals.adults) * 1e6) / 1e6 : 0 },
        wards: stats,
        trend,
        topQuestions,
      };
    },
  );

  app.get<{ Querystring: { quarter?: string; ward?: string } }>(
    '/api/officer/report.csv',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { quarter: { type: 'string', pattern: '^\\d{4}-Q[1-4]$' }, ward: { type: 'string', maxLength: 100 } },
        },
      },
    },
    async (request, reply) => {
      const wards = wardsFor(request, request.query.ward);
      if (!wards) return reply.code(403).send(OUT_OF_SCOPE);
      const quarter = request.query.quarter ?? currentQuarter();
      const range = quarterRange(quarter)!;
      const asOf = range.end < new Date() ? range.end : new Date();
      const [atEnd, atStart] = await Promise.all([dashboard.wards(wards, asOf), dashboard.wards(wards, range.start)]);
      const rows: (string | number)[][] = [
        ['Tỉnh', 'Phường/xã', 'Quý', 'Tính đến', 'Dân số trưởng thành', 'Người học', 'Lượt hoàn thành bài học', 'Đạt kỹ năng số cơ bản', 'Mới đạt trong quý', 'Tỷ lệ (%)', 'Chỉ tiêu 2025 (%)', 'Còn thiếu so với 2025', 'Chỉ tiêu 2026 (%)', 'Còn thiếu so với 2026'],
        ...atEnd.map((w, i) => [
          areas.province,
          w.ward,
          quarter,
          asOf.toISOString(),
          w.adults,
          w.learners,
          w.lessonsCompleted,
          w.basic,
          w.basic - atStart[i]!.basic,
          (w.share * 100).toFixed(2),
          TARGETS[2025] * 100,
          w.missing[2025],
          TARGETS[2026] * 100,
          w.missing[2026],
        ]),
      ];
      // A report leaves the system: who exported what is recorded.
      await recordAudit(opts.db, auth.learnerOf(request)!.externalId, 'report.export', quarter, { wards });
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="bao-cao-binh-dan-hoc-vu-so-${quarter}.csv"`)
        .send(toCsv(rows));
    },
  );
}
