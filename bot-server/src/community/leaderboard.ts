import type { Db } from '../db/index.js';
import { basicCte, basicParams } from '../dashboard/basic-level.js';
import type { LessonCatalog } from '../lessons/catalog.js';
import { MENTEE_TARGET } from './referrals.js';

export interface TeamRank {
  teamId: string;
  team: string;
  ward: string;
  members: number;
  /** Members guiding at least five neighbours (Đại sứ số 1:5). */
  mentorsAtTarget: number;
  mentees: number;
  menteesBasic: number;
  helpSessions: number;
  score: number;
}

export interface HouseholdRank {
  household: string;
  ward: string;
  members: number;
  membersBasic: number;
}

export interface WardHouseholds {
  ward: string;
  households: number;
  covered: number;
}

/**
 * The annual recognition ("Tổ công nghệ số tiêu biểu", "Gia đình số tiêu biểu"), computed from real progress.
 * A team's score for a year: 3 per neighbour it brought who had reached the basic level by the year's end, 1 per
 * neighbour brought by then, 1 per help session in the year: results count most, effort counts too.
 */
export class Leaderboard {
  constructor(
    private readonly db: Db,
    private readonly catalog: LessonCatalog,
  ) {}

  async teams(wards: readonly string[], year: number): Promise<TeamRank[]> {
    const start = new Date(Date.UTC(year, 0, 1) - 7 * 3_600_000);
    const end = new Date(Date.UTC(year + 1, 0, 1) - 7 * 3_600_000);
    // Mentees count wherever they live (many never set a ward): the basic level is computed for them by id.
    const mentees = await this.db.query<{ learner_id: string }>(
      'SELECT r.learner_id FROM referrals r JOIN teams t ON t.id = r.team_id WHERE t.ward = ANY($1::text[])',
      [wards],
    );
    const rows = await this.db.query<Omit<TeamRank, 'score'> & { team_id: string; mentors_at_target: number; mentees_basic: number; help_sessions: number }>(
      `${basicCte('learner')}
       SELECT t.id AS team_id, t.name AS team, t.ward,
              (SELECT count(*)::int FROM team_members m WHERE m.team_id = t.id) AS members,
              (SELECT count(*)::int FROM team_members m
                 WHERE m.team_id = t.id AND (SELECT count(*) FROM referrals r WHERE r.mentor_id = m.learner_id) >= $7) AS mentors_at_target,
              (SELECT count(*)::int FROM referrals r WHERE r.team_id = t.id AND r.consented_at < $6) AS mentees,
              (SELECT count(*)::int FROM referrals r JOIN basic b ON b.learner_id = r.learner_id
                 WHERE r.team_id = t.id AND r.consented_at < $6 AND b.basic_at < $6) AS mentees_basic,
              (SELECT count(*)::int FROM help_sessions h WHERE h.team_id = t.id AND h.at >= $5 AND h.at < $6) AS help_sessions
       FROM teams t WHERE t.ward = ANY($8::text[])`,
      [...basicParams(this.catalog, mentees.map((m) => m.learner_id)), start, end, MENTEE_TARGET, wards],
    );
    return rows
      .map((r) => ({
        teamId: r.team_id,
        team: r.team,
        ward: r.ward,
        members: r.members,
        mentorsAtTarget: r.mentors_at_target,
        mentees: r.mentees,
        menteesBasic: r.mentees_basic,
        helpSessions: r.help_sessions,
        score: 3 * r.mentees_basic + r.mentees + r.help_sessions,
      }))
      .sort((a, b) => b.score - a.score || a.team.localeCompare(b.team, 'vi'));
  }

  /** Households of these wards (a household is in a ward when one of its members lives there), best first. */
  async households(wards: readonly string[], limit = 20): Promise<{ top: HouseholdRank[]; byWard: WardHouseholds[] }> {
    const members = await this.db.query<{ learner_id: string }>(
      `SELECT m.learner_id FROM household_members m WHERE m.household_id IN (
         SELECT m2.household_id FROM household_members m2 JOIN learners l ON l.id = m2.learner_id WHERE l.ward = ANY($1::text[]))`,
      [wards],
    );
    const rows = await this.db.query<{ household_id: string; ward: string; first_name: string; members: number; members_basic: number }>(
      `${basicCte('learner')}
       SELECT h.id AS household_id,
              (SELECT l.ward FROM household_members m JOIN learners l ON l.id = m.learner_id
               WHERE m.household_id = h.id AND l.ward = ANY($5::text[]) ORDER BY m.joined_at LIMIT 1) AS ward,
              (SELECT l.display_name FROM household_members m JOIN learners l ON l.id = m.learner_id
               WHERE m.household_id = h.id ORDER BY m.joined_at LIMIT 1) AS first_name,
              (SELECT count(*)::int FROM household_members m WHERE m.household_id = h.id) AS members,
              (SELECT count(*)::int FROM household_members m JOIN basic b ON b.learner_id = m.learner_id WHERE m.household_id = h.id) AS members_basic
       FROM households h
       WHERE EXISTS (SELECT 1 FROM household_members m JOIN learners l ON l.id = m.learner_id WHERE m.household_id = h.id AND l.ward = ANY($5::text[]))`,
      [...basicParams(this.catalog, members.map((m) => m.learner_id)), wards],
    );
    const byWard = new Map(wards.map((w) => [w, { ward: w, households: 0, covered: 0 }]));
    for (const r of rows) {
      const w = byWard.get(r.ward);
      if (!w) continue;
      w.households++;
      if (r.members_basic > 0) w.covered++;
    }
    const top = rows
      .filter((r) => r.members_basic > 0)
      .sort((a, b) => b.members_basic - a.members_basic || b.members - a.members || a.first_name.localeCompare(b.first_name, 'vi'))
      .slice(0, limit)
      .map((r) => ({ household: `Hộ gia đình ${r.first_name}`, ward: r.ward, members: r.members, membersBasic: r.members_basic }));
    return { top, byWard: [...byWard.values()] };
  }
}
