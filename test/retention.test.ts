/**
 * Retention and periodic work, on PGlite and on the PostgreSQL server: personal data past its period is purged
 * hourly (chat history after CHAT_HISTORY_DAYS), once per hour however many processes share the database; and
 * the notification channel that carries live tips between processes (delivered on commit, never on rollback).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../bot-server/src/context.js';
import { openPostgres } from '../bot-server/src/db/postgres.js';
import { hourOf, Scheduler } from '../bot-server/src/jobs/scheduler.js';
import { retentionJob } from '../bot-server/src/privacy/retention.js';
import { createScratchDatabase, findPostgres, openTestContext } from './helpers.js';

const postgres = await findPostgres();
if (postgres.reason && process.env.CI === 'true') {
  throw new Error(`CI=true: the retention suite must run against PostgreSQL, but ${postgres.reason}`);
}

const DAY = 24 * 3600_000;
const backends = [
  { name: 'pglite', skip: undefined as string | undefined, databaseUrl: async () => ({ url: undefined as string | undefined, drop: async () => {} }) },
  { name: 'postgres', skip: postgres.reason, databaseUrl: () => createScratchDatabase(postgres.url!) },
];

for (const backend of backends) {
  (backend.skip ? describe.skip : describe)(`retention on ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`, () => {
    let ctx: AppContext;
    let drop: () => Promise<void>;
    let databaseUrl: string | undefined;

    beforeAll(async () => {
      const db = await backend.databaseUrl();
      drop = db.drop;
      databaseUrl = db.url;
      ctx = await openTestContext({ databaseUrl: db.url, chatHistoryDays: 30 });
    });
    afterAll(async () => {
      await ctx?.close();
      await drop?.();
    });

    it('purges chat history past 30 days, old question links, expired sessions and old counts; keeps the rest; once an hour', async () => {
      // The real time: the learner's own session (from signIn) is live for an hour from now.
      const now = new Date();
      const { learner } = await ctx.learners.signIn('zalo:9100001', 'Bà Hoa');
      const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY);
      for (const [daysAgo, asked] of [[45, 'cũ lắm'], [31, 'quá hạn'], [29, 'còn giữ'], [0, 'hôm nay']] as const) {
        await ctx.db.query(`INSERT INTO chat_messages (learner_id, asked, answer, kind, created_at) VALUES ($1, $2, 'trả lời', 'answer', $3)`, [learner.id, asked, at(daysAgo)]);
        await ctx.db.query(`INSERT INTO learner_questions (learner_id, lesson_id, asked_at) VALUES ($1, 'an-toan-otp', $2)`, [learner.id, at(daysAgo)]);
      }
      await ctx.db.query(`INSERT INTO learner_sessions (token_hash, learner_id, expires_at) VALUES ('expired-1', $1, $2), ('live-1', $1, $3)`, [
        learner.id,
        at(1),
        new Date(now.getTime() + 3600_000),
      ]);
      await ctx.db.query(`INSERT INTO question_stats (week, ward, question, sample) VALUES ($1, '', 'cu', 'cũ'), ($2, '', 'moi', 'mới')`, [at(120), at(3)]);

      let clock = now;
      const scheduler = new Scheduler(ctx.db, [retentionJob({ chatHistoryDays: 30 })], () => clock);
      const [run] = await scheduler.runDue();
      expect(run).toMatchObject({ job: 'retention', period: hourOf(now), detail: { chatMessages: 2, learnerQuestions: 2, sessions: 1, questionStats: 1 } });
      expect((await ctx.history.recent(learner.id)).map((m) => m.asked)).toEqual(['còn giữ', 'hôm nay']);
      expect(await ctx.db.query(`SELECT token_hash FROM learner_sessions WHERE token_hash IN ('expired-1', 'live-1')`)).toEqual([{ token_hash: 'live-1' }]);
      expect((await ctx.db.query(`SELECT question FROM question_stats WHERE question IN ('cu', 'moi')`)).map((r) => r.question)).toEqual(['moi']);

      // The same hour again: nothing runs. The next hour: it runs, and 'còn giữ' is purged once it is 30 days old.
      clock = new Date(now.getTime());
      expect(await scheduler.runDue()).toEqual([]);
      clock = new Date(now.getTime() + 1 * DAY + 3600_000);
      const [later] = await scheduler.runDue();
      expect(later).toMatchObject({ period: hourOf(clock), detail: { chatMessages: 1 } });
      expect((await ctx.history.recent(learner.id)).map((m) => m.asked)).toEqual(['hôm nay']);
      expect(await ctx.db.query(`SELECT detail FROM scheduled_runs WHERE job = 'retention' AND period IN ($1, $2)`, [hourOf(now), hourOf(clock)])).toHaveLength(2);
    });

    it('a notification reaches listeners when its transaction commits, never when it rolls back', async () => {
      const got: string[] = [];
      const stop = await ctx.db.listen('bhvs_test_channel', (p) => got.push(p));
      await ctx.db.transaction(async (tx) => {
        await tx.query(`SELECT pg_notify('bhvs_test_channel', 'committed')`);
      });
      await ctx.db
        .transaction(async (tx) => {
          await tx.query(`SELECT pg_notify('bhvs_test_channel', 'rolled back')`);
          throw new Error('undo');
        })
        .catch(() => {});
      await ctx.db.query(`SELECT pg_notify('bhvs_test_channel', 'alone')`);
      for (let i = 0; i < 100 && got.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 100));
      expect(got).toEqual(['committed', 'alone']);
      await stop();
      await ctx.db.query(`SELECT pg_notify('bhvs_test_channel', 'after')`);
      await new Promise((r) => setTimeout(r, 100));
      expect(got).toEqual(['committed', 'alone']);
    });

    if (backend.name === 'postgres') {
      it('two processes (two pools) checking at the same moment: the hour runs once', async () => {
        const other = await openPostgres(databaseUrl!, 4);
        try {
          const clock = () => new Date('2026-12-01T08:00:00Z');
          const job = retentionJob({ chatHistoryDays: 30 });
          const runs = await Promise.all([
            new Scheduler(ctx.db, [job], clock).runDue(),
            new Scheduler(other, [job], clock).runDue(),
            new Scheduler(other, [job], clock).runDue(),
          ]);
          expect(runs.flat()).toHaveLength(1);
          expect(await ctx.db.query(`SELECT 1 FROM scheduled_runs WHERE period = '2026-12-01T08'`)).toHaveLength(1);
          // Notifications cross pools (processes) too.
          const got: string[] = [];
          const stop = await other.listen('bhvs_test_channel', (p) => got.push(p));
          await ctx.db.query(`SELECT pg_notify('bhvs_test_channel', 'from the other process')`);
          for (let i = 0; i < 100 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
          expect(got).toEqual(['from the other process']);
          await stop();
        } finally {
          await other.close();
        }
      });
    }
  });
}
