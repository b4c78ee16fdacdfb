-- Learners and what they learned. Only what personalisation needs: the Zalo id, a display name, the ward and
-- learning data. No phone number, ID number or question text. Everything hangs off learners with ON DELETE
-- CASCADE, so "Xóa dữ liệu của tôi" is one DELETE (right to erasure, Decree 13/2023/NĐ-CP).
CREATE TABLE learners (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- 'zalo:<Zalo user id>' or, in development only, 'dev:<device id>'.
  external_id text NOT NULL UNIQUE,
  display_name text NOT NULL,
  province text,
  ward text,
  -- The topic the learner said they want first, and lessons the placement check showed they need.
  goal text,
  needs text[] NOT NULL DEFAULT '{}',
  placement_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Our own short-lived sessions; only a hash of the token is kept.
CREATE TABLE learner_sessions (
  token_hash text PRIMARY KEY,
  learner_id uuid NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL
);
CREATE INDEX learner_sessions_learner ON learner_sessions (learner_id);

-- One row per learner and lesson they have touched. Lessons are not a foreign key: a lesson removed from the
-- catalogue leaves its rows, which the server ignores.
CREATE TABLE lesson_progress (
  learner_id uuid NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
  lesson_id text NOT NULL,
  steps_seen smallint NOT NULL DEFAULT 0,
  -- Probability that the learner knows the lesson (Bayesian Knowledge Tracing, see learning/mastery.ts).
  mastery real NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  best_correct smallint,
  best_total smallint,
  completed_at timestamptz,
  -- Spaced review of safety lessons: the FSRS card, and when it is due.
  review jsonb,
  review_due timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (learner_id, lesson_id)
);

-- Every quiz submission, once: the mini app retries with the same submission id after a network failure.
CREATE TABLE quiz_attempts (
  learner_id uuid NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
  submission_id text NOT NULL,
  lesson_id text NOT NULL,
  answers smallint[] NOT NULL,
  correct smallint NOT NULL,
  total smallint NOT NULL,
  is_review boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (learner_id, submission_id)
);

-- Which lesson answered a learner's recent questions (not the question itself): "asked about VietQR three
-- times" is all the recommender needs.
CREATE TABLE learner_questions (
  learner_id uuid NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
  asked_at timestamptz NOT NULL DEFAULT now(),
  lesson_id text NOT NULL
);
CREATE INDEX learner_questions_recent ON learner_questions (learner_id, asked_at DESC);
