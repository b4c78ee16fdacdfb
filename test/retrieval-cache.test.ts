import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Assistant } from '../bot-server/src/answering/assistant.js';
import { hashEmbedder } from '../bot-server/src/embedding/embedder.js';
import { LruCache } from '../bot-server/src/retrieval/cache.js';
import { openTestContext } from './helpers.js';

describe('LruCache', () => {
  it('evicts the least recently used entry and counts hits and misses', () => {
    const c = new LruCache<number>(2);
    c.set('a', 1);
    c.set('b', 2);
    expect(c.get('a')).toBe(1); // a is now the most recent
    c.set('c', 3); // evicts b
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toBe(1);
    expect(c.get('c')).toBe(3);
    expect(c.size).toBe(2);
    expect({ hits: c.hits, misses: c.misses }).toEqual({ hits: 3, misses: 1 });
  });

  it('stores nothing with capacity 0', () => {
    const c = new LruCache<number>(0);
    c.set('a', 1);
    expect(c.get('a')).toBeUndefined();
    expect(c.size).toBe(0);
  });
});

describe('retrieval cache in the assistant', () => {
  let ctx: Awaited<ReturnType<typeof openTestContext>>;
  beforeAll(async () => {
    ctx = await openTestContext();
  });
  afterAll(async () => ctx?.close());

  const QUESTIONS = [
    'cach kich hoat vneid',
    'chuyển khoản nhầm số tài khoản thì làm sao',
    'nó gọi bảo đọc mã otp để hoàn tiền',
    'bán hàng trên zalo',
    'hôm nay trời có mưa không',
  ];

  it('gives the same replies with and without the cache', async () => {
    const uncached = new Assistant(ctx.db, ctx.catalog, hashEmbedder, { cacheSize: 0 });
    const cached = new Assistant(ctx.db, ctx.catalog, hashEmbedder, { cacheSize: 100 });
    for (const q of QUESTIONS) {
      const expected = await uncached.reply(q);
      expect(await cached.reply(q), q).toEqual(expected);
      expect(await cached.reply(q), `${q} (from cache)`).toEqual(expected);
    }
    expect(cached.cacheStats().hits).toBeGreaterThan(0);
    expect(uncached.cacheStats().size).toBe(0);
  });

  it('runs one search for identical questions that arrive together', async () => {
    const assistant = new Assistant(ctx.db, ctx.catalog, hashEmbedder, { cacheSize: 100 });
    const replies = await Promise.all(Array.from({ length: 20 }, () => assistant.reply('đặt lịch khám bệnh qua điện thoại')));
    expect(new Set(replies.map((r) => JSON.stringify(r))).size).toBe(1);
    expect(assistant.cacheStats()).toMatchObject({ size: 1, misses: 1, hits: 19 });
  });
});
