import type { FastifyInstance } from 'fastify';
import type { Assistant, ReplyTrace } from '../answering/assistant.js';
import type { ChatReply } from '../answering/reply.js';
import { type LearnerAuth, UNAUTHENTICATED } from '../identity/auth.js';
import type { Learner, Learners } from '../identity/learners.js';
import type { LearningService } from '../learning/service.js';
import type { LiveHub } from '../broadcast/live.js';
import type { QuestionStats } from '../dashboard/question-stats.js';
import { chatReplyJsonSchema, chatRequestJsonSchema, type ChatRequest, parseChatRequest } from './schema.js';

/** Per WebSocket connection: enough for a person, too little for a script hammering one socket. */
const WS_BURST = 20;
const WS_REFILL_PER_SECOND = 2;
const WS_MAX_PAYLOAD_BYTES = 16 * 1024;

export interface ChatPluginOptions {
  assistant: Assistant;
  learners: Learners;
  auth: LearnerAuth;
  learning: LearningService;
  /** Signed-in sockets join it, to receive officers' tips live. */
  hub: LiveHub;
  questionStats: QuestionStats;
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
  const { assistant, learners, auth, learning, hub, questionStats } = opts;
  // A signed-in learner's reply says what they are missing and what to learn next for them.
  const personalise = (reply: ChatReply, learner: Learner | undefined) => (learner ? learning.personaliseReply(learner, reply) : reply);

  app.post<{ Body: ChatRequest }>(
    '/api/chat',
    { onRequest: auth.optional, schema: { body: chatRequestJsonSchema, response: { 200: chatReplyJsonSchema } } },
    async (request) => {
      const started = performance.now();
      const result = await assistant.replyWithTrace(request.body.message);
      const learner = auth.learnerOf(request);
      questionStats.record(result.trace.redacted, learner?.ward);
      const reply = await personalise(result.reply, learner);
      logReply(app, result, performance.now() - started, 'http');
      return reply;
    },
  );

  app.get('/ws', { websocket: true }, (socket) => {
    let tokens = WS_BURST;
    let last = Date.now();
    // Set by an 'auth' frame (browsers cannot send headers with a WebSocket); checked again for every question,
    // so an expired session or an erased learner is noticed at once.
    let sessionToken: string | undefined;
    let detach: (() => void) | undefined;
    // Frames are handled concurrently, but an 'auth' applies to every question sent after it: a question waits for
    // the session check of an earlier 'auth' frame, so the mini app need not wait for the acknowledgement.
    let authChecked: Promise<unknown> = Promise.resolve();
    socket.on('close', () => detach?.());
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
      if (type === 'auth') {
        const token = typeof body.token === 'string' && body.token.length <= 100 ? body.token : '';
        authChecked = (async () => {
          const learner = token ? await learners.fromToken(token) : undefined;
          sessionToken = learner ? token : undefined;
          detach?.();
          detach = learner ? hub.attach(learner.id, socket) : undefined;
          send(learner ? { type: 'auth', id: replyId, ok: true } : { type: 'auth', id: replyId, ok: false, ...UNAUTHENTICATED });
        })().catch((err: Error) => app.log.warn({ err: err.message }, 'websocket auth failed'));
        return;
      }
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
        let learner: Learner | undefined;
        await authChecked;
        if (sessionToken) {
          learner = await learners.fromToken(sessionToken);
          if (!learner) {
            sessionToken = undefined;
            detach?.();
            detach = undefined;
            send({ type: 'auth', ok: false, ...UNAUTHENTICATED });
          }
        }
        questionStats.record(result.trace.redacted, learner?.ward);
        const reply = await personalise(result.reply, learner);
        logReply(app, result, performance.now() - started, 'ws');
        send({ type: 'reply', id: replyId, ...reply });
      } catch (err) {
        app.log.error({ err }, 'chat over websocket failed');
        send({ type: 'error', id: replyId, error: 'Có lỗi, bác thử lại sau ít phút.', code: 'INTERNAL' });
      }
    });
  });
}

export const websocketOptions = { options: { maxPayload: WS_MAX_PAYLOAD_BYTES } };
