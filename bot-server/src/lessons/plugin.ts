import type { FastifyInstance } from 'fastify';
import type { LessonCatalog } from './catalog.js';
import { TOPIC_LABELS, TOPICS, type Topic } from './schema.js';

const lessonSummary = {
  type: 'object',
  required: ['id', 'title', 'topic', 'level', 'summary', 'prerequisites'],
  properties: {
    id: { type: 'string' },
    title: { type: 'string' },
    topic: { type: 'string' },
    level: { type: 'integer' },
    summary: { type: 'string' },
    prerequisites: { type: 'array', items: { type: 'string' } },
  },
} as const;

export async function lessonsPlugin(app: FastifyInstance, opts: { catalog: LessonCatalog }): Promise<void> {
  const { catalog } = opts;

  app.get<{ Querystring: { topic?: Topic } }>(
    '/api/lessons',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { topic: { type: 'string', enum: [...TOPICS] } },
        },
        response: {
          200: {
            type: 'object',
            required: ['topics', 'lessons'],
            properties: {
              topics: {
                type: 'array',
                items: { type: 'object', properties: { id: { type: 'string' }, label: { type: 'string' }, count: { type: 'integer' } } },
              },
              lessons: { type: 'array', items: lessonSummary },
            },
          },
        },
      },
    },
    async (request) => {
      const { topic } = request.query;
      const lessons = topic ? catalog.inTopic(topic) : catalog.topics().flatMap((t) => catalog.inTopic(t));
      return {
        topics: catalog.topics().map((t) => ({ id: t, label: TOPIC_LABELS[t], count: catalog.inTopic(t).length })),
        lessons,
      };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/lessons/:id',
    {
      schema: {
        params: {
          type: 'object',
          required: ['id'],
          properties: { id: { type: 'string', pattern: '^[a-z0-9-]{1,100}$' } },
        },
      },
    },
    async (request, reply) => {
      const lesson = catalog.get(request.params.id);
      if (!lesson) return reply.code(404).send({ error: 'Không tìm thấy bài học này.', code: 'NOT_FOUND' });
      const { hash: _hash, file: _file, ...rest } = lesson;
      const next = catalog.nextAfter(lesson.id);
      return { ...rest, topicLabel: TOPIC_LABELS[lesson.topic], next: next ? { id: next.id, title: next.title } : undefined };
    },
  );
}
