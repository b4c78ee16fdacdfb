import type { Assistant } from '../../bot-server/src/answering/assistant.js';
import type { ChatReply } from '../../bot-server/src/answering/reply.js';
import { parseChatRequest } from '../../bot-server/src/chat/schema.js';

export interface AnsweredQuestion extends ChatReply {
  id: string;
  ms: number;
}

/** One question through the same validation and pipeline as POST /api/chat, timed. */
export async function answerQuestion(assistant: Assistant, q: { id: string; question: string }): Promise<AnsweredQuestion> {
  const started = performance.now();
  const parsed = parseChatRequest({ message: q.question });
  const reply: ChatReply = parsed.ok
    ? await assistant.reply(parsed.value.message)
    : { kind: 'clarify', answer: parsed.error, lessons: [] };
  return { id: q.id, ...reply, ms: Math.round((performance.now() - started) * 10) / 10 };
}
