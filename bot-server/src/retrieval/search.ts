import pgvector from 'pgvector';
import type { Queryable } from '../db/index.js';
import type { Embedder } from '../embedding/embedder.js';
import type { PreparedQuery } from './query.js';

export interface ChunkHit {
  chunkId: number;
  lessonId: string;
  kind: string;
  body: string;
  /** Fused reciprocal-rank score. */
  score: number;
  /** Raw evidence from each source (0 when the source did not return the chunk). */
  fts: number;
  exact: number;
  trigram: number;
  cosine: number;
}

export interface SearchOptions {
  /** The embedder whose space the chunk vectors were indexed in. */
  embedder: Embedder;
  /** Candidates taken from each source before fusion. */
  perSource?: number;
  limit?: number;
  /** Restrict to one topic (safety replies only look at safety lessons). */
  topic?: string;
}

/**
 * Reciprocal rank fusion constant. The usual 60 suits long result lists; with a few hundred chunks the first
 * ranks are what matters, so a smaller k lets them count more.
 */
export const RRF_K = 10;

/**
 * Hybrid search: one call of hybrid_search() (migrations/002_hybrid_search.sql), identical on PGlite and
 * PostgreSQL: full text over folded text, full text over accented text (only when the citizen typed
 * diacritics: an exact-accent match is a strong hint), the share of each lesson's key-phrase trigrams found in
 * the question (typos), and cosine distance over vectors of the given space, fused by weighted reciprocal rank.
 */
const HYBRID_SQL = 'SELECT * FROM hybrid_search($1, $2, $3, $4::vector, $5, $6, $7, $8, $9)';

export async function searchChunks(db: Queryable, q: PreparedQuery, opts: SearchOptions): Promise<ChunkHit[]> {
  let embedder = opts.embedder;
  let vector: number[] | undefined;
  try {
    [vector] = await embedder.embed([q.embeddingText]);
  } catch (err) {
    // A remote embedding model that is down must not stop answers: search in the fallback space instead.
    if (!embedder.fallback) throw err;
    embedder = embedder.fallback;
    [vector] = await embedder.embed([q.embeddingText]);
  }
  return db.query<ChunkHit>(HYBRID_SQL, [
    q.tsquery,
    q.exactTsquery,
    q.trigramText,
    pgvector.toSql(vector!),
    opts.perSource ?? 10,
    embedder.space,
    opts.limit ?? 20,
    opts.topic ?? null,
    RRF_K,
  ]);
}

export interface LessonHit {
  lessonId: string;
  score: number;
  chunks: ChunkHit[];
}

/** Chunks to lessons: a lesson scores its best chunk plus a share of its second, so breadth helps a little. */
export function rankLessons(hits: ChunkHit[]): LessonHit[] {
  const byLesson = new Map<string, ChunkHit[]>();
  for (const h of hits) {
    const list = byLesson.get(h.lessonId) ?? [];
    list.push(h);
    byLesson.set(h.lessonId, list);
  }
  return [...byLesson.entries()]
    .map(([lessonId, chunks]) => ({
      lessonId,
      chunks,
      score: chunks[0]!.score + 0.5 * (chunks[1]?.score ?? 0),
    }))
    .sort((a, b) => b.score - a.score || a.lessonId.localeCompare(b.lessonId));
}
