import { hourOf, type Job } from '../jobs/scheduler.js';
import { QUESTION_RETENTION_DAYS } from '../learning/service.js';

export interface RetentionOptions {
  /** Days a learner's (redacted) chat history is kept. */
  chatHistoryDays: number;
}

/** Weeks of question counts the dashboard shows (its trend is 12 weeks); older counts serve nobody. */
const QUESTION_STATS_WEEKS = 13;

/**
 * Personal data is kept only as long as it serves the learner: chat history for the configured days, the lessons
 * they asked about for 30 days, expired sessions not at all, question counts (no learner) for the dashboard's
 * span. Runs hourly, once across processes. The audit log is kept: it records officers' public duties.
 */
export function retentionJob(opts: RetentionOptions): Job {
  return {
    name: 'retention',
    periodOf: hourOf,
    async run(tx, now) {
      const count = async (sql: string, params: unknown[]) => (await tx.query(`${sql} RETURNING 1`, params)).length;
      return {
        chatMessages: await count(`DELETE FROM chat_messages WHERE created_at < $1::timestamptz - make_interval(days => $2)`, [now, opts.chatHistoryDays]),
        learnerQuestions: await count(`DELETE FROM learner_questions WHERE asked_at < $1::timestamptz - make_interval(days => $2)`, [now, QUESTION_RETENTION_DAYS]),
        sessions: await count(`DELETE FROM learner_sessions WHERE expires_at < $1`, [now]),
        questionStats: await count(`DELETE FROM question_stats WHERE week < ($1::timestamptz - make_interval(weeks => $2))::date`, [now, QUESTION_STATS_WEEKS]),
      };
    },
  };
}
