import type { Db } from '../db/index.js';
import type { ChatReply } from '../answering/reply.js';

export interface HistoryEntry {
  asked: string;
  answer: string;
  kind: ChatReply['kind'];
  lessonId?: string;
  at: string;
}

/** Most a learner gets back: a conversation, not an archive. */
export const HISTORY_LIMIT = 50;

/**
 * A signed-in learner's conversation. Only the redacted question is ever passed in (the assistant's trace), and
 * the answer is built from lessons and that redacted question, so no personal data reaches this table.
 */
export class ChatHistory {
  constructor(private readonly db: Db) {}

  async record(learnerId: string, redactedQuestion: string, reply: ChatReply): Promise<void> {
    await this.db.query(`INSERT INTO chat_messages (learner_id, asked, answer, kind, lesson_id) VALUES ($1, $2, $3, $4, $5)`, [
      learnerId,
      redactedQuestion,
      reply.answer,
      reply.kind,
      reply.lessons[0]?.id ?? null,
    ]);
  }

  /** The latest exchanges, oldest first (as a chat screen shows them). */
  async recent(learnerId: string, limit = HISTORY_LIMIT): Promise<HistoryEntry[]> {
    const rows = await this.db.query<{ asked: string; answer: string; kind: ChatReply['kind']; lesson_id: string | null; created_at: Date | string }>(
      `SELECT asked, answer, kind, lesson_id, created_at FROM chat_messages WHERE learner_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
      [learnerId, limit],
    );
    return rows.reverse().map((r) => ({
      asked: r.asked,
      answer: r.answer,
      kind: r.kind,
      ...(r.lesson_id ? { lessonId: r.lesson_id } : {}),
      at: new Date(r.created_at).toISOString(),
    }));
  }

  async clear(learnerId: string): Promise<number> {
    return (await this.db.query('DELETE FROM chat_messages WHERE learner_id = $1 RETURNING 1', [learnerId])).length;
  }
}
