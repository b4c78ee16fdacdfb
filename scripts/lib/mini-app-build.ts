import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import { REPO_ROOT } from '../../bot-server/src/config.js';

export const MINI_APP_ROOT = join(REPO_ROOT, 'mini-app');
export const MINI_APP_OUT = join(MINI_APP_ROOT, 'www');
const STAMP = join(MINI_APP_OUT, '.source-hash');
const INPUTS = ['src', 'public', 'index.html', 'app-config.json', 'vite.config.mts', 'package.json'];

function listFiles(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((name) => listFiles(join(path, name)));
}

/** A hash of everything the build reads (and of the build-time VITE_ settings), so a stale www/ is rebuilt. */
export function miniAppSourceHash(): string {
  const h = createHash('sha256');
  for (const file of INPUTS.flatMap((p) => listFiles(join(MINI_APP_ROOT, p))).sort()) {
    h.update(relative(MINI_APP_ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  for (const [k, v] of Object.entries(process.env).filter(([k]) => k.startsWith('VITE_')).sort()) h.update(`${k}=${v}\0`);
  return h.digest('hex');
}

export function isMiniAppBuildFresh(): boolean {
  return existsSync(join(MINI_APP_OUT, 'index.html')) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === miniAppSourceHash();
}

/**
 * Writes .br and .gz beside every text asset: the server sends them as they are (@fastify/static preCompressed),
 * so a phone on a slow connection downloads about a third of the bytes and the server never compresses per request.
 */
export function precompress(dir: string): void {
  for (const file of listFiles(dir).filter((f) => /\.(js|css|html|svg|json)$/.test(f))) {
    const raw = readFileSync(file);
    writeFileSync(`${file}.br`, brotliCompressSync(raw, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } }));
    writeFileSync(`${file}.gz`, gzipSync(raw, { level: 9 }));
  }
}

/** Builds the mini app into mini-app/www unless the last build came from the same sources. */
export function ensureMiniAppBuilt(opts: { force?: boolean; quiet?: boolean } = {}): 'fresh' | 'built' {
  if (!opts.force && isMiniAppBuildFresh()) return 'fresh';
  const hash = miniAppSourceHash();
  // zmp-vite-plugin reads ./app-config.json from the working directory, so vite runs inside mini-app/.
  const viteBin = join(createRequire(join(MINI_APP_ROOT, 'package.json')).resolve('vite/package.json'), '..', 'bin', 'vite.js');
  const r = spawnSync(process.execPath, [viteBin, 'build', '--logLevel', opts.quiet ? 'warn' : 'info'], {
    cwd: MINI_APP_ROOT,
    // Always a production build: vitest sets NODE_ENV=test, which would otherwise give React's development build.
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: opts.quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit',
  });
  if (r.status !== 0) throw new Error(`building the mini app failed (vite exit ${r.status ?? r.signal})`);
  precompress(MINI_APP_OUT);
  writeFileSync(STAMP, hash);
  return 'built';
}
