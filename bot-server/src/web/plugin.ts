import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** The minimal chat page, used until the mini app has been built into MINI_APP_DIR. */
export const FALLBACK_PAGE_DIR = fileURLToPath(new URL('../../public/', import.meta.url));

/** Serves the built mini app at / when it exists, otherwise the minimal chat page. */
export async function webPlugin(app: FastifyInstance, opts: { miniAppDir: string }): Promise<void> {
  const root = existsSync(`${opts.miniAppDir}/index.html`) ? opts.miniAppDir : FALLBACK_PAGE_DIR;
  await app.register(fastifyStatic, { root, prefix: '/', index: ['index.html'], maxAge: 0 });
}
