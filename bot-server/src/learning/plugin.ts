import type { FastifyInstance } from 'fastify';
import type { LearnerAuth } from '../identity/auth.js';
import type { LessonCatalog } from '../lessons/catalog.js';
import { PLACEMENT } from './placement.js';
import { type LearningService, QuizMismatch } from './service.js';

export interface LearningPluginOptions {
  learning: LearningService;
  catalog: LessonCatalog;
  auth: LearnerAuth;
}

const recommendationJsonSchema = {
  type: 'object',
  required: ['id', 'title', 'topic', 'kind', 'reason', 'chance'],
  properties: {
    id: { type: 'string' },
    title: { type: 'string' },
    topic: { type: 'string' },
    kind: { type: 'string', enum: ['learn', 'review'] },
    reason: { type: 'string' },
    chance: { type: 'number' },
  },
} as const;

const recommendationsJsonSchema = {
  type: 'object',
  properties: { next: recommendationJsonSchema, alternative: recommendationJsonSchema },
} as const;

const lessonParams = {
  type: 'object',
  required: ['lessonId'],
  properties: { lessonId: { type: 'string', pattern: '^[a-z0-9-]{1,100}$' } },
} as const;

const NO_LESSON = { error: 'Không tìm thấy bài học này.', code: 'NOT_FOUND' } as const;

/** Progress, quiz submission, the placement check and recommendations: all for the signed-in learner only. */
export async function learningPlugin(app: FastifyInstance, opts: LearningPluginOptions): Promise<void> {
  const { learning, catalog, auth } = opts;
  app.addHook('onRequest', auth.require);
  const learnerOf = (request: Parameters<LearnerAuth['learnerOf']>[0]) => auth.learnerOf(request)!;

  app.get(
    '/api/progress',
    {
      schema: {
        response: {
          200: {
            type: 'object',
            required: ['lessons'],
            properties: {
              lessons: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['id', 'stepsSeen', 'mastery', 'mastered', 'attempts'],
                  properties: {
                    id: { type: 'string' },
                    stepsSeen: { type: 'integer' },
                    mastery: { type: 'number' },
                    mastered: { type: 'boolean' },
                    attempts: { type: 'integer' },
                    bestCorrect: { type: 'integer' },
                    bestTotal: { type: 'integer' },
                    completedAt: { type: 'string', format: 'date-time' },
                    reviewDue: { type: 'string', format: 'date-time' },
                  },
                },
              },
            },
          },
        },
      },
    },
    async (request) => learning.progress(learnerOf(request)),
  );

  app.post<{ Params: { lessonId: string }; Body: { stepsSeen: number } }>(
    '/api/progress/:lessonId/steps',
    {
      schema: {
        params: lessonParams,
        body: {
          type: 'object',
          required: ['stepsSeen'],
          additionalProperties: false,
          properties: { stepsSeen: { type: 'integer', minimum: 1, maximum: 20 } },
        },
      },
    },
    async (request, reply) => {
      const lesson = catalog.get(request.params.lessonId);
      if (!lesson) return reply.code(404).send(NO_LESSON);
      const s = await learning.recordSteps(learnerOf(request), lesson, request.body.stepsSeen);
      return { id: lesson.id, stepsSeen: s.stepsSeen, mastery: Math.round(s.mastery * 1000) / 1000 };
    },
  );

  app.post<{ Params: { lessonId: string }; Body: { submissionId: string; answers: number[] } }>(
    '/api/progress/:lessonId/quiz',
    {
      schema: {
        params: lessonParams,
        body: {
          type: 'object',
          required: ['submissionId', 'answers'],
          additionalProperties: false,
          properties: {
            // Chosen by the mini app per finished quiz, so that a retried request is counted once.
            submissionId: { type: 'string', pattern: '^[A-Za-z0-9_-]{8,64}$' },
            answers: { type: 'array', minItems: 1, maxItems: 6, items: { type: 'integer', minimum: 0, maximum: 4 } },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['lessonId', 'correct', 'total', 'results', 'mastery', 'mastered', 'replayed'],
            properties: {
              lessonId: { type: 'string' },
              correct: { type: 'integer' },
              total: { type: 'integer' },
              results: {
                type: 'array',
                items: { type: 'object', required: ['correct', 'answer'], properties: { correct: { type: 'boolean' }, answer: { type: 'integer' } } },
              },
              mastery: { type: 'number' },
              mastered: { type: 'boolean' },
              review: { type: 'boolean' },
              reviewDue: { type: 'string' },
              replayed: { type: 'boolean' },
              next: recommendationJsonSchema,
              alternative: recommendationJsonSchema,
            },
          },
        },
      },
    },
    async (request, reply) => {
      const lesson = catalog.get(request.params.lessonId);
      if (!lesson) return reply.code(404).send(NO_LESSON);
      const learner = learnerOf(request);
      try {
        const result = await learning.submitQuiz(learner, lesson, request.body.submissionId, request.body.answers);
        return { ...result, ...(await learning.recommendations(learner)) };
      } catch (err) {
        if (err instanceof QuizMismatch) {
          return reply.code(400).send({ error: 'Bài kiểm tra đã thay đổi. Bác mở lại bài học rồi làm lại nhé.', code: 'QUIZ_MISMATCH' });
        }
        throw err;
      }
    },
  );

  app.get(
    '/api/placement',
    {
      schema: {
        response: {
          200: {
            type: 'object',
            required: ['questions'],
            properties: {
              questions: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['id', 'question', 'options'],
                  properties: { id: { type: 'string' }, question: { type: 'string' }, options: { type: 'array', items: { type: 'string' } } },
                },
              },
            },
          },
        },
      },
    },
    async () => ({ questions: PLACEMENT.map((q) => ({ id: q.id, question: q.question, options: q.options.map((o) => o.label) })) }),
  );

  app.post<{ Body: { answers: Record<string, number> } }>(
    '/api/placement',
    {
      schema: {
        body: {
          type: 'object',
          required: ['answers'],
          additionalProperties: false,
          properties: {
            // Skipped questions are left out; an empty object means "skip the check".
            answers: {
              type: 'object',
              additionalProperties: false,
              properties: Object.fromEntries(PLACEMENT.map((q) => [q.id, { type: 'integer', minimum: 0, maximum: q.options.length - 1 }])),
            },
          },
        },
        response: { 200: recommendationsJsonSchema },
      },
    },
    async (request) => {
      const learner = learnerOf(request);
      const placed = await learning.applyPlacement(learner, request.body.answers);
      return learning.recommendations({ ...learner, ...placed });
    },
  );

  app.get('/api/recommendations', { schema: { response: { 200: recommendationsJsonSchema } } }, async (request) =>
    learning.recommendations(learnerOf(request)),
  );
}
