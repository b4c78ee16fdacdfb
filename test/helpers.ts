import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type Config, loadConfig } from '../bot-server/src/config.js';
import { type AppContext, openContext } from '../bot-server/src/context.js';

export function makeTempDir(prefix = 'bhvs-test-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A configuration for tests: embedded database in a fresh folder, quiet logs, no rate limit surprises. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({ LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '10000', RATE_LIMIT_USER_PER_MINUTE: '10000', WS_CONNECTIONS_PER_IP: '10000', JOBS_INTERVAL_MS: '0' }),
    ...overrides,
  };
}

/** A full context (database migrated, lessons indexed) on a fresh embedded database. */
export async function openTestContext(overrides: Partial<Config> = {}): Promise<AppContext & { dataDir: string }> {
  const dir = makeTempDir();
  const ctx = await openContext(testConfig({ dataDir: dir.path, ...overrides }));
  return {
    ...ctx,
    dataDir: dir.path,
    close: async () => {
      await ctx.close();
      dir.remove();
    },
  };
}

/**
 * The PostgreSQL server for the storage suite: TEST_DATABASE_URL, else DATABASE_URL. CI starts one with
 * scripts/setup-postgres.sh. Returns the reason when it cannot be reached, so the suite can say why it skips.
 */
export async function findPostgres(): Promise<{ url?: string; reason?: string }> {
  const url = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (!url) return { reason: 'no TEST_DATABASE_URL or DATABASE_URL set' };
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { url };
  } catch (err) {
    return { reason: `PostgreSQL at ${url.replace(/:[^:@/]*@/, ':***@')} unreachable: ${(err as Error).message}` };
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * A fresh database on the test server, dropped by the returned cleanup. Each suite gets its own, so suites
 * can run in parallel and leave nothing behind.
 */
export async function createScratchDatabase(serverUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `bhvs_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * Child processes a suite started (each in its own process group). Killing them is only for a test that
 * failed half-way and left one running.
 */
export function trackChildren<C extends { pid?: number }>(): { running: Set<C>; killAll: () => void } {
  const running = new Set<C>();
  return {
    running,
    killAll() {
      for (const child of running) {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
      running.clear();
    },
  };
}

/** Polls `probe` until it returns a value; the deadline only stops a hung test, it asserts nothing about speed. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, deadlineMs = 90_000): Promise<T> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
