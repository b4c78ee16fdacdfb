import pgvector from 'pgvector';
import type { Queryable } from '../db/index.js';
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
  space: string;
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
 * Hybrid search in one SQL statement, identical on PGlite and PostgreSQL: full text over folded text, full
 * text over accented text (only when the citizen typed diacritics: an exact-accent match is a strong hint),
 * the share of each lesson's key-phrase trigrams found in the question (typos), and cosine distance over vectors of the given space, fused by weighted
 * reciprocal rank.
 */
export const HYBRID_SQL = `
WITH q AS (
  SELECT to_tsquery('simple', $1) AS fq, to_tsquery('simple', $2) AS eq, $4::vector AS v
),
fts AS (
  SELECT c.id, ts_rank(c.tsv, q.fq)::float8 AS s FROM lesson_chunks c, q
  WHERE $1 <> '' AND c.tsv @@ q.fq AND ($8::text IS NULL OR c.topic = $8) ORDER BY s DESC LIMIT $5
),
exact AS (
  SELECT c.id, ts_rank(c.tsv_exact, q.eq)::float8 AS s FROM lesson_chunks c, q
  WHERE $2 <> '' AND c.tsv_exact @@ q.eq AND ($8::text IS NULL OR c.topic = $8) ORDER BY s DESC LIMIT $5
),
phrase AS (
  SELECT t.lesson_id, t.ord, count(*)::float8 AS matched
  FROM (SELECT DISTINCT unnest(show_trgm($3)) AS trigram WHERE $3 <> '') qt
  JOIN lesson_phrase_trigrams t ON t.trigram = qt.trigram
  GROUP BY t.lesson_id, t.ord
),
trgm AS (
  SELECT c.id, max(ph.matched / p.trigrams) AS s
  FROM phrase ph
  JOIN lesson_phrases p ON p.lesson_id = ph.lesson_id AND p.ord = ph.ord
  JOIN lesson_chunks c ON c.lesson_id = ph.lesson_id AND c.kind = 'head' AND ($8::text IS NULL OR c.topic = $8)
  GROUP BY c.id ORDER BY s DESC LIMIT $5
),
vec AS (
  SELECT e.chunk_id AS id, (1 - (e.embedding <=> q.v))::float8 AS s
  FROM chunk_embeddings e JOIN lesson_chunks c ON c.id = e.chunk_id, q
  WHERE e.space = $6 AND ($8::text IS NULL OR c.topic = $8) ORDER BY e.embedding <=> q.v LIMIT $5
),
ranked AS (
  SELECT id, 'fts' AS src, s, row_number() OVER (ORDER BY s DESC) AS r FROM fts
  UNION ALL SELECT id, 'exact', s, row_number() OVER (ORDER BY s DESC) FROM exact
  UNION ALL SELECT id, 'trgm', s, row_number() OVER (ORDER BY s DESC) FROM trgm
  UNION ALL SELECT id, 'vec', s, row_number() OVER (ORDER BY s DESC) FROM vec
),
fused AS (
  SELECT id,
    sum(CASE src WHEN 'fts' THEN 1.0 WHEN 'exact' THEN 0.5 WHEN 'trgm' THEN 0.6 ELSE 1.0 END / ($9 + r))::float8 AS score,
    coalesce(max(s) FILTER (WHERE src = 'fts'), 0)::float8 AS fts,
    coalesce(max(s) FILTER (WHERE src = 'exact'), 0)::float8 AS exact,
    coalesce(max(s) FILTER (WHERE src = 'trgm'), 0)::float8 AS trigram,
    coalesce(max(s) FILTER (WHERE src = 'vec'), 0)::float8 AS cosine
  FROM ranked GROUP BY id
)
SELECT c.id AS "chunkId", c.lesson_id AS "lessonId", c.kind, c.body, f.score, f.fts, f.exact, f.trigram, f.cosine
FROM fused f JOIN lesson_chunks c ON c.id = f.id
ORDER BY f.score DESC, c.id
LIMIT $7`;

export async function searchChunks(db: Queryable, q: PreparedQuery, opts: SearchOptions): Promise<ChunkHit[]> {
  return db.query<ChunkHit>(HYBRID_SQL, [
    q.tsquery,
    q.exactTsquery,
    q.trigramText,
    pgvector.toSql(q.vector),
    opts.perSource ?? 20,
    opts.space,
    opts.limit ?? 20,
    opts.topic ?? null,
    RRF_K,
  ]);
}

export interface LessonHit {
  lessonId: string;
  score: number;
  /** The lesson's best chunk: the one an answer should quote first. */
  best: ChunkHit;
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
      best: chunks[0]!,
      score: chunks[0]!.score + 0.5 * (chunks[1]?.score ?? 0),
    }))
    .sort((a, b) => b.score - a.score || a.lessonId.localeCompare(b.lessonId));
}
