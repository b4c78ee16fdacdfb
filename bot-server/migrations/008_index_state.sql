-- Whether the trigram statistics (common_trigrams, lesson_phrases.trigrams) lag behind the indexed lessons. Set in
-- the same transaction as every lesson write or removal, cleared in the one that recomputes them: a process killed
-- between the two leaves it set, and the next start recomputes even though every lesson is unchanged.
CREATE TABLE index_state (
  id integer PRIMARY KEY CHECK (id = 1),
  statistics_stale boolean NOT NULL
);
INSERT INTO index_state (id, statistics_stale) VALUES (1, true);
