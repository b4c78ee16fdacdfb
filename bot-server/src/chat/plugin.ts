import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Assistant, ReplyTrace } from '../answering/assistant.js';
import type { ChatReply } from '../answering/reply.js';
import { type LearnerAuth, UNAUTHENTICATED } from '../identity/auth.js';
import type { Learner, Learners } from '../identity/learners.js';
import type { LearningService } from '../learning/service.js';
import type { LiveHub } from '../broadcast/live.js';
import type { QuestionStats } from '../dashboard/question-stats.js';
import { htmlSafeJson } from '../security/headers.js';
import { RATE_LIMITED } from '../security/rate-limits.js';
import { hasUnstorableText, UNSTORABLE_TEXT } from '../security/text.js';
import { CLOSE_FLOODING, CLOSE_TOO_MANY, FLOODING, FrameBudget, type SocketLimits, TOO_MANY_CONNECTIONS } from '../security/socket-limits.js';
import type { ChatHistory } from './history.js';
import { chatReplyJsonSchema, chatRequestJsonSchema, type ChatRequest, historyJsonSchema, parseChatRequest } from './schema.js';

const WS_MAX_PAYLOAD_BYTES = 16 * 1024;
/** A session token is 43 characters; anything much longer is not one. */
const MAX_TOKEN_CHARS = 100;

export interface ChatPluginOptions {
  assistant: Assistant;
  learners: Learners;
  auth: LearnerAuth;
  learning: LearningService;
  /** Signed-in sockets join it, to receive officers' tips live. */
  hub: LiveHub;
  questionStats: QuestionStats;
  /** Signed-in learners' conversations (redacted questions only). */
  history: ChatHistory;
  /** Open sockets per address and in all. */
  socketLimits: SocketLimits;
  /** The per-address request budget, shared with HTTP: a question over the socket counts like one over HTTP. */
  addressExceeded: (request: FastifyRequest) => Promise<boolean>;
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
  const { assistant, learners, auth, learning, hub, questionStats, history, socketLimits } = opts;
  // A signed-in learner's reply says what they are missing and what to learn next for them; their (redacted)
  // question and the answer join their history. When personal data was taken out, `asked` tells the mini app
  // what was kept, so the phone keeps the same.
  const finish = async (question: string, result: { reply: ChatReply; trace: ReplyTrace }, learner: Learner | undefined) => {
    const asked = result.trace.redacted;
    questionStats.record(asked, learner?.ward);
    const changed = asked !== question.normalize('NFC').trim() ? { asked } : {};
    if (!learner) return { ...result.reply, ...changed };
    await history.record(learner.id, asked, result.reply);
    return { ...(await learning.personaliseReply(learner, result.reply)), ...changed };
  };

  app.post<{ Body: ChatRequest }>(
    '/api/chat',
    { onRequest: auth.optional, schema: { body: chatRequestJsonSchema, response: { 200: chatReplyJsonSchema } } },
    async (request) => {
      const started = performance.now();
      const result = await assistant.replyWithTrace(request.body.message);
      const reply = await finish(request.body.message, result, auth.learnerOf(request));
      logReply(app, result, performance.now() - started, 'http');
      return reply;
    },
  );

  app.get('/api/chat/history', { onRequest: auth.require, schema: { response: { 200: historyJsonSchema } } }, async (request) => ({
    messages: await history.recent(auth.learnerOf(request)!.id),
  }));

  app.delete(
    '/api/chat/history',
    { onRequest: auth.require, schema: { response: { 200: { type: 'object', required: ['deleted'], properties: { deleted: { type: 'integer' } } } } } },
    async (request) => ({
      deleted: await history.clear(auth.learnerOf(request)!.id),
    }),
  );

  app.get('/ws', { websocket: true }, (socket, request) => {
    const release = socketLimits.admit(request.ip);
    if (!release) {
      request.log.warn({ open: socketLimits.openSockets }, 'websocket refused: too many connections');
      socket.close(CLOSE_TOO_MANY, TOO_MANY_CONNECTIONS);
      return;
    }
    const budget = new FrameBudget();
    // Set by an 'auth' frame (browsers cannot send headers with a WebSocket); checked again for every question,
    // so an expired session or an erased learner is noticed at once.
    let sessionToken: string | undefined;
    let detach: (() => void) | undefined;
    // Frames are handled concurrently, but an 'auth' applies to every question sent after it: a question waits for
    // the session check of an earlier 'auth' frame, so the mini app need not wait for the acknowledgement.
    let authChecked: Promise<unknown> = Promise.resolve();
    socket.on('close', () => {
      release();
      detach?.();
    });
    const send = (payload: object) => {
      if (socket.readyState === socket.OPEN) socket.send(htmlSafeJson(JSON.stringify(payload)));
    };
    socket.on('message', async (data, isBinary) => {
      const allowed = budget.take();
      if (allowed === 'close') {
        request.log.warn('websocket closed: flooding');
        return socket.close(CLOSE_FLOODING, FLOODING);
      }
      const refused = allowed === 'refuse' || (await opts.addressExceeded(request));

      let frame: unknown;
      try {
        if (isBinary) throw new Error('binary');
        frame = JSON.parse(data.toString());
      } catch {
        return send({ type: 'error', ...(refused ? RATE_LIMITED : { error: 'Tin nhắn không đúng định dạng.', code: 'BAD_FRAME' }) });
      }
      const { type, id, ...body } = (typeof frame === 'object' && frame !== null ? frame : {}) as Record<string, unknown>;
      const given = typeof id === 'string' || typeof id === 'number' ? id : undefined;
      const replyId = typeof given === 'string' && hasUnstorableText(given) ? undefined : given;
      // Refused frames still name their question, so a client with several in flight knows which one to resend.
      if (refused) return send({ type: 'error', id: replyId, ...RATE_LIMITED });
      if (hasUnstorableText(frame)) return send({ type: 'error', id: replyId, ...UNSTORABLE_TEXT });
      if (type === 'ping') return send({ type: 'pong', id: replyId });
      if (type === 'auth') {
        const token = typeof body.token === 'string' && body.token.length <= MAX_TOKEN_CHARS ? body.token : '';
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
        const reply = await finish(parsed.value.message, result, learner);
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
