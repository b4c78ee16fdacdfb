import type { Db } from '../db/index.js';
import { foldVietnamese } from '../text/fold.js';

const MAX_QUESTION_CHARS = 200;
/** Kept in memory between writes, so that counting questions never slows answering them. */
const MAX_BUFFERED = 5000;

/** Monday of the week (Vietnam time) a moment falls in, as YYYY-MM-DD. */
export function weekOf(at: Date): string {
  const local = new Date(at.getTime() + 7 * 3_600_000);
  const day = (local.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() - day)).toISOString().slice(0, 10);
}

/**
 * Counts what people ask, per ward and week, for the officers' "top questions". Only the redacted text is counted
 * (no learner id): officers learn what confuses people, not who asked. Buffered and written in one statement
 * every few seconds.
 */
export class QuestionStats {
  private buffer = new Map<string, { week: string; ward: string; question: string; sample: string; asked: number }>();

  constructor(private readonly db: Db) {}

  record(redactedQuestion: string, ward: string | null | undefined, at = new Date()): void {
    const sample = redactedQuestion.replace(/\s+/g, ' ').trim().slice(0, MAX_QUESTION_CHARS);
    const question = foldVietnamese(sample).replace(/[^\p{L}\p{N}\s[\]]/gu, ' ').replace(/\s+/g, ' ').trim();
    if (!question) return;
    const week = weekOf(at);
    const key = JSON.stringify([week, ward ?? '', question]);
    const cur = this.buffer.get(key);
    if (cur) cur.asked++;
    else if (this.buffer.size < MAX_BUFFERED) this.buffer.set(key, { week, ward: ward ?? '', question, sample, asked: 1 });
  }

  async flush(): Promise<void> {
    if (this.buffer.size === 0) return;
    const taken = this.buffer;
    const rows = [...taken.values()];
    this.buffer = new Map();
    try {
      await this.db.query(
        `INSERT INTO question_stats AS s (week, ward, question, sample, asked)
         SELECT * FROM unnest($1::date[], $2::text[], $3::text[], $4::text[], $5::int[])
         ON CONFLICT (week, ward, question) DO UPDATE SET asked = s.asked + EXCLUDED.asked`,
        [rows.map((r) => r.week), rows.map((r) => r.ward), rows.map((r) => r.question), rows.map((r) => r.sample), rows.map((r) => r.asked)],
      );
    } catch (err) {
      // Not written: the counts go back into the buffer (merged with those recorded meanwhile) for the next flush.
      for (const [key, row] of taken) {
        const cur = this.buffer.get(key);
        if (cur) cur.asked += row.asked;
        else if (this.buffer.size < MAX_BUFFERED) this.buffer.set(key, row);
      }
      throw err;
    }
  }
}
