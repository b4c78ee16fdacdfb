-- Lessons and their searchable chunks. Folding happens in SQL through vi_fold() so that generated columns and
-- indexes stay consistent with the text; the JS folding function agrees with it (tested).
CREATE EXTENSION IF NOT EXISTS vector;
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- unaccent() is only STABLE (it reads a dictionary); naming the dictionary makes this wrapper safe as IMMUTABLE.
CREATE OR REPLACE FUNCTION vi_fold(text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;

CREATE TABLE lessons (
  id           text PRIMARY KEY,
  topic        text NOT NULL,
  level        integer NOT NULL,
  title        text NOT NULL,
  content_hash text NOT NULL,
  lesson       jsonb NOT NULL,
  indexed_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE lesson_chunks (
  id        integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  lesson_id text NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
  topic     text NOT NULL,
  ord       integer NOT NULL,
  kind      text NOT NULL,
  body      text NOT NULL,
  folded    text GENERATED ALWAYS AS (vi_fold(body)) STORED,
  tsv       tsvector GENERATED ALWAYS AS (to_tsvector('simple', vi_fold(body))) STORED,
  tsv_exact tsvector GENERATED ALWAYS AS (to_tsvector('simple', lower(body))) STORED,
  UNIQUE (lesson_id, ord)
);
CREATE INDEX lesson_chunks_tsv ON lesson_chunks USING gin (tsv);
CREATE INDEX lesson_chunks_tsv_exact ON lesson_chunks USING gin (tsv_exact);

-- Short phrases people use for a lesson (its title and keywords, which include spoken forms and misspellings),
-- with their pg_trgm trigrams precomputed. Trigram matching asks "how much of this phrase is in the question,
-- typos allowed": the share of a phrase's trigrams found among the question's (as word_similarity does), but as
-- an indexed join, because calling word_similarity() on every phrase costs milliseconds per question.
CREATE TABLE lesson_phrases (
  lesson_id text NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
  ord       integer NOT NULL,
  phrase    text NOT NULL,
  folded    text GENERATED ALWAYS AS (vi_fold(phrase)) STORED,
  trigrams  integer NOT NULL DEFAULT 0,
  PRIMARY KEY (lesson_id, ord)
);
CREATE TABLE lesson_phrase_trigrams (
  trigram   text NOT NULL,
  lesson_id text NOT NULL,
  ord       integer NOT NULL,
  PRIMARY KEY (trigram, lesson_id, ord),
  FOREIGN KEY (lesson_id, ord) REFERENCES lesson_phrases (lesson_id, ord) ON DELETE CASCADE
);

-- One row per chunk and embedding space ("provider:model:dim"), so a new space can be filled while the old
-- one keeps answering, and vectors of different spaces are never compared.
CREATE TABLE chunk_embeddings (
  chunk_id  integer NOT NULL REFERENCES lesson_chunks (id) ON DELETE CASCADE,
  space     text NOT NULL,
  embedding vector NOT NULL,
  PRIMARY KEY (space, chunk_id)
);
-- A 512-dimension vector is 2,052 bytes, just over the 2 kB TOAST threshold: by default every vector would be
-- stored out of line and fetched from the TOAST table on each search (measured: 21% of a search on PGlite);
-- compressed storage (MAIN) was slower still. PLAIN keeps vectors in the row, uncompressed: up to about
-- 2,000 dimensions fit a page, which is also pgvector's limit for an index.
ALTER TABLE chunk_embeddings ALTER COLUMN embedding SET STORAGE PLAIN;
