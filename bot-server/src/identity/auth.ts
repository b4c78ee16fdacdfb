import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Learner, Learners } from './learners.js';

export const UNAUTHENTICATED = {
  error: 'Phiên đăng nhập đã hết hạn hoặc không hợp lệ. Bác mở lại ứng dụng nhé.',
  code: 'UNAUTHENTICATED',
} as const;

export interface LearnerAuth {
  /** preHandler: 401 without a valid session; nothing after it runs, so nothing is written. */
  require: (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>;
  /** preHandler: a valid session is used, no Authorization header is anonymous, an invalid one is 401. */
  optional: (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>;
  /** The learner a preHandler above found for this request. */
  learnerOf: (request: FastifyRequest) => Learner | undefined;
}

export function learnerAuth(learners: Learners): LearnerAuth {
  const found = new WeakMap<FastifyRequest, Learner>();
  const check = (required: boolean) => async (request: FastifyRequest, reply: FastifyReply) => {
    if (!required && request.headers.authorization === undefined) return undefined;
    const learner = await learners.fromRequest(request);
    if (!learner) return reply.code(401).send(UNAUTHENTICATED);
    found.set(request, learner);
    return undefined;
  };
  return { require: check(true), optional: check(false), learnerOf: (request) => found.get(request) };
}
