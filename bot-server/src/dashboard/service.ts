import type { Areas } from '../areas/areas.js';
import type { Db } from '../db/index.js';
import type { LessonCatalog } from '../lessons/catalog.js';
import { basicCte, basicParams, TARGETS } from './basic-level.js';
import { weekOf } from './question-stats.js';

export interface WardStats {
  ward: string;
  adults: number;
  learners: number;
  lessonsCompleted: number;
  /** Learners with basic digital skills (see basic-level.ts). */
  basic: number;
  /** basic / adults. */
  share: number;
  /** Learners still needed to reach each year's target. */
  missing: { 2025: number; 2026: number };
}

export interface TrendPoint {
  week: string;
  learners: number;
  basic: number;
}

const WEEK = 7 * 86_400_000;
const MIN_ASKED = 2;

/**
 * The figures officers report: per ward, against the plan's targets, as of a moment (now, or a quarter's end).
 * Everything is counted from learning records; nothing about a person is returned.
 */
export class Dashboard {
  constructor(
    private readonly db: Db,
    private readonly catalog: LessonCatalog,
    private readonly areas: Areas,
  ) {}

  async wards(wards: readonly string[], asOf = new Date()): Promise<WardStats[]> {
    const params = basicParams(this.catalog, wards);
    const [learners, completed, reached] = await Promise.all([
      this.db.query<{ ward: string; n: number }>(
        `SELECT ward, count(*)::int AS n FROM learners WHERE ward = ANY($1::text[]) AND created_at <= $2 GROUP BY ward`,
        [wards, asOf],
      ),
      this.db.query<{ ward: string; n: number }>(
        `SELECT l.ward, count(*)::int AS n FROM lesson_progress p JOIN learners l ON l.id = p.learner_id
         WHERE l.ward = ANY($1::text[]) AND p.completed_at <= $2 GROUP BY l.ward`,
        [wards, asOf],
      ),
      this.db.query<{ ward: string; n: number }>(
        `${basicCte('ward')}
         SELECT l.ward, count(*)::int AS n FROM basic b JOIN learners l ON l.id = b.learner_id WHERE b.basic_at <= $5 GROUP BY l.ward`,
        [...params, asOf],
      ),
    ]);
    const count = (rows: { ward: string; n: number }[]) => new Map(rows.map((r) => [r.ward, r.n]));
    const [byLearners, byCompleted, byBasic] = [count(learners), count(completed), count(reached)];
    return wards.map((ward) => {
      const adults = this.areas.adults.get(ward) ?? 0;
      const basicCount = byBasic.get(ward) ?? 0;
      return {
        ward,
        adults,
        learners: byLearners.get(ward) ?? 0,
        lessonsCompleted: byCompleted.get(ward) ?? 0,
        basic: basicCount,
        share: adults > 0 ? Math.round((basicCount / adults) * 1e6) / 1e6 : 0,
        missing: {
          2025: Math.max(0, Math.ceil(TARGETS[2025] * adults) - basicCount),
          2026: Math.max(0, Math.ceil(TARGETS[2026] * adults) - basicCount),
        },
      };
    });
  }

  /** Weekly totals over the given wards for the last `weeks` weeks (each point: as of the end of that week). */
  async trend(wards: readonly string[], weeks = 12, now = new Date()): Promise<TrendPoint[]> {
    const params = basicParams(this.catalog, wards);
    const monday = new Date(`${weekOf(now)}T00:00:00+07:00`);
    const ends = Array.from({ length: weeks }, (_, i) => new Date(monday.getTime() - (weeks - 1 - i) * WEEK + WEEK));
    const rows = await this.db.query<{ week_end: Date | string; learners: number; basic: number }>(
      `${basicCte('ward')}
       SELECT e.week_end,
              (SELECT count(*)::int FROM learners l WHERE l.ward = ANY($3::text[]) AND l.created_at < e.week_end) AS learners,
              (SELECT count(*)::int FROM basic b WHERE b.basic_at < e.week_end) AS basic
       FROM unnest($5::timestamptz[]) AS e(week_end) ORDER BY e.week_end`,
      [...params, ends],
    );
    return rows.map((r) => ({ week: weekOf(new Date(new Date(r.week_end).getTime() - WEEK)), learners: r.learners, basic: r.basic }));
  }

  /** The most asked questions this week (already redacted when counted), over these wards. */
  /**
   * Only questions asked at least MIN_ASKED times are shown: redaction removes ID, phone and account numbers, but a
   * one-off question can still name a person or a house; a question many ask is about the service, not a person.
   */
  async topQuestions(wards: readonly string[], limit = 10, now = new Date()): Promise<{ question: string; asked: number }[]> {
    return this.db.query<{ question: string; asked: number }>(
      `SELECT min(sample) AS question, sum(asked)::int AS asked FROM question_stats
       WHERE week = $1::date AND ward = ANY($2::text[])
       GROUP BY question HAVING sum(asked) >= $4 ORDER BY asked DESC, question LIMIT $3`,
      [weekOf(now), wards, limit, MIN_ASKED],
    );
  }
}

/** The first and last moment of a quarter ("2026-Q4") in Vietnam time, or undefined if malformed. */
export function quarterRange(quarter: string): { start: Date; end: Date } | undefined {
  const m = /^(\d{4})-Q([1-4])$/.exec(quarter);
  if (!m) return undefined;
  const year = Number(m[1]);
  const q = Number(m[2]);
  const start = new Date(Date.UTC(year, (q - 1) * 3, 1) - 7 * 3_600_000);
  const end = new Date(Date.UTC(q === 4 ? year + 1 : year, q === 4 ? 0 : q * 3, 1) - 7 * 3_600_000 - 1);
  return { start, end };
}

export function currentQuarter(now = new Date()): string {
  const local = new Date(now.getTime() + 7 * 3_600_000);
  return `${local.getUTCFullYear()}-Q${Math.floor(local.getUTCMonth() / 3) + 1}`;
}
