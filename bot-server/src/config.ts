import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The repository root, so that paths work whichever folder a command is started from. */
export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('localhost'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z.string().url().optional(),
  KNOWLEDGE_DIR: z.string().min(1).default(resolve(REPO_ROOT, 'knowledge')),
  MINI_APP_DIR: z.string().min(1).default(resolve(REPO_ROOT, 'mini-app/www')),
  AREAS_FILE: z.string().min(1).default(resolve(REPO_ROOT, 'bot-server/config/areas.json')),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Requests per minute per address, and per signed-in learner. An address can be a whole ward office's Wi-Fi or a
  // carrier's shared address (CGNAT), so it gets more room than one person.
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  RATE_LIMIT_USER_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  // Open WebSockets per address and in all; a socket past either limit is closed with a Vietnamese reason.
  WS_CONNECTIONS_PER_IP: z.coerce.number().int().min(1).default(100),
  WS_MAX_CONNECTIONS: z.coerce.number().int().min(1).default(10_000),
  // Origins (besides this server's own pages) whose scripts may call the API: the Zalo Mini App's web view.
  CORS_ORIGINS: z.string().default('https://h5.zdn.vn,zbrowser://h5.zdn.vn'),
  // Days a signed-in learner's (redacted) chat history is kept before it is purged.
  CHAT_HISTORY_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  RETRIEVAL_CACHE_SIZE: z.coerce.number().int().min(0).default(5000),
  NODE_ENV: z.string().default('development'),
  // Optional language model and embeddings (OpenAI-compatible endpoints). Unset: everything stays offline.
  LLM_BASE_URL: z.string().url().optional(),
  LLM_API_KEY: z.string().optional(),
  LLM_MODEL: z.string().min(1).optional(),
  LLM_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).default(8000),
  EMBEDDINGS_BASE_URL: z.string().url().optional(),
  EMBEDDINGS_API_KEY: z.string().optional(),
  EMBEDDINGS_MODEL: z.string().min(1).optional(),
  EMBEDDINGS_DIM: z.coerce.number().int().min(8).max(2000).optional(),
  EMBEDDINGS_BATCH: z.coerce.number().int().min(1).max(2048).default(64),
  // Zalo sign-in: the Mini App's id and secret (Zalo Developers console). Unset: no Zalo sign-in.
  ZALO_APP_ID: z.string().regex(/^\d{1,32}$/, 'must be the numeric app id').optional(),
  ZALO_APP_SECRET: z.string().min(8).optional(),
  ZALO_GRAPH_URL: z.string().url().default('https://graph.zalo.me'),
  // A development identity without Zalo: on by default only outside production.
  DEV_LOGIN: z.enum(['true', 'false', '1', '0']).optional(),
  SESSION_TTL_MINUTES: z.coerce.number().int().min(5).max(24 * 60).default(60),
  SIGN_IN_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  // Pushing officers' tips through the ward's Zalo Official Account. Unset: tips reach open mini apps and feeds only.
  ZALO_OA_ACCESS_TOKEN: z.string().min(1).optional(),
  ZALO_OPENAPI_URL: z.string().url().default('https://openapi.zalo.me'),
  ZALO_MINI_APP_LINK: z.string().url().optional(),
  TIP_LINK_DOMAINS: z.string().default('gov.vn,chinhphu.vn'),
  // How often the server looks for broadcasts to fan out and pushes to send; 0 = never (tests drive it themselves).
  OUTBOX_INTERVAL_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  // How often the server checks for periodic work (retention purges run once an hour); 0 = never (tests).
  JOBS_INTERVAL_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
  // Where this server is reached from outside (referral links when there is no Zalo app id).
  PUBLIC_URL: z.string().url().optional(),
});

export interface Config {
  port: number;
  host: string;
  /** Where the embedded database and its lock live (ignored for storage when databaseUrl is set). */
  dataDir: string;
  databaseUrl?: string;
  knowledgeDir: string;
  miniAppDir: string;
  /** The province and wards this deployment serves. */
  areasFile: string;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  /** Requests per minute per address and per signed-in learner. */
  rateLimitPerMinute: number;
  rateLimitUserPerMinute: number;
  wsConnectionsPerIp: number;
  wsMaxConnections: number;
  /** Origins allowed to call the API from another site (the mini app inside Zalo). */
  corsOrigins: string[];
  chatHistoryDays: number;
  /** Ranked results kept for repeated questions; 0 turns the cache off. */
  retrievalCacheSize: number;
  production: boolean;
  /** A chat model that writes warmer answers from the retrieved lessons; unset = extractive answers only. */
  llm?: { baseURL: string; apiKey: string; model: string; timeoutMs: number };
  /** Zalo sign-in (Graph API verification of Mini App access tokens); unset = no Zalo sign-in. */
  zalo?: { appId: string; appSecret: string; graphUrl: string };
  /** Whether a development identity (no Zalo) may sign in: DEV_LOGIN, else only outside production. */
  devLogin: boolean;
  /** Lifetime of our own session tokens. */
  sessionTtlMs: number;
  /** Sign-ins per minute per address. */
  signInPerMinute: number;
  /** Zalo OA message API for pushing tips; unset = live (WebSocket) and feed only. */
  zaloPush?: { baseUrl: string; accessToken: string; appLink?: string };
  /** Domains (and their subdomains) a tip may link to. */
  tipLinkDomains: string[];
  outboxIntervalMs: number;
  jobsIntervalMs: number;
  publicUrl?: string;
  /** An embedding model used beside the offline hashing space; unset = hashing only. */
  embeddings?: { baseURL: string; apiKey: string; model: string; dim: number; batchSize: number };
}

/** Reads configuration from the environment; throws one readable message listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (Boolean(e.LLM_BASE_URL) !== Boolean(e.LLM_MODEL)) problems.push('LLM_BASE_URL and LLM_MODEL: set both or neither');
  const embeddingVars = [e.EMBEDDINGS_BASE_URL, e.EMBEDDINGS_MODEL, e.EMBEDDINGS_DIM];
  if (embeddingVars.some(Boolean) && !embeddingVars.every(Boolean)) {
    problems.push('EMBEDDINGS_BASE_URL, EMBEDDINGS_MODEL and EMBEDDINGS_DIM: set all three or none');
  }
  if (Boolean(e.ZALO_APP_ID) !== Boolean(e.ZALO_APP_SECRET)) problems.push('ZALO_APP_ID and ZALO_APP_SECRET: set both or neither');
  if (problems.length > 0) throw new Error(`Invalid configuration: ${problems.join('; ')}`);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    knowledgeDir: resolve(e.KNOWLEDGE_DIR),
    miniAppDir: resolve(e.MINI_APP_DIR),
    areasFile: resolve(e.AREAS_FILE),
    logLevel: e.LOG_LEVEL,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    rateLimitUserPerMinute: e.RATE_LIMIT_USER_PER_MINUTE,
    wsConnectionsPerIp: e.WS_CONNECTIONS_PER_IP,
    wsMaxConnections: e.WS_MAX_CONNECTIONS,
    corsOrigins: e.CORS_ORIGINS.split(',').map((o) => o.trim().replace(/\/$/, '')).filter(Boolean),
    chatHistoryDays: e.CHAT_HISTORY_DAYS,
    retrievalCacheSize: e.RETRIEVAL_CACHE_SIZE,
    production: e.NODE_ENV === 'production',
    zalo: e.ZALO_APP_ID && e.ZALO_APP_SECRET ? { appId: e.ZALO_APP_ID, appSecret: e.ZALO_APP_SECRET, graphUrl: e.ZALO_GRAPH_URL } : undefined,
    devLogin: e.DEV_LOGIN === undefined ? e.NODE_ENV !== 'production' : e.DEV_LOGIN === 'true' || e.DEV_LOGIN === '1',
    sessionTtlMs: e.SESSION_TTL_MINUTES * 60_000,
    signInPerMinute: e.SIGN_IN_PER_MINUTE,
    zaloPush: e.ZALO_OA_ACCESS_TOKEN ? { baseUrl: e.ZALO_OPENAPI_URL, accessToken: e.ZALO_OA_ACCESS_TOKEN, appLink: e.ZALO_MINI_APP_LINK } : undefined,
    outboxIntervalMs: e.OUTBOX_INTERVAL_MS,
    jobsIntervalMs: e.JOBS_INTERVAL_MS,
    publicUrl: e.PUBLIC_URL?.replace(/\/$/, ''),
    tipLinkDomains: e.TIP_LINK_DOMAINS.split(',').map((d) => d.trim().toLowerCase()).filter(Boolean),
    llm: e.LLM_BASE_URL && e.LLM_MODEL ? { baseURL: e.LLM_BASE_URL, apiKey: e.LLM_API_KEY ?? '', model: e.LLM_MODEL, timeoutMs: e.LLM_TIMEOUT_MS } : undefined,
    embeddings:
      e.EMBEDDINGS_BASE_URL && e.EMBEDDINGS_MODEL && e.EMBEDDINGS_DIM
        ? {
            baseURL: e.EMBEDDINGS_BASE_URL,
            apiKey: e.EMBEDDINGS_API_KEY ?? e.LLM_API_KEY ?? '',
            model: e.EMBEDDINGS_MODEL,
            dim: e.EMBEDDINGS_DIM,
            batchSize: e.EMBEDDINGS_BATCH,
          }
        : undefined,
  };
}
