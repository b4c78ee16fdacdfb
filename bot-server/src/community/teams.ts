import { recordAudit } from '../audit/audit.js';
import type { Db } from '../db/index.js';
import { newCode } from './codes.js';

export interface TeamView {
  id: string;
  name: string;
  ward: string;
  members: { externalId: string; name: string; mentees: number }[];
}

export interface Membership {
  teamId: string;
  teamName: string;
  ward: string;
  code: string;
}

export class TeamError extends Error {}

/** Teams of a ward and their members. Officers of the ward manage them; every change is audited. */
export class Teams {
  constructor(private readonly db: Db) {}

  async create(actor: string, name: string, ward: string): Promise<string> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query<{ id: string }>(
        'INSERT INTO teams (name, ward) VALUES ($1, $2) ON CONFLICT (ward, name) DO NOTHING RETURNING id',
        [name, ward],
      );
      if (!rows[0]) throw new TeamError('a team with this name already exists in this ward');
      await recordAudit(tx, actor, 'team.create', rows[0].id, { name, ward });
      return rows[0].id;
    });
  }

  async get(teamId: string): Promise<{ id: string; name: string; ward: string } | undefined> {
    const [row] = await this.db.query<{ id: string; name: string; ward: string }>('SELECT id, name, ward FROM teams WHERE id = $1', [teamId]);
    return row;
  }

  /**
   * Adds a Zalo user to a team (creating their learner row if they have not signed in yet), gives them the
   * community team role in the team's ward, and their referral code.
   */
  async addMember(actor: string, teamId: string, externalId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const [team] = await tx.query<{ ward: string }>('SELECT ward FROM teams WHERE id = $1', [teamId]);
      if (!team) throw new TeamError('no such team');
      const [learner] = await tx.query<{ id: string }>(
        `INSERT INTO learners (external_id, display_name) VALUES ($1, 'Chưa đăng nhập')
         ON CONFLICT (external_id) DO UPDATE SET external_id = EXCLUDED.external_id RETURNING id`,
        [externalId],
      );
      const [other] = await tx.query<{ team_id: string }>('SELECT team_id FROM team_members WHERE learner_id = $1', [learner!.id]);
      if (other && other.team_id !== teamId) throw new TeamError('already a member of another team');
      if (other) return;
      await tx.query('INSERT INTO team_members (team_id, learner_id, referral_code) VALUES ($1, $2, $3)', [teamId, learner!.id, newCode()]);
      await tx.query(`INSERT INTO learner_roles (learner_id, role, ward) VALUES ($1, 'team_member', $2) ON CONFLICT DO NOTHING`, [learner!.id, team.ward]);
      await recordAudit(tx, actor, 'team.member.add', externalId, { teamId });
    });
  }

  async removeMember(actor: string, teamId: string, externalId: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query<{ learner_id: string; ward: string }>(
        `DELETE FROM team_members m USING learners l, teams t
         WHERE m.learner_id = l.id AND t.id = m.team_id AND m.team_id = $1 AND l.external_id = $2 RETURNING m.learner_id, t.ward`,
        [teamId, externalId],
      );
      if (!rows[0]) return false;
      await tx.query(`DELETE FROM learner_roles WHERE learner_id = $1 AND role = 'team_member' AND ward = $2`, [rows[0].learner_id, rows[0].ward]);
      await recordAudit(tx, actor, 'team.member.remove', externalId, { teamId });
      return true;
    });
  }

  async list(wards: readonly string[]): Promise<TeamView[]> {
    const rows = await this.db.query<{ id: string; name: string; ward: string; external_id: string | null; display_name: string | null; mentees: number }>(
      `SELECT t.id, t.name, t.ward, l.external_id, l.display_name,
              (SELECT count(*)::int FROM referrals r WHERE r.mentor_id = m.learner_id) AS mentees
       FROM teams t LEFT JOIN team_members m ON m.team_id = t.id LEFT JOIN learners l ON l.id = m.learner_id
       WHERE t.ward = ANY($1::text[]) ORDER BY t.ward, t.name, l.display_name`,
      [wards],
    );
    const teams = new Map<string, TeamView>();
    for (const r of rows) {
      let t = teams.get(r.id);
      if (!t) teams.set(r.id, (t = { id: r.id, name: r.name, ward: r.ward, members: [] }));
      if (r.external_id) t.members.push({ externalId: r.external_id, name: r.display_name ?? '', mentees: r.mentees });
    }
    return [...teams.values()];
  }

  async membershipOf(learnerId: string): Promise<Membership | undefined> {
    const [row] = await this.db.query<{ team_id: string; name: string; ward: string; referral_code: string }>(
      `SELECT m.team_id, t.name, t.ward, m.referral_code FROM team_members m JOIN teams t ON t.id = m.team_id WHERE m.learner_id = $1`,
      [learnerId],
    );
    return row && { teamId: row.team_id, teamName: row.name, ward: row.ward, code: row.referral_code };
  }

  /** A new code for a member whose card was lost or misused; the old one stops working at once. */
  async rotateCode(learnerId: string): Promise<string> {
    const code = newCode();
    await this.db.query('UPDATE team_members SET referral_code = $2 WHERE learner_id = $1', [learnerId, code]);
    return code;
  }
}
