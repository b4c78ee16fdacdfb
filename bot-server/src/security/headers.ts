import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface SecurityOptions {
  /** Origins (scheme://host[:port]) besides this server's own that may call the API: the mini app inside Zalo. */
  corsOrigins: string[];
  /** This server as seen from outside (its pages are same-origin, whatever Host header a proxy passes). */
  publicUrl?: string;
  /** Behind HTTPS in production: browsers are told to keep using it. */
  production: boolean;
}

export const ORIGIN_NOT_ALLOWED = { error: 'Trang này không được phép dùng máy chủ của trợ lý.', code: 'ORIGIN_NOT_ALLOWED' } as const;

/**
 * The mini app's own pages: scripts and styles only from this server (no inline script, no eval), pictures also as
 * data:/blob: (the member card and QR are drawn on a canvas), WebSocket and fetch back to this server only.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const HTML_SENSITIVE = /[<>&\u2028\u2029]/g;

/** JSON text with <, >, & and the JS line separators as \\u escapes: the same value, never markup. */
export function htmlSafeJson(json: string): string {
  return json.replace(HTML_SENSITIVE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const ALLOWED_METHODS = 'GET, POST, PATCH, DELETE';
const ALLOWED_HEADERS = 'authorization, content-type';
const PREFLIGHT_MAX_AGE_S = 600;

/** Whether a request's Origin header is this server itself or one of the allowed origins. */
function isAllowedOrigin(origin: string, request: FastifyRequest, allowed: ReadonlySet<string>): boolean {
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  return parsed.host === request.host || allowed.has(parsed.origin) || allowed.has(origin.replace(/\/$/, ''));
}

/**
 * Security headers on every response, and the Origin rule on every request: a browser page from any other site
 * gets 403 (and no CORS headers), so another site's script can neither read nor write a citizen's data, nor open
 * our WebSocket with their session. Requests without an Origin (the mini app's own GETs, curl, Zalo's servers)
 * are unaffected: they carry no ambient credentials, since sessions travel in the Authorization header only.
 * Hooks are added to the root instance (not a plugin) so that they cover every route.
 */
export function applySecurity(app: FastifyInstance, opts: SecurityOptions): void {
  const allowed = new Set([...opts.corsOrigins, ...(opts.publicUrl ? [new URL(opts.publicUrl).origin] : [])]);
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const origin = request.headers.origin;
    if (origin === undefined) return;
    if (!isAllowedOrigin(origin, request, allowed)) {
      request.log.warn({ origin }, 'origin not allowed');
      // A refused WebSocket upgrade is answered on the raw socket, which nothing else would close (it would also
      // hold up shutdown): close it once the answer is out.
      if (request.headers.upgrade) reply.raw.once('finish', () => request.raw.socket?.destroy());
      return reply.code(403).send(ORIGIN_NOT_ALLOWED);
    }
    reply.header('access-control-allow-origin', origin);
    reply.header('vary', 'Origin');
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method']) {
      return reply
        .code(204)
        .header('access-control-allow-methods', ALLOWED_METHODS)
        .header('access-control-allow-headers', ALLOWED_HEADERS)
        .header('access-control-max-age', String(PREFLIGHT_MAX_AGE_S))
        .send();
    }
  });

  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()');
    if (opts.production) reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    // Media files set their own stricter policy (a sandboxed SVG); everything else gets the app's.
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    // API answers are personal: never kept by a shared cache or a proxy.
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    // HTML-safe JSON: a citizen's "<script>" travels as \u003cscript\u003e, the same string to JSON.parse but
    // inert if any client, proxy or log viewer ever treats the body as HTML.
    if (typeof payload === 'string' && String(reply.getHeader('content-type') ?? '').startsWith('application/json')) {
      return htmlSafeJson(payload);
    }
    return payload;
  });
}
