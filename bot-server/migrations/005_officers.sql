-- Roles, the audit log, broadcasts with their per-recipient outbox, and what the dashboards count.

-- A learner's roles beyond citizen. An officer has one row per ward they serve; a team member one per ward of
-- their team; an admin one row with no ward. Granting to someone who has not signed in yet creates their learner
-- row (external id only), filled in at their first sign-in.
CREATE TABLE learner_roles (
  learner_id uuid NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('team_member', 'officer', 'admin')),
  ward text NOT NULL DEFAULT '',
  granted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (learner_id, role, ward)
);

-- Every write by an officer or an admin: who (their external id, kept even if their account is erased: the
-- record of public duties outlives it), what, when.
CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  action text NOT NULL,
  target text,
  detail jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON audit_log (at DESC);

CREATE TABLE broadcasts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  author text NOT NULL,
  title text NOT NULL,
  body text NOT NULL,
  lesson_id text,
  priority text NOT NULL CHECK (priority IN ('normal', 'scam_alert')),
  wards text[] NOT NULL,
  -- Narrowing the audience: learners interested in a topic, or who have not finished a lesson.
  topic text,
  unfinished_lesson text,
  send_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'fanning_out', 'sent', 'cancelled')),
  targeted integer,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX broadcasts_due ON broadcasts (send_at) WHERE status IN ('scheduled', 'fanning_out');
CREATE INDEX broadcasts_wards ON broadcasts USING gin (wards);
CREATE INDEX learners_ward ON learners (ward);

-- The outbox: one row per broadcast and recipient, so fan-out can resume after a crash without sending anyone
-- the same tip twice (the primary key), and each recipient's Zalo delivery is retried on its own.
CREATE TABLE broadcast_deliveries (
  broadcast_id uuid NOT NULL REFERENCES broadcasts(id) ON DELETE CASCADE,
  learner_id uuid NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
  -- pending -> sending (claimed, one push in flight) -> delivered | failed. A row found in 'sending' after a crash
  -- is not pushed again (it may have been sent): it becomes failed 'interrupted'; the tip is still in the feed.
  -- 'unreachable': no push channel (no open mini app, no Zalo id or no Zalo configured): the tip is in the feed only.
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'delivered', 'failed', 'unreachable')),
  -- How it was delivered: 'live' (an open mini app, over WebSocket) or 'zalo'.
  channel text,
  attempts smallint NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error text,
  delivered_at timestamptz,
  opened_at timestamptz,
  PRIMARY KEY (broadcast_id, learner_id)
);
CREATE INDEX broadcast_deliveries_pending ON broadcast_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX broadcast_deliveries_learner ON broadcast_deliveries (learner_id);

-- When a lesson was first mastered: the dashboards' trend of learners reaching the basic level.
ALTER TABLE lesson_progress ADD COLUMN mastered_at timestamptz;

-- What people ask, per ward and week, with personal data already redacted and no link to who asked: officers
-- see what confuses people, not who.
CREATE TABLE question_stats (
  week date NOT NULL,
  ward text NOT NULL DEFAULT '',
  -- Folded (no diacritics, lower case) so that spellings of one question count together; sample is one redacted
  -- wording as typed, for display.
  question text NOT NULL,
  sample text NOT NULL,
  asked integer NOT NULL DEFAULT 1,
  PRIMARY KEY (week, ward, question)
);
