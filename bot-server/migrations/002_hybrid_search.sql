-- Trigrams so common among the key phrases that they say nothing (like stop words): recomputed after every
-- ingest that changes something, and left out of trigram matching. lesson_phrases.trigrams counts only the
-- informative ones, so a phrase's score is the share of its informative trigrams found in the question.
CREATE TABLE common_trigrams (trigram text PRIMARY KEY);

-- The hybrid search, in a PL/pgSQL function because PL/pgSQL keeps the query plan for the session:
-- planning this statement costs as much as running it on the embedded database. Same on PGlite and PostgreSQL.
--   q_fts     to_tsquery('simple', ...) over folded syllables ('' for none)
--   q_exact   to_tsquery('simple', ...) over accented syllables the citizen typed ('' for none)
--   q_trgm    folded text for trigram matching ('' for none)
--   q_vec     query vector in space q_space
--   per_source candidates taken from each source; max_rows rows returned; only_topic NULL for all topics
--   rrf_k     reciprocal rank fusion constant
CREATE OR REPLACE FUNCTION hybrid_search(
  q_fts text, q_exact text, q_trgm text, q_vec vector, per_source integer, q_space text, max_rows integer,
  only_topic text, rrf_k integer)
RETURNS TABLE ("chunkId" integer, "lessonId" text, kind text, body text,
               score float8, fts float8, exact float8, trigram float8, cosine float8)
LANGUAGE plpgsql STABLE AS $fn$
BEGIN
  RETURN QUERY
  WITH q AS (
    SELECT to_tsquery('simple', q_fts) AS fq, to_tsquery('simple', q_exact) AS eq
  ),
  fts AS (
    SELECT c.id, ts_rank(c.tsv, q.fq)::float8 AS s FROM lesson_chunks c, q
    WHERE q_fts <> '' AND c.tsv @@ q.fq AND (only_topic IS NULL OR c.topic = only_topic)
    ORDER BY s DESC LIMIT per_source
  ),
  exact AS (
    SELECT c.id, ts_rank(c.tsv_exact, q.eq)::float8 AS s FROM lesson_chunks c, q
    WHERE q_exact <> '' AND c.tsv_exact @@ q.eq AND (only_topic IS NULL OR c.topic = only_topic)
    ORDER BY s DESC LIMIT per_source
  ),
  qt AS (
    SELECT DISTINCT x.trigram FROM unnest(show_trgm(q_trgm)) AS x(trigram)
    WHERE q_trgm <> '' AND NOT EXISTS (SELECT 1 FROM common_trigrams ct WHERE ct.trigram = x.trigram)
  ),
  phrase AS (
    SELECT t.lesson_id, t.ord, count(*)::float8 AS matched
    FROM qt JOIN lesson_phrase_trigrams t ON t.trigram = qt.trigram
    GROUP BY t.lesson_id, t.ord
  ),
  trgm AS (
    SELECT c.id, max(ph.matched / greatest(p.trigrams, 1)) AS s
    FROM phrase ph
    JOIN lesson_phrases p ON p.lesson_id = ph.lesson_id AND p.ord = ph.ord
    JOIN lesson_chunks c ON c.lesson_id = ph.lesson_id AND c.kind = 'head'
    WHERE only_topic IS NULL OR c.topic = only_topic
    GROUP BY c.id ORDER BY s DESC LIMIT per_source
  ),
  vec AS (
    SELECT e.chunk_id AS id, (1 - (e.embedding <=> q_vec))::float8 AS s
    FROM chunk_embeddings e JOIN lesson_chunks c ON c.id = e.chunk_id
    WHERE e.space = q_space AND (only_topic IS NULL OR c.topic = only_topic)
    ORDER BY e.embedding <=> q_vec LIMIT per_source
  ),
  ranked AS (
    SELECT fts.id, 'fts' AS src, fts.s, row_number() OVER (ORDER BY fts.s DESC) AS r FROM fts
    UNION ALL SELECT exact.id, 'exact', exact.s, row_number() OVER (ORDER BY exact.s DESC) FROM exact
    UNION ALL SELECT trgm.id, 'trgm', trgm.s, row_number() OVER (ORDER BY trgm.s DESC) FROM trgm
    UNION ALL SELECT vec.id, 'vec', vec.s, row_number() OVER (ORDER BY vec.s DESC) FROM vec
  ),
  fused AS (
    SELECT ranked.id,
      sum(CASE ranked.src WHEN 'fts' THEN 1.0 WHEN 'exact' THEN 0.5 WHEN 'trgm' THEN 0.6 ELSE 1.0 END
          / (rrf_k + ranked.r))::float8 AS score,
      coalesce(max(ranked.s) FILTER (WHERE ranked.src = 'fts'), 0)::float8 AS fts,
      coalesce(max(ranked.s) FILTER (WHERE ranked.src = 'exact'), 0)::float8 AS exact,
      coalesce(max(ranked.s) FILTER (WHERE ranked.src = 'trgm'), 0)::float8 AS trigram,
      coalesce(max(ranked.s) FILTER (WHERE ranked.src = 'vec'), 0)::float8 AS cosine
    FROM ranked GROUP BY ranked.id
  )
  SELECT c.id, c.lesson_id, c.kind, c.body, f.score, f.fts, f.exact, f.trigram, f.cosine
  FROM fused f JOIN lesson_chunks c ON c.id = f.id
  ORDER BY f.score DESC, c.id
  LIMIT max_rows;
END
$fn$;
