import type { Queryable } from '../db/index.js';

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  detail: Record<string, unknown>;
}

/**
 * Records one write by an officer or an admin, in the same transaction as the write itself, so that there is
 * never a change without its entry or an entry without its change. `actor` is the external id ("zalo:…") or
 * "cli:<os user>" for the admin command.
 */
export async function recordAudit(q: Queryable, actor: string, action: string, target: string | null, detail: object = {}): Promise<void> {
  await q.query('INSERT INTO audit_log (actor, action, target, detail) VALUES ($1, $2, $3, $4)', [actor, action, target, JSON.stringify(detail)]);
}

export async function listAudit(q: Queryable, opts: { limit: number; beforeId?: number }): Promise<AuditEntry[]> {
  const rows = await q.query<AuditEntry & { at: Date | string; id: number | string; detail: unknown }>(
    `SELECT id, at, actor, action, target, detail FROM audit_log
     WHERE ($1::bigint IS NULL OR id < $1) ORDER BY id DESC LIMIT $2`,
    [opts.beforeId ?? null, opts.limit],
  );
  return rows.map((r) => ({
    ...r,
    id: Number(r.id),
    at: new Date(r.at).toISOString(),
    detail: (typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail) as Record<string, unknown>,
  }));
}
