import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Learner, Learners, Role } from './learners.js';

export const UNAUTHENTICATED = {
  error: 'Phiên đăng nhập đã hết hạn hoặc không hợp lệ. Bác mở lại ứng dụng nhé.',
  code: 'UNAUTHENTICATED',
} as const;

export const FORBIDDEN = { error: 'Tài khoản của bác không có quyền làm việc này.', code: 'FORBIDDEN' } as const;

export interface LearnerAuth {
  /** Request hook (onRequest, before the body is even read): 401 without a session, 403 unless the learner holds the role (in some ward) or is an admin. */
  requireRole: (role: Role) => (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>;
  /** Request hook (onRequest, before the body is even read): 401 without a valid session; nothing after it runs, so nothing is written. */
  require: (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>;
  /** Request hook (onRequest, before the body is even read): a valid session is used, no Authorization header is anonymous, an invalid one is 401. */
  optional: (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>;
  /** The learner a hook above found for this request. */
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
  const requireRole = (role: Role) => async (request: FastifyRequest, reply: FastifyReply) => {
    const learner = await learners.fromRequest(request);
    if (!learner) return reply.code(401).send(UNAUTHENTICATED);
    if (!learner.roles.some((r) => r.role === role || r.role === 'admin')) {
      request.log.warn({ role, learner: learner.id }, 'forbidden');
      return reply.code(403).send(FORBIDDEN);
    }
    found.set(request, learner);
    return undefined;
  };
  return { require: check(true), optional: check(false), requireRole, learnerOf: (request) => found.get(request) };
}
