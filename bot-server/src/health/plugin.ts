import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/index.js';
import type { LessonCatalog } from '../lessons/catalog.js';

const healthSchema = {
  type: 'object',
  properties: { status: { type: 'string' }, database: { type: 'string' }, lessons: { type: 'integer' } },
} as const;

export async function healthPlugin(app: FastifyInstance, opts: { db: Db; catalog: LessonCatalog }): Promise<void> {
  app.get(
    '/health',
    {
      config: { rateLimit: false },
      schema: {
        response: {
          200: healthSchema,
          503: healthSchema,
        },
      },
    },
    async (_request, reply) => {
      try {
        await opts.db.query('SELECT 1');
      } catch {
        return reply.code(503).send({ status: 'unavailable', database: opts.db.kind, lessons: opts.catalog.lessons.length });
      }
      return { status: 'ok', database: opts.db.kind, lessons: opts.catalog.lessons.length };
    },
  );
}
