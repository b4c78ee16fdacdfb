-- A signed-in learner's conversation, so it follows them to a new phone. The question is stored only after
-- redaction (ID, phone, OTP, card and account numbers, addresses replaced by placeholders); the answer is built
-- from lessons and the redacted question only. Purged after CHAT_HISTORY_DAYS, and with the learner.
CREATE TABLE chat_messages (
  id bigserial PRIMARY KEY,
  learner_id uuid NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
  asked text NOT NULL,
  answer text NOT NULL,
  kind text NOT NULL,
  lesson_id text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chat_messages_learner ON chat_messages (learner_id, created_at DESC);
CREATE INDEX chat_messages_created ON chat_messages (created_at);

-- Periodic work (retention purges) done once per period across every server process on one database: the row
-- is inserted in the same transaction as the work, so a second process waits for it and then skips.
CREATE TABLE scheduled_runs (
  job text NOT NULL,
  period text NOT NULL,
  ran_at timestamptz NOT NULL DEFAULT now(),
  detail jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (job, period)
);
