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

-- Short phrases people use for a lesson (its title and keywords, which include spoken forms and misspellings).
-- Trigram similarity runs over these rather than whole chunks: "is this phrase in the question, typos allowed"
-- is the question trigrams answer well, and short strings keep it cheap.
CREATE TABLE lesson_phrases (
  lesson_id text NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
  phrase    text NOT NULL,
  folded    text GENERATED ALWAYS AS (vi_fold(phrase)) STORED,
  PRIMARY KEY (lesson_id, phrase)
);

-- One row per chunk and embedding space ("provider:model:dim"), so a new space can be filled while the old
-- one keeps answering, and vectors of different spaces are never compared.
CREATE TABLE chunk_embeddings (
  chunk_id  integer NOT NULL REFERENCES lesson_chunks (id) ON DELETE CASCADE,
  space     text NOT NULL,
  embedding vector NOT NULL,
  PRIMARY KEY (space, chunk_id)
);
