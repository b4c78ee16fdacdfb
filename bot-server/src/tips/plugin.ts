import type { FastifyInstance } from 'fastify';
import { type Areas, servesArea } from '../areas/areas.js';
import { tipJsonSchema } from '../broadcast/plugin.js';
import type { Broadcasts } from '../broadcast/service.js';
import type { LearnerAuth } from '../identity/auth.js';

/**
 * The citizen's Tips feed: officers' tips and scam alerts for their ward (anyone), plus those addressed to them
 * personally (signed in: tips for a topic they follow, or a lesson they have not finished). Scam alerts first.
 */
export async function tipsPlugin(app: FastifyInstance, opts: { areas: Areas; broadcasts: Broadcasts; auth: LearnerAuth }): Promise<void> {
  const { areas, broadcasts, auth } = opts;

  app.get<{ Querystring: { province?: string; ward?: string } }>(
    '/api/tips',
    {
      onRequest: auth.optional,
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { province: { type: 'string', maxLength: 100 }, ward: { type: 'string', maxLength: 100 } },
        },
        response: { 200: { type: 'object', required: ['tips'], properties: { tips: { type: 'array', items: tipJsonSchema } } } },
      },
    },
    async (request, reply) => {
      const { ward } = request.query;
      if (ward !== undefined && !servesArea(areas, ward)) {
        return reply.code(400).send({ error: 'Không có phường, xã này trong danh sách. Bác chọn lại trong Cài đặt nhé.', code: 'UNKNOWN_AREA' });
      }
      const learner = auth.learnerOf(request);
      return { tips: await broadcasts.feed({ learnerId: learner?.id, ward: ward ?? learner?.ward ?? undefined }) };
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/tips/:id/opened',
    {
      onRequest: auth.require,
      schema: {
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } },
        response: { 200: { type: 'object', required: ['opened'], properties: { opened: { type: 'boolean' } } } },
      },
    },
    async (request) => ({ opened: await broadcasts.markOpened(auth.learnerOf(request)!.id, request.params.id) }),
  );
}
