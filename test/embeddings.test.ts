/**
 * An OpenAI-compatible embedding model beside the offline hashing space, against a local server speaking the
 * OpenAI embeddings format (test/fake-openai.ts) through the real `openai` client: the space is filled in the
 * background in batches while the hashing space answers, rate limits are retried, a failing model at query time
 * falls back, and `npm run reembed` fills a space from the command line.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../bot-server/src/config.js';
import { hashEmbedder } from '../bot-server/src/embedding/embedder.js';
import { countMissing } from '../bot-server/src/embedding/spaces.js';
import { type FakeOpenAI, startFakeOpenAI } from './fake-openai.js';
import { makeTempDir, openTestContext } from './helpers.js';

const DIM = 64;
let fake: FakeOpenAI;

beforeAll(async () => {
  fake = await startFakeOpenAI();
});

afterAll(async () => {
  await fake?.close();
});

const embeddings = (batchSize = 16) => ({ baseURL: fake.baseURL, apiKey: 'k', model: 'fake-embed', dim: DIM, batchSize });

describe('an OpenAI-compatible embedding space', () => {
  it('is filled in batches in the background while the hashing space answers, then searched', async () => {
    fake.embeddingRequests.length = 0;
    // Slow enough that questions are answered while the space is still being filled.
    fake.embeddings = () => ({ delayMs: 150 });
    const ctx = await openTestContext({ embeddings: embeddings(16) });
    try {
      const space = `openai:fake-embed:${DIM}`;
      expect(ctx.assistant.space).toBe(hashEmbedder.space);
      const during = await ctx.assistant.reply('cach kich hoat vneid');
      expect(during.kind).toBe('answer');
      expect(await ctx.vectorSpaceReady).toBe(space);
      expect(ctx.assistant.space).toBe(space);
      expect(await countMissing(ctx.db, space)).toBe(0);
      const [chunks] = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM lesson_chunks');
      const batches = fake.embeddingRequests.filter((r) => Array.isArray(r.input) && r.input.length > 1);
      expect(batches.length).toBe(Math.ceil(chunks!.n / 16));
      expect(Math.max(...batches.map((b) => (b.input as string[]).length))).toBe(16);
      expect(batches.every((b) => b.dimensions === DIM && b.model === 'fake-embed')).toBe(true);

      // Searching in the new space: every question embeds its text with the model.
      fake.embeddings = () => undefined;
      const before = fake.embeddingRequests.length;
      const after = await ctx.assistant.reply('cach kich hoat vneid');
      expect(after.lessons.map((l) => l.id)).toContain('vneid-kich-hoat');
      expect(fake.embeddingRequests.length).toBe(before + 1);

      // The model goes down: questions are still answered, searching the hashing space for them.
      fake.embeddings = () => ({ status: 500 });
      const down = await ctx.assistant.reply('cach chuyen khoan bang dien thoai');
      expect(down.kind).toBe('answer');
      expect(down.lessons[0]!.topic).toBe('thanh-toan');
    } finally {
      fake.embeddings = () => undefined;
      await ctx.close();
    }
  });

  it('retries a rate-limited request (429) and completes the space', async () => {
    fake.embeddingRequests.length = 0;
    fake.embeddings = (_body, n) => (n === 1 ? { status: 429, retryAfter: '0' } : undefined);
    const ctx = await openTestContext({ embeddings: embeddings(64) });
    try {
      expect(await ctx.vectorSpaceReady).toBe(`openai:fake-embed:${DIM}`);
      expect(fake.embeddingRequests.length).toBeGreaterThan(1);
    } finally {
      fake.embeddings = () => undefined;
      await ctx.close();
    }
  });

  it('a model that keeps failing leaves the hashing space answering, and the failure is reported', async () => {
    fake.embeddings = () => ({ status: 500 });
    const ctx = await openTestContext({ embeddings: { ...embeddings(64), dim: DIM } });
    try {
      await expect(ctx.vectorSpaceReady).rejects.toThrow();
      expect(ctx.assistant.space).toBe(hashEmbedder.space);
      expect((await ctx.assistant.reply('cach kich hoat vneid')).kind).toBe('answer');
    } finally {
      fake.embeddings = () => undefined;
      await ctx.close();
    }
  });

  it('a model returning vectors of another size than configured is refused rather than stored', async () => {
    // A model that ignores `dimensions` (many self-hosted ones do).
    fake.embeddings = () => ({ dim: 48 });
    const ctx = await openTestContext({ embeddings: embeddings(64) });
    try {
      await expect(ctx.vectorSpaceReady).rejects.toThrow(/expected 64 dimensions, got 48/);
      const [row] = await ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM chunk_embeddings WHERE space LIKE 'openai:%'");
      expect(row!.n).toBe(0);
    } finally {
      fake.embeddings = () => undefined;
      await ctx.close();
    }
  });
});

describe('npm run reembed', () => {
  it('fills the configured space from the command line, with progress, and a second run finds nothing to do', async () => {
    const dir = makeTempDir('bhvs-reembed-');
    const env = {
      ...process.env,
      DATA_DIR: dir.path,
      LOG_LEVEL: 'silent',
      EMBEDDINGS_BASE_URL: fake.baseURL,
      EMBEDDINGS_MODEL: 'fake-embed',
      EMBEDDINGS_DIM: String(DIM),
      EMBEDDINGS_BATCH: '50',
    };
    const run = () => promisify(execFile)(join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), [join(REPO_ROOT, 'scripts', 'reembed.ts')], { cwd: REPO_ROOT, env });
    try {
      const first = await run();
      expect(first.stdout).toMatch(new RegExp(`openai:fake-embed:${DIM}: \\d+ chunk\\(s\\) embedded, complete`));
      expect(first.stderr).toMatch(/\d+\/\d+/);
      const second = await run();
      expect(second.stdout).toMatch(/0 chunk\(s\) embedded, complete/);
    } finally {
      dir.remove();
    }
  });
});
