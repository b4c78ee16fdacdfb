import type { Assistant } from '../../bot-server/src/answering/assistant.js';
import type { ChatReply } from '../../bot-server/src/answering/reply.js';
import { parseChatRequest } from '../../bot-server/src/chat/schema.js';

export interface AnsweredQuestion extends ChatReply {
  id: string;
  ms: number;
  /** When a model was asked: 'generated', or why the extractive answer was kept. */
  generation?: string;
}

/** One question through the same validation and pipeline as POST /api/chat, timed. */
export async function answerQuestion(assistant: Assistant, q: { id: string; question: string }): Promise<AnsweredQuestion> {
  const started = performance.now();
  const parsed = parseChatRequest({ message: q.question });
  if (!parsed.ok) return { id: q.id, kind: 'clarify', answer: parsed.error, lessons: [], ms: 0 };
  const { reply, trace } = await assistant.replyWithTrace(parsed.value.message);
  return { id: q.id, ...reply, ms: Math.round((performance.now() - started) * 10) / 10, generation: trace.generation?.outcome };
}
