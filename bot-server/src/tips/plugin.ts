import type { FastifyInstance } from 'fastify';
import { type Areas, servesArea } from '../areas/areas.js';

/**
 * The citizen's Tips feed. Officers' broadcasts fill it once broadcasting exists; until then every area's feed is
 * empty, but the route, its validation and the mini app screen are the real ones.
 */
export async function tipsPlugin(app: FastifyInstance, opts: { areas: Areas }): Promise<void> {
  app.get<{ Querystring: { province?: string; ward?: string } }>(
    '/api/tips',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { province: { type: 'string', maxLength: 100 }, ward: { type: 'string', maxLength: 100 } },
        },
        response: {
          200: {
            type: 'object',
            required: ['tips'],
            properties: {
              tips: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['id', 'title', 'body', 'priority', 'publishedAt'],
                  properties: {
                    id: { type: 'string' },
                    title: { type: 'string' },
                    body: { type: 'string' },
                    priority: { type: 'string', enum: ['normal', 'scam_alert'] },
                    lessonId: { type: 'string' },
                    publishedAt: { type: 'string' },
                  },
                },
              },
            },
          },
        },
      },
    },
    async (request, reply) => {
      const { ward } = request.query;
      if (ward !== undefined && !servesArea(opts.areas, ward)) {
        return reply.code(400).send({ error: 'Không có phường, xã này trong danh sách. Bác chọn lại trong Cài đặt nhé.', code: 'UNKNOWN_AREA' });
      }
      return { tips: [] };
    },
  );
}
