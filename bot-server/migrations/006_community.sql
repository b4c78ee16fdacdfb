-- Community teams (Tổ công nghệ số cộng đồng), mentors and the neighbours they bring (Đại sứ số, 1:5), help
-- sessions, and households (Gia đình số). Everything about a person hangs off learners with ON DELETE CASCADE.

CREATE TABLE teams (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  ward text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (ward, name)
);

-- A member belongs to one team and has one referral code: random, unguessable (60 bits), replaceable.
CREATE TABLE team_members (
  team_id uuid NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  learner_id uuid NOT NULL UNIQUE REFERENCES learners(id) ON DELETE CASCADE,
  referral_code text NOT NULL UNIQUE,
  joined_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (team_id, learner_id)
);

-- A neighbour who started through a member's link and agreed, in plain words, to be linked to them; whether the
-- member may see their progress is a separate choice.
CREATE TABLE referrals (
  learner_id uuid PRIMARY KEY REFERENCES learners(id) ON DELETE CASCADE,
  mentor_id uuid NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
  team_id uuid REFERENCES teams(id) ON DELETE SET NULL,
  share_progress boolean NOT NULL,
  consented_at timestamptz NOT NULL DEFAULT now(),
  CHECK (learner_id <> mentor_id)
);
CREATE INDEX referrals_mentor ON referrals (mentor_id);

CREATE TABLE help_sessions (
  id bigserial PRIMARY KEY,
  mentor_id uuid NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
  learner_id uuid NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
  team_id uuid REFERENCES teams(id) ON DELETE SET NULL,
  at timestamptz NOT NULL DEFAULT now(),
  activities text[] NOT NULL,
  note text
);
CREATE INDEX help_sessions_mentor ON help_sessions (mentor_id, at DESC);
CREATE INDEX help_sessions_team ON help_sessions (team_id, at);

CREATE TABLE households (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  invite_code text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE household_members (
  household_id uuid NOT NULL REFERENCES households(id) ON DELETE CASCADE,
  learner_id uuid PRIMARY KEY REFERENCES learners(id) ON DELETE CASCADE,
  joined_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX household_members_household ON household_members (household_id);
