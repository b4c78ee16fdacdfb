import { z } from 'zod';

export const MAX_MESSAGE_CHARS = 1000;

/** One definition for HTTP (as JSON schema) and WebSocket (parsed with zod). */
export const ChatRequestSchema = z
  .object({
    message: z.string().min(1).max(MAX_MESSAGE_CHARS).regex(/\S/),
    userId: z.string().min(1).max(128).optional(),
  })
  .strict();

export type ChatRequest = z.infer<typeof ChatRequestSchema>;

export const chatRequestJsonSchema = z.toJSONSchema(ChatRequestSchema, { target: 'draft-7' });

const lessonRef = {
  type: 'object',
  required: ['id', 'title', 'topic'],
  properties: { id: { type: 'string' }, title: { type: 'string' }, topic: { type: 'string' } },
} as const;

export const chatReplyJsonSchema = {
  type: 'object',
  required: ['kind', 'answer', 'lessons'],
  properties: {
    kind: { type: 'string', enum: ['answer', 'clarify', 'out_of_scope', 'safety'] },
    answer: { type: 'string' },
    lessons: { type: 'array', items: lessonRef },
    next: {
      type: 'object',
      required: ['id', 'title'],
      properties: { id: { type: 'string' }, title: { type: 'string' }, reason: { type: 'string' } },
    },
    prerequisite: {
      type: 'object',
      required: ['id', 'title', 'text'],
      properties: { id: { type: 'string' }, title: { type: 'string' }, text: { type: 'string' } },
    },
    generated: { type: 'boolean' },
    // The question as kept (personal data replaced): what the mini app stores on the phone.
    asked: { type: 'string' },
    choices: {
      type: 'array',
      items: { type: 'object', required: ['label', 'message'], properties: { label: { type: 'string' }, message: { type: 'string' } } },
    },
  },
} as const;

/** Why a chat message was refused, in words a citizen understands. */
export function describeMessageProblem(value: unknown): string {
  if (value === undefined || value === null) return 'Bác chưa nhập câu hỏi.';
  if (typeof value !== 'string') return 'Câu hỏi phải là chữ (văn bản).';
  if (value.trim() === '') return 'Bác chưa nhập câu hỏi.';
  if (value.length > MAX_MESSAGE_CHARS) return `Câu hỏi dài quá. Bác viết ngắn lại, dưới ${MAX_MESSAGE_CHARS.toLocaleString('vi-VN')} ký tự nhé.`;
  return 'Câu hỏi không hợp lệ.';
}

export type ParsedChat = { ok: true; value: ChatRequest } | { ok: false; error: string };

export function parseChatRequest(input: unknown): ParsedChat {
  const parsed = ChatRequestSchema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  const body = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const onMessage = parsed.error.issues.some((i) => i.path[0] === 'message');
  return { ok: false, error: onMessage ? describeMessageProblem(body.message) : 'Yêu cầu không hợp lệ.' };
}

export const historyJsonSchema = {
  type: 'object',
  required: ['messages'],
  properties: {
    messages: {
      type: 'array',
      items: {
        type: 'object',
        required: ['asked', 'answer', 'kind', 'at'],
        properties: { asked: { type: 'string' }, answer: { type: 'string' }, kind: { type: 'string' }, lessonId: { type: 'string' }, at: { type: 'string' } },
      },
    },
  },
} as const;
