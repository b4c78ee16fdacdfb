import type { FastifyInstance } from 'fastify';
import type { Areas } from './areas.js';

export async function areasPlugin(app: FastifyInstance, opts: { areas: Areas }): Promise<void> {
  app.get(
    '/api/areas',
    {
      schema: {
        response: {
          200: {
            type: 'object',
            required: ['province', 'wards'],
            properties: { province: { type: 'string' }, wards: { type: 'array', items: { type: 'string' } } },
          },
        },
      },
    },
    async () => ({ province: opts.areas.province, wards: opts.areas.wards }),
  );
}
