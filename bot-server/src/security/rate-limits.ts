import { createHash } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const RATE_LIMITED = { error: 'Bác gửi nhanh quá, bác chờ một chút rồi hỏi lại nhé.', code: 'RATE_LIMITED' } as const;

export interface RateLimitOptions {
  /** Requests per minute from one address. */
  perAddress: number;
  /** Requests per minute with one session, whichever address they come from. */
  perLearner: number;
}

/** The session a request carries, hashed: the limiter's memory never holds a usable token. */
function sessionKey(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string' || !header.startsWith('Bearer ')) return undefined;
  return `learner:${createHash('sha256').update(header.slice(7)).digest('hex').slice(0, 32)}`;
}

/**
 * Two limits on every route registered after this call: per address, and per session. An address can be a whole
 * ward office's Wi-Fi or a carrier's shared address, so it gets more room than one person; one person moving
 * between networks stays limited by their session. Both run first in onRequest, before the session is looked up,
 * so a flood of forged tokens costs no database work. Routes can still add their own stricter limit
 * (`config.rateLimit`, as sign-in does), or opt out (`config.rateLimit: false`, as /health does).
 */
export async function registerRateLimits(
  app: FastifyInstance,
  opts: RateLimitOptions,
): Promise<{ addressExceeded: (request: FastifyRequest) => Promise<boolean> }> {
  await app.register(rateLimit, { global: false, max: opts.perAddress, timeWindow: '1 minute' });
  const byAddress = app.createRateLimit({ max: opts.perAddress, timeWindow: 60_000 });
  const byLearner = app.createRateLimit({ max: opts.perLearner, timeWindow: 60_000, keyGenerator: (r) => sessionKey(r) ?? 'anonymous' });

  const limit = async (request: FastifyRequest, reply: FastifyReply) => {
    const checks = sessionKey(request) ? [byAddress, byLearner] : [byAddress];
    for (const check of checks) {
      const outcome = await check(request);
      if (!outcome.isAllowed && outcome.isExceeded) {
        request.log.warn({ key: outcome.key.startsWith('learner:') ? 'learner' : 'address' }, 'rate limited');
        return reply.code(429).header('retry-after', String(outcome.ttlInSeconds)).send(RATE_LIMITED);
      }
    }
    return undefined;
  };
  app.addHook('onRoute', (route) => {
    if (route.config?.rateLimit === false) return;
    route.onRequest = [limit, ...[route.onRequest ?? []].flat()];
  });
  return {
    addressExceeded: async (request) => {
      const outcome = await byAddress(request);
      return !outcome.isAllowed && outcome.isExceeded;
    },
  };
}
