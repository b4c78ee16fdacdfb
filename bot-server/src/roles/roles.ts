import { recordAudit } from '../audit/audit.js';
import type { Db } from '../db/index.js';
import type { Role } from '../identity/learners.js';

export interface GrantView {
  externalId: string;
  name: string;
  role: Role;
  ward: string;
  grantedAt: string;
}

export class RoleError extends Error {}

/** Who holds which role where. Every change is audited in its own transaction. */
export class Roles {
  constructor(
    private readonly db: Db,
    private readonly wards: readonly string[],
  ) {}

  private check(role: Role, ward: string): void {
    if (role === 'admin' && ward !== '') throw new RoleError('an admin role has no ward');
    if (role !== 'admin' && !this.wards.includes(ward)) throw new RoleError(`unknown ward: ${ward}`);
  }

  /**
   * Grants a role to a Zalo user by external id ("zalo:<id>"). Someone who has never signed in gets a learner row
   * now (name filled in at first sign-in), so that an officer can be set up before their first visit.
   */
  async grant(actor: string, externalId: string, role: Role, ward = ''): Promise<void> {
    this.check(role, ward);
    await this.db.transaction(async (tx) => {
      const [learner] = await tx.query<{ id: string }>(
        `INSERT INTO learners (external_id, display_name) VALUES ($1, 'Chưa đăng nhập')
         ON CONFLICT (external_id) DO UPDATE SET external_id = EXCLUDED.external_id RETURNING id`,
        [externalId],
      );
      const inserted = await tx.query(
        'INSERT INTO learner_roles (learner_id, role, ward) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1',
        [learner!.id, role, ward],
      );
      if (inserted.length > 0) await recordAudit(tx, actor, 'role.grant', externalId, { role, ward });
    });
  }

  /** Returns false when there was nothing to revoke. */
  async revoke(actor: string, externalId: string, role: Role, ward = ''): Promise<boolean> {
    this.check(role, ward);
    return this.db.transaction(async (tx) => {
      const removed = await tx.query(
        `DELETE FROM learner_roles r USING learners l
         WHERE r.learner_id = l.id AND l.external_id = $1 AND r.role = $2 AND r.ward = $3 RETURNING 1`,
        [externalId, role, ward],
      );
      if (removed.length > 0) await recordAudit(tx, actor, 'role.revoke', externalId, { role, ward });
      return removed.length > 0;
    });
  }

  async list(): Promise<GrantView[]> {
    const rows = await this.db.query<{ external_id: string; display_name: string; role: Role; ward: string; granted_at: Date | string }>(
      `SELECT l.external_id, l.display_name, r.role, r.ward, r.granted_at
       FROM learner_roles r JOIN learners l ON l.id = r.learner_id ORDER BY r.role, r.ward, l.external_id`,
    );
    return rows.map((r) => ({ externalId: r.external_id, name: r.display_name, role: r.role, ward: r.ward, grantedAt: new Date(r.granted_at).toISOString() }));
  }
}
