import { loadConfig } from '../../bot-server/src/config.js';
import { openContext } from '../../bot-server/src/context.js';
import { recommend } from '../../bot-server/src/learning/recommend.js';
import { makeTempDir } from '../../test/helpers.js';
import { seedLearners } from './learners-seed.js';
import { percentile } from './stats.js';


/**
 * Recommendation latency for one learner with a full history (every lesson touched, safety reviews due, 30 recent
 * questions) in an embedded database holding `population` other learners: the database reads and the ranking, as
 * GET /api/recommendations does them, and the ranking alone.
 */
export async function measureRecommendations(population: number): Promise<{
  seedSeconds: number;
  rows: { learners: number; progressRows: number; questions: number };
  serviceMs: number[];
  httpMs: number[];
  rankingMs: number[];
  dashboardMs: number[];
}> {
  const dir = makeTempDir('bhvs-bench-learners-');
  const ctx = await openContext({ ...loadConfig({ LOG_LEVEL: 'silent' }), dataDir: dir.path, devLogin: true, rateLimitPerMinute: 1_000_000 });
  try {
    let t = performance.now();
    const rows = await seedLearners(ctx.db, ctx.catalog, { count: population, province: ctx.areas.province, wards: ctx.areas.wards });
    const seedSeconds = (performance.now() - t) / 1000;

    const { learner } = await ctx.learners.signIn('dev:bench-full-history', 'Người học chăm chỉ');
    await ctx.db.query('UPDATE learners SET goal = $2, needs = $3 WHERE id = $1', [learner.id, 'thanh-toan', ['thanh-toan-vietqr', 'dvc-nop-ho-so']]);
    const lessons = ctx.catalog.lessons;
    for (const [i, l] of lessons.entries()) {
      const mastered = i % 3 !== 0;
      await ctx.db.query(
        `INSERT INTO lesson_progress (learner_id, lesson_id, steps_seen, mastery, attempts, best_correct, best_total, completed_at, review_due)
         VALUES ($1, $2, $3, $4, 2, 2, 3, now(), $5)`,
        [learner.id, l.id, l.steps.length, mastered ? 0.95 : 0.4 + (i % 5) / 10, mastered && l.topic === 'an-toan' ? new Date(Date.now() - 86_400_000) : null],
      );
    }
    for (let k = 0; k < 30; k++) {
      await ctx.db.query(`INSERT INTO learner_questions (learner_id, lesson_id, asked_at) VALUES ($1, $2, now() - $3 * interval '1 hour')`, [
        learner.id,
        lessons[(k * 7) % lessons.length]!.id,
        k,
      ]);
    }
    const full = (await ctx.learners.get(learner.id))!;

    const serviceMs: number[] = [];
    for (let i = 0; i < 1200; i++) {
      t = performance.now();
      await ctx.learning.recommendations(full);
      if (i >= 200) serviceMs.push(performance.now() - t);
    }
    const state = await ctx.learning.loadState(full);
    const rankingMs: number[] = [];
    const now = new Date();
    for (let i = 0; i < 1200; i++) {
      t = performance.now();
      recommend(ctx.catalog, state, now);
      if (i >= 200) rankingMs.push(performance.now() - t);
    }

    // Through the HTTP stack (inject: routing, session lookup, schema, serialisation), without a socket.
    const { buildApp } = await import('../../bot-server/src/app.js');
    const app = await buildApp({ ...ctx, close: async () => {} });
    const { token } = await ctx.learners.signIn('dev:bench-full-history', 'Người học chăm chỉ');
    const httpMs: number[] = [];
    for (let i = 0; i < 700; i++) {
      t = performance.now();
      const res = await app.inject({ method: 'GET', url: '/api/recommendations', headers: { authorization: `Bearer ${token}` } });
      if (res.statusCode !== 200) throw new Error(`GET /api/recommendations: ${res.statusCode} ${res.body}`);
      if (i >= 200) httpMs.push(performance.now() - t);
    }
    await app.close();

    // The province-wide dashboard (an admin's view) over the whole population.
    const dashboardMs: number[] = [];
    for (let i = 0; i < 6; i++) {
      t = performance.now();
      await Promise.all([ctx.dashboard.wards(ctx.areas.wards), ctx.dashboard.trend(ctx.areas.wards), ctx.dashboard.topQuestions(ctx.areas.wards)]);
      if (i > 0) dashboardMs.push(performance.now() - t);
    }
    return { seedSeconds, rows, serviceMs, httpMs, rankingMs, dashboardMs };
  } finally {
    await ctx.close();
    dir.remove();
  }
}

