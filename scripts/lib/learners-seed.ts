import type { Db } from '../../bot-server/src/db/index.js';
import type { LessonCatalog } from '../../bot-server/src/lessons/catalog.js';
import { TOPICS } from '../../bot-server/src/lessons/schema.js';

/**
 * Synthetic learners for benchmarks and demos: a province's worth of people at every stage. Each has 0-19 lessons
 * touched (easiest first, as people learn), mastery spread over the whole range, a few questions in the last two
 * weeks, a ward and sometimes a goal. Generated in SQL, batch by batch, so 100,000 learners take seconds.
 * External ids start with "seed:" so that they can never collide with real Zalo users.
 */
export async function seedLearners(
  db: Db,
  catalog: LessonCatalog,
  opts: { count: number; batch?: number; wards: string[]; province: string; onBatch?: (done: number) => void },
): Promise<{ learners: number; progressRows: number; questions: number }> {
  const batch = opts.batch ?? 5000;
  // Easiest first: a learner with k lessons has touched the k easiest, as learners mostly do.
  const lessonIds = [...catalog.lessons].sort((a, b) => a.level - b.level || a.id.localeCompare(b.id)).map((l) => l.id);
  const [{ start }] = (await db.query<{ start: number }>(
    `SELECT coalesce(max(substring(external_id from 6)::int), 0) + 1 AS start FROM learners WHERE external_id LIKE 'seed:%'`,
  )) as [{ start: number }];
  for (let from = start; from < start + opts.count; from += batch) {
    const to = Math.min(start + opts.count - 1, from + batch - 1);
    await db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO learners (external_id, display_name, province, ward, goal, placement_at, created_at)
         SELECT 'seed:' || g, 'Người học ' || g, $3, ($4::text[])[1 + g % cardinality($4::text[])],
                CASE WHEN g % 3 = 0 THEN ($5::text[])[1 + g % cardinality($5::text[])] END,
                CASE WHEN g % 2 = 0 THEN now() - (g % 200) * interval '1 day' END,
                now() - (g % 365) * interval '1 day'
         FROM generate_series($1::int, $2::int) AS g`,
        [from, to, opts.province, opts.wards, [...TOPICS]],
      );
      await tx.query(
        `INSERT INTO lesson_progress (learner_id, lesson_id, steps_seen, mastery, attempts, best_correct, best_total, completed_at, mastered_at)
         SELECT l.id, ($3::text[])[i], 3 + (g + i) % 4, m.p,
                CASE WHEN m.p > 0.5 THEN 1 + (g + i) % 3 ELSE 0 END,
                CASE WHEN m.p > 0.5 THEN 1 + (g + i) % 3 END, CASE WHEN m.p > 0.5 THEN 3 END,
                CASE WHEN m.p > 0.5 THEN now() - ((g + i) % 300) * interval '1 day' END,
                CASE WHEN m.p >= 0.9 THEN now() - ((g + i) % 300) * interval '1 day' END
         FROM generate_series($1::int, $2::int) AS g
         JOIN learners l ON l.external_id = 'seed:' || g
         CROSS JOIN LATERAL generate_series(1, g % 20) AS i
         CROSS JOIN LATERAL (SELECT ((g * 7919 + i * 104729) % 1000) / 1000.0 * 0.98 + 0.01 AS p) AS m`,
        [from, to, lessonIds],
      );
      await tx.query(
        `INSERT INTO learner_questions (learner_id, lesson_id, asked_at)
         SELECT l.id, ($3::text[])[1 + (g * 31 + k * 17) % cardinality($3::text[])], now() - ((g + k) % 14) * interval '1 day'
         FROM generate_series($1::int, $2::int) AS g
         JOIN learners l ON l.external_id = 'seed:' || g
         CROSS JOIN LATERAL generate_series(1, g % 6) AS k`,
        [from, to, lessonIds],
      );
    });
    opts.onBatch?.(to - start + 1);
  }
  const count = async (sql: string) => (await db.query<{ n: number }>(sql))[0]!.n;
  return {
    learners: await count(`SELECT count(*)::int AS n FROM learners`),
    progressRows: await count(`SELECT count(*)::int AS n FROM lesson_progress`),
    questions: await count(`SELECT count(*)::int AS n FROM learner_questions`),
  };
}
