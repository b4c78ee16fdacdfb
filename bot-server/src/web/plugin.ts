import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** The minimal chat page, used until the mini app has been built into MINI_APP_DIR. */
export const FALLBACK_PAGE_DIR = fileURLToPath(new URL('../../public/', import.meta.url));

const ONE_YEAR_S = 365 * 24 * 3600;

/**
 * Serves the built mini app at / when it exists (otherwise the minimal chat page), and lesson illustrations at
 * /media/NAME.svg. Vite names built assets by content hash, so they are cached for a year; index.html never is.
 */
export async function webPlugin(app: FastifyInstance, opts: { miniAppDir: string; mediaDir: string }): Promise<void> {
  const root = existsSync(`${opts.miniAppDir}/index.html`) ? opts.miniAppDir : FALLBACK_PAGE_DIR;
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    index: ['index.html'],
    preCompressed: true,
    cacheControl: false,
    setHeaders(res, path) {
      res.setHeader('cache-control', /\/assets\/[^/]+\.[A-Za-z0-9_-]{8}\./.test(path) ? `public, max-age=${ONE_YEAR_S}, immutable` : 'no-cache');
    },
  });
  await app.register(fastifyStatic, {
    root: opts.mediaDir,
    prefix: '/media/',
    decorateReply: false,
    index: false,
    allowedPath: (pathName) => /^\/[a-z0-9-]+\.svg$/.test(pathName),
    cacheControl: false,
    setHeaders(res) {
      res.setHeader('cache-control', 'public, max-age=86400');
      // An SVG opened on its own must not run anything.
      res.setHeader('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
    },
  });
}
