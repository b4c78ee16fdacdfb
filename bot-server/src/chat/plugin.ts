import type { FastifyInstance } from 'fastify';
import type { Assistant, ReplyTrace } from '../answering/assistant.js';
import type { ChatReply } from '../answering/reply.js';
import { chatReplyJsonSchema, chatRequestJsonSchema, type ChatRequest, parseChatRequest } from './schema.js';

/** Per WebSocket connection: enough for a person, too little for a script hammering one socket. */
const WS_BURST = 20;
const WS_REFILL_PER_SECOND = 2;
const WS_MAX_PAYLOAD_BYTES = 16 * 1024;

export interface ChatPluginOptions {
  assistant: Assistant;
}

/** Logs what happened without the citizen's words: those may hold personal data. */
function logReply(app: FastifyInstance, result: { reply: ChatReply; trace: ReplyTrace }, ms: number, via: 'http' | 'ws'): void {
  const { reply, trace } = result;
  app.log.info(
    { via, kind: reply.kind, lesson: reply.lessons[0]?.id, ms: Math.round(ms * 10) / 10, generation: trace.generation?.outcome },
    'chat reply',
  );
}

export async function chatPlugin(app: FastifyInstance, opts: ChatPluginOptions): Promise<void> {
  const { assistant } = opts;

  app.post<{ Body: ChatRequest }>(
    '/api/chat',
    { schema: { body: chatRequestJsonSchema, response: { 200: chatReplyJsonSchema } } },
    async (request) => {
      const started = performance.now();
      const result = await assistant.replyWithTrace(request.body.message);
      logReply(app, result, performance.now() - started, 'http');
      return result.reply;
    },
  );

  app.get('/ws', { websocket: true }, (socket) => {
    let tokens = WS_BURST;
    let last = Date.now();
    const send = (payload: object) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(payload));
    };
    socket.on('message', async (data, isBinary) => {
      const now = Date.now();
      tokens = Math.min(WS_BURST, tokens + ((now - last) / 1000) * WS_REFILL_PER_SECOND);
      last = now;
      if (tokens < 1) return send({ type: 'error', error: 'Bác gửi nhanh quá, bác chờ một chút rồi hỏi lại nhé.', code: 'RATE_LIMITED' });
      tokens -= 1;

      let frame: unknown;
      try {
        if (isBinary) throw new Error('binary');
        frame = JSON.parse(data.toString());
      } catch {
        return send({ type: 'error', error: 'Tin nhắn không đúng định dạng.', code: 'BAD_FRAME' });
      }
      const { type, id, ...body } = (typeof frame === 'object' && frame !== null ? frame : {}) as Record<string, unknown>;
      const replyId = typeof id === 'string' || typeof id === 'number' ? id : undefined;
      if (type === 'ping') return send({ type: 'pong', id: replyId });
      if (type !== 'chat') return send({ type: 'error', id: replyId, error: 'Tin nhắn không đúng định dạng.', code: 'BAD_FRAME' });
      const parsed = parseChatRequest(body);
      if (!parsed.ok) return send({ type: 'error', id: replyId, error: parsed.error, code: 'BAD_MESSAGE' });
      try {
        const started = performance.now();
        // A model's answer streams as 'delta' frames; the 'reply' frame that follows is the answer to keep
        // (it replaces the pieces, and is the extractive answer when the model's text failed its checks).
        const result = await assistant.replyWithTrace(parsed.value.message, {
          onDelta: (text) => send({ type: 'delta', id: replyId, text }),
        });
        logReply(app, result, performance.now() - started, 'ws');
        send({ type: 'reply', id: replyId, ...result.reply });
      } catch (err) {
        app.log.error({ err }, 'chat over websocket failed');
        send({ type: 'error', id: replyId, error: 'Có lỗi, bác thử lại sau ít phút.', code: 'INTERNAL' });
      }
    });
  });
}

export const websocketOptions = { options: { maxPayload: WS_MAX_PAYLOAD_BYTES } };
