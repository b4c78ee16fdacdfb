/**
 * npm run seed-learners -- [COUNT]: adds COUNT (default 100,000) synthetic learners with progress and recent
 * questions to the configured database (DATA_DIR, or DATABASE_URL), for benchmarks and for trying the officers'
 * dashboards with realistic volumes. Seeded learners have external ids "seed:N" and never collide with real users.
 */
import { loadConfig } from '../bot-server/src/config.js';
import { openContext } from '../bot-server/src/context.js';
import { seedLearners } from './lib/learners-seed.js';

const count = Number(process.argv[2] ?? 100_000);
if (!Number.isInteger(count) || count < 1 || count > 5_000_000) {
  console.error('usage: npm run seed-learners -- [COUNT] (1 to 5,000,000; default 100000)');
  process.exit(2);
}
const ctx = await openContext(loadConfig({ ...process.env, LOG_LEVEL: 'silent' }));
try {
  const started = performance.now();
  const totals = await seedLearners(ctx.db, ctx.catalog, {
    count,
    province: ctx.areas.province,
    wards: ctx.areas.wards,
    onBatch: (done) => process.stderr.write(`\r  ${done.toLocaleString('en')} / ${count.toLocaleString('en')} learners`),
  });
  process.stderr.write('\n');
  console.log(
    `seeded ${count.toLocaleString('en')} learners in ${((performance.now() - started) / 1000).toFixed(1)} s; database now has ` +
      `${totals.learners.toLocaleString('en')} learners, ${totals.progressRows.toLocaleString('en')} progress rows, ${totals.questions.toLocaleString('en')} recent questions`,
  );
} finally {
  await ctx.close();
}
