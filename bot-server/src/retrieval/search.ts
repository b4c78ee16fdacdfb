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
 * trigram word similarity of each lesson's key phrases within the question (typos), and cosine distance over vectors of the given space, fused by weighted
 * reciprocal rank.
 */
const HYBRID_SQL = `
WITH q AS (
  SELECT to_tsquery('simple', $1) AS fq, to_tsquery('simple', $2) AS eq, $3::text AS tq, $4::vector AS v
),
candidates AS (
  SELECT c.id, c.lesson_id, c.kind, c.body, c.tsv, c.tsv_exact
  FROM lesson_chunks c JOIN lessons l ON l.id = c.lesson_id
  WHERE $8::text IS NULL OR l.topic = $8
),
fts AS (
  SELECT c.id, ts_rank(c.tsv, q.fq)::float8 AS s FROM candidates c, q
  WHERE $1 <> '' AND c.tsv @@ q.fq ORDER BY s DESC LIMIT $5
),
exact AS (
  SELECT c.id, ts_rank(c.tsv_exact, q.eq)::float8 AS s FROM candidates c, q
  WHERE $2 <> '' AND c.tsv_exact @@ q.eq ORDER BY s DESC LIMIT $5
),
phrase AS (
  SELECT DISTINCT ON (p.lesson_id) p.lesson_id, word_similarity(p.folded, q.tq)::float8 AS s
  FROM lesson_phrases p, q
  WHERE $3 <> '' ORDER BY p.lesson_id, s DESC
),
trgm AS (
  SELECT c.id, p.s FROM phrase p JOIN candidates c ON c.lesson_id = p.lesson_id AND c.kind = 'head'
  ORDER BY p.s DESC LIMIT $5
),
vec AS (
  SELECT e.chunk_id AS id, (1 - (e.embedding <=> q.v))::float8 AS s
  FROM chunk_embeddings e JOIN candidates c ON c.id = e.chunk_id, q
  WHERE e.space = $6 ORDER BY e.embedding <=> q.v LIMIT $5
),
ranked AS (
  SELECT id, 'fts' AS src, s, row_number() OVER (ORDER BY s DESC) AS r FROM fts
  UNION ALL SELECT id, 'exact', s, row_number() OVER (ORDER BY s DESC) FROM exact
  UNION ALL SELECT id, 'trgm', s, row_number() OVER (ORDER BY s DESC) FROM trgm WHERE s > 0
  UNION ALL SELECT id, 'vec', s, row_number() OVER (ORDER BY s DESC) FROM vec
)
SELECT c.id AS "chunkId", c.lesson_id AS "lessonId", c.kind, c.body,
  sum(CASE r.src WHEN 'fts' THEN 1.0 WHEN 'exact' THEN 0.5 WHEN 'trgm' THEN 0.6 ELSE 1.0 END / ($9 + r.r))::float8 AS score,
  coalesce(max(r.s) FILTER (WHERE r.src = 'fts'), 0)::float8 AS fts,
  coalesce(max(r.s) FILTER (WHERE r.src = 'exact'), 0)::float8 AS exact,
  coalesce(max(r.s) FILTER (WHERE r.src = 'trgm'), 0)::float8 AS trigram,
  coalesce(max(r.s) FILTER (WHERE r.src = 'vec'), 0)::float8 AS cosine
FROM ranked r JOIN candidates c ON c.id = r.id
GROUP BY c.id, c.lesson_id, c.kind, c.body
ORDER BY score DESC, c.id
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
