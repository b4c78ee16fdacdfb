import type { Db } from '../db/index.js';
import { basicCte, basicParams } from '../dashboard/basic-level.js';
import type { LessonCatalog } from '../lessons/catalog.js';
import { newCode } from './codes.js';

/** A household is covered (Gia đình số) when at least one member has reached the basic level. */
export interface HouseholdView {
  inviteCode: string;
  members: { name: string; basic: boolean; you: boolean }[];
  covered: boolean;
}

const MAX_MEMBERS = 20;

export class HouseholdError extends Error {
  constructor(readonly code: 'UNKNOWN_CODE' | 'FULL') {
    super(code);
  }
}

/** Family members who chose to learn together: each sees the others' names and whether they reached the basic level. */
export class Households {
  constructor(
    private readonly db: Db,
    private readonly catalog: LessonCatalog,
  ) {}

  async view(learnerId: string): Promise<HouseholdView | null> {
    const rows = await this.db.query<{ invite_code: string; learner_id: string; display_name: string }>(
      `SELECT h.invite_code, m.learner_id, l.display_name FROM household_members me
       JOIN households h ON h.id = me.household_id
       JOIN household_members m ON m.household_id = h.id JOIN learners l ON l.id = m.learner_id
       WHERE me.learner_id = $1 ORDER BY m.joined_at`,
      [learnerId],
    );
    if (rows.length === 0) return null;
    const ids = rows.map((r) => r.learner_id);
    const basic = new Set(
      (await this.db.query<{ learner_id: string }>(`${basicCte('learner')} SELECT learner_id FROM basic`, basicParams(this.catalog, ids))).map((r) => r.learner_id),
    );
    return {
      inviteCode: rows[0]!.invite_code,
      members: rows.map((r) => ({ name: r.display_name, basic: basic.has(r.learner_id), you: r.learner_id === learnerId })),
      covered: basic.size > 0,
    };
  }

  /** The learner's household, created with them as its first member if they have none. */
  async create(learnerId: string): Promise<HouseholdView> {
    const existing = await this.view(learnerId);
    if (existing) return existing;
    await this.db.transaction(async (tx) => {
      const [h] = await tx.query<{ id: string }>('INSERT INTO households (invite_code) VALUES ($1) RETURNING id', [newCode()]);
      await tx.query('INSERT INTO household_members (household_id, learner_id) VALUES ($1, $2) ON CONFLICT (learner_id) DO NOTHING', [h!.id, learnerId]);
    });
    return (await this.view(learnerId))!;
  }

  /** Joins the household of an invite code (leaving any other). */
  async join(learnerId: string, code: string): Promise<HouseholdView> {
    await this.db.transaction(async (tx) => {
      const [h] = await tx.query<{ id: string; n: number }>(
        'SELECT h.id, (SELECT count(*)::int FROM household_members m WHERE m.household_id = h.id) AS n FROM households h WHERE invite_code = $1 FOR UPDATE',
        [code],
      );
      if (!h) throw new HouseholdError('UNKNOWN_CODE');
      if (h.n >= MAX_MEMBERS) throw new HouseholdError('FULL');
      await tx.query(
        `INSERT INTO household_members (household_id, learner_id) VALUES ($1, $2)
         ON CONFLICT (learner_id) DO UPDATE SET household_id = EXCLUDED.household_id, joined_at = now()`,
        [h.id, learnerId],
      );
    });
    return (await this.view(learnerId))!;
  }

  async leave(learnerId: string): Promise<boolean> {
    return (await this.db.query('DELETE FROM household_members WHERE learner_id = $1 RETURNING 1', [learnerId])).length > 0;
  }
}
