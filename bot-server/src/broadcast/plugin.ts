import type { FastifyInstance } from 'fastify';
import type { Areas } from '../areas/areas.js';
import type { LearnerAuth } from '../identity/auth.js';
import { Learners } from '../identity/learners.js';
import type { LessonCatalog } from '../lessons/catalog.js';
import { checkDraft, type Draft } from './compose.js';
import { isQuietHour, pushableFrom } from './quiet-hours.js';
import { type Broadcasts, NotInScope, tipOf } from './service.js';

export interface BroadcastPluginOptions {
  broadcasts: Broadcasts;
  catalog: LessonCatalog;
  areas: Areas;
  auth: LearnerAuth;
  linkDomains: string[];
  /** Called after a broadcast is stored, so that one due now goes out at once. */
  onCreated?: () => void;
}

const OUT_OF_SCOPE = { error: 'Bác chỉ gửi được tin cho phường, xã mình phụ trách.', code: 'OUT_OF_SCOPE' } as const;
const NO_BROADCAST = { error: 'Không tìm thấy tin này.', code: 'NOT_FOUND' } as const;

const tipJsonSchema = {
  type: 'object',
  required: ['id', 'title', 'body', 'priority', 'publishedAt'],
  properties: {
    id: { type: 'string' },
    title: { type: 'string' },
    body: { type: 'string' },
    priority: { type: 'string', enum: ['normal', 'scam_alert'] },
    lessonId: { type: 'string' },
    publishedAt: { type: 'string' },
    opened: { type: 'boolean' },
  },
} as const;

const broadcastJsonSchema = {
  type: 'object',
  required: ['id', 'title', 'body', 'priority', 'wards', 'sendAt', 'expiresAt', 'status', 'report'],
  properties: {
    id: { type: 'string' },
    author: { type: 'string' },
    title: { type: 'string' },
    body: { type: 'string' },
    lessonId: { type: 'string' },
    priority: { type: 'string' },
    wards: { type: 'array', items: { type: 'string' } },
    topic: { type: 'string' },
    unfinishedLesson: { type: 'string' },
    sendAt: { type: 'string' },
    expiresAt: { type: 'string' },
    status: { type: 'string' },
    report: {
      type: 'object',
      properties: Object.fromEntries(['targeted', 'delivered', 'failed', 'feedOnly', 'pending', 'opened'].map((k) => [k, { type: 'integer' }])),
    },
  },
} as const;

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } } as const;

/** The officers' console API: compose with preview, send or schedule, follow delivery, cancel. */
export async function broadcastPlugin(app: FastifyInstance, opts: BroadcastPluginOptions): Promise<void> {
  const { broadcasts, catalog, areas, auth } = opts;
  app.addHook('onRequest', auth.requireRole('officer'));
  const scopeOf = (request: Parameters<LearnerAuth['learnerOf']>[0]) => Learners.wardsFor(auth.learnerOf(request)!, 'officer', areas.wards);
  const check = (body: unknown) => checkDraft(body, { catalog, wards: areas.wards, linkDomains: opts.linkDomains, now: new Date() });

  /** Exactly what the citizen will see, and when it will be pushed. */
  const previewOf = (draft: Draft) => {
    const pushAt = pushableFrom(draft.priority, draft.sendAt);
    return {
      tip: tipOf({ id: 'preview', title: draft.title, body: draft.body, priority: draft.priority, lesson_id: draft.lessonId ?? null, send_at: draft.sendAt }),
      pushAt: pushAt.toISOString(),
      heldForQuietHours: draft.priority === 'normal' && isQuietHour(draft.sendAt),
    };
  };

  app.get('/api/officer/scope', async (request) => ({ province: areas.province, wards: scopeOf(request) }));

  app.post<{ Body: unknown }>(
    '/api/officer/broadcasts/preview',
    {
      schema: {
        body: { type: 'object' },
        response: {
          200: { type: 'object', properties: { tip: tipJsonSchema, pushAt: { type: 'string' }, heldForQuietHours: { type: 'boolean' } } },
        },
      },
    },
    async (request, reply) => {
      const checked = check(request.body);
      if (!checked.ok) return reply.code(400).send({ error: checked.problems.join(' '), problems: checked.problems, code: 'BAD_DRAFT' });
      if (!checked.draft.wards.every((w) => scopeOf(request).includes(w))) return reply.code(403).send(OUT_OF_SCOPE);
      return previewOf(checked.draft);
    },
  );

  app.post<{ Body: unknown }>(
    '/api/officer/broadcasts',
    // The draft is validated with zod in checkDraft, which names every problem in Vietnamese for the officer.
    { schema: { body: { type: 'object' }, response: { 201: broadcastJsonSchema } } },
    async (request, reply) => {
      const checked = check(request.body);
      if (!checked.ok) return reply.code(400).send({ error: checked.problems.join(' '), problems: checked.problems, code: 'BAD_DRAFT' });
      try {
        const created = await broadcasts.create(auth.learnerOf(request)!, checked.draft, scopeOf(request));
        opts.onCreated?.();
        return reply.code(201).send(created);
      } catch (err) {
        if (err instanceof NotInScope) return reply.code(403).send(OUT_OF_SCOPE);
        throw err;
      }
    },
  );

  app.get(
    '/api/officer/broadcasts',
    { schema: { response: { 200: { type: 'object', properties: { broadcasts: { type: 'array', items: broadcastJsonSchema } } } } } },
    async (request) => ({ broadcasts: await broadcasts.list(scopeOf(request)) }),
  );

  app.get<{ Params: { id: string } }>(
    '/api/officer/broadcasts/:id',
    { schema: { params: idParams, response: { 200: broadcastJsonSchema } } },
    async (request, reply) => (await broadcasts.get(request.params.id, scopeOf(request))) ?? reply.code(404).send(NO_BROADCAST),
  );

  app.post<{ Params: { id: string } }>(
    '/api/officer/broadcasts/:id/cancel',
    { schema: { params: idParams, response: { 200: broadcastJsonSchema } } },
    async (request, reply) =>
      (await broadcasts.cancel(auth.learnerOf(request)!, request.params.id, scopeOf(request))) ?? reply.code(404).send(NO_BROADCAST),
  );
}

export { tipJsonSchema };
