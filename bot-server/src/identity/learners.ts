import { createHash, randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/index.js';

export const ROLES = ['team_member', 'officer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** A role beyond citizen; ward is '' for an admin (the whole deployment). */
export interface RoleGrant {
  role: Role;
  ward: string;
}

/** The signed-in learner, as every route that needs one sees it. */
export interface Learner {
  id: string;
  externalId: string;
  name: string;
  province: string | null;
  ward: string | null;
  goal: string | null;
  needs: string[];
  placementAt: Date | null;
  roles: RoleGrant[];
}

interface LearnerRow {
  id: string;
  external_id: string;
  display_name: string;
  province: string | null;
  ward: string | null;
  goal: string | null;
  needs: string[];
  placement_at: Date | string | null;
  roles: RoleGrant[] | string | null;
}

const COLUMNS = `l.id, l.external_id, l.display_name, l.province, l.ward, l.goal, l.needs, l.placement_at,
  (SELECT coalesce(json_agg(json_build_object('role', r.role, 'ward', r.ward) ORDER BY r.role, r.ward), '[]'::json)
   FROM learner_roles r WHERE r.learner_id = l.id) AS roles`;

function toLearner(r: LearnerRow): Learner {
  return {
    id: r.id,
    externalId: r.external_id,
    name: r.display_name,
    province: r.province,
    ward: r.ward,
    goal: r.goal,
    needs: r.needs ?? [],
    placementAt: r.placement_at ? new Date(r.placement_at) : null,
    roles: typeof r.roles === 'string' ? (JSON.parse(r.roles) as RoleGrant[]) : (r.roles ?? []),
  };
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Learners and their sessions. Our session tokens are random; the database keeps only their SHA-256. */
export class Learners {
  constructor(
    private readonly db: Db,
    private readonly sessionTtlMs: number,
  ) {}

  /** Creates the learner on first sign-in; later sign-ins refresh the display name only. */
  async signIn(externalId: string, name: string): Promise<{ learner: Learner; token: string; expiresAt: Date }> {
    const [row] = await this.db.query<LearnerRow>(
      `INSERT INTO learners AS l (external_id, display_name) VALUES ($1, $2)
       ON CONFLICT (external_id) DO UPDATE SET display_name = EXCLUDED.display_name
       RETURNING ${COLUMNS}`,
      [externalId, name],
    );
    const learner = toLearner(row!);
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.sessionTtlMs);
    await this.db.query('DELETE FROM learner_sessions WHERE learner_id = $1 AND expires_at < now()', [learner.id]);
    await this.db.query('INSERT INTO learner_sessions (token_hash, learner_id, expires_at) VALUES ($1, $2, $3)', [
      hashToken(token),
      learner.id,
      expiresAt,
    ]);
    return { learner, token, expiresAt };
  }

  /** The learner a session token belongs to, if the session exists and has not expired. */
  async fromToken(token: string): Promise<Learner | undefined> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
    const [row] = await this.db.query<LearnerRow>(
      `SELECT ${COLUMNS} FROM learner_sessions s JOIN learners l ON l.id = s.learner_id
       WHERE s.token_hash = $1 AND s.expires_at > now()`,
      [hashToken(token)],
    );
    return row ? toLearner(row) : undefined;
  }

  /** The learner of an HTTP request (Authorization: Bearer <token>), if any. */
  async fromRequest(request: FastifyRequest): Promise<Learner | undefined> {
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer (\S+)$/.exec(header) : null;
    return match ? this.fromToken(match[1]!) : undefined;
  }

  async get(id: string): Promise<Learner | undefined> {
    const [row] = await this.db.query<LearnerRow>(`SELECT ${COLUMNS} FROM learners l WHERE l.id = $1`, [id]);
    return row ? toLearner(row) : undefined;
  }

  async updateProfile(id: string, change: { area?: { province: string; ward: string } | null; goal?: string | null }): Promise<Learner> {
    const sets: string[] = [];
    const params: unknown[] = [id];
    if (change.area !== undefined) {
      params.push(change.area?.province ?? null, change.area?.ward ?? null);
      sets.push(`province = $${params.length - 1}`, `ward = $${params.length}`);
    }
    if (change.goal !== undefined) {
      params.push(change.goal);
      sets.push(`goal = $${params.length}`);
    }
    if (sets.length > 0) await this.db.query(`UPDATE learners SET ${sets.join(', ')} WHERE id = $1`, params);
    return (await this.get(id))!;
  }

  /** The wards where this learner holds the role (an admin holds every role everywhere). */
  static wardsFor(learner: Learner, role: Role, allWards: readonly string[]): string[] {
    if (learner.roles.some((r) => r.role === 'admin')) return [...allWards];
    return learner.roles.filter((r) => r.role === role && allWards.includes(r.ward)).map((r) => r.ward);
  }

  /** Right to erasure: the learner row goes, and with it (ON DELETE CASCADE) every session and learning record. */
  async erase(id: string): Promise<void> {
    await this.db.query('DELETE FROM learners WHERE id = $1', [id]);
  }
}
