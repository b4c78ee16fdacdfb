import { recordAudit } from '../audit/audit.js';
import type { Db } from '../db/index.js';
import type { Learner } from '../identity/learners.js';
import type { Draft } from './compose.js';
import type { TipView } from './live.js';

export interface BroadcastReport {
  targeted: number;
  delivered: number;
  failed: number;
  /** In the feed only: no open mini app and no Zalo channel for them. */
  feedOnly: number;
  pending: number;
  opened: number;
}

/** A broadcast as officers see it: the draft as stored, its state and its delivery report. */
export interface BroadcastView extends Omit<Draft, 'sendAt' | 'expiresAt'> {
  id: string;
  author: string;
  sendAt: string;
  expiresAt: string;
  status: 'scheduled' | 'fanning_out' | 'sent' | 'cancelled';
  report: BroadcastReport;
}

interface BroadcastRow {
  id: string;
  author: string;
  title: string;
  body: string;
  lesson_id: string | null;
  priority: 'normal' | 'scam_alert';
  wards: string[];
  topic: string | null;
  unfinished_lesson: string | null;
  send_at: Date | string;
  expires_at: Date | string;
  status: BroadcastView['status'];
}

/** Delivery reports of several broadcasts in one statement. */
const REPORT_SQL = `
  SELECT broadcast_id,
         count(*)::int AS targeted,
         count(*) FILTER (WHERE status = 'delivered')::int AS delivered,
         count(*) FILTER (WHERE status = 'failed')::int AS failed,
         count(*) FILTER (WHERE status = 'unreachable')::int AS feed_only,
         count(*) FILTER (WHERE status IN ('pending', 'sending'))::int AS pending,
         count(opened_at)::int AS opened
  FROM broadcast_deliveries WHERE broadcast_id = ANY($1::uuid[]) GROUP BY broadcast_id`;

export function tipOf(row: Pick<BroadcastRow, 'id' | 'title' | 'body' | 'priority' | 'lesson_id' | 'send_at'>): TipView {
  return {
    id: row.id,
    title: row.title,
    body: row.body,
    priority: row.priority,
    ...(row.lesson_id ? { lessonId: row.lesson_id } : {}),
    publishedAt: new Date(row.send_at).toISOString(),
  };
}

export class NotInScope extends Error {}

/** Officers' broadcasts: stored once, scoped to the officer's wards, every write audited. */
export class Broadcasts {
  constructor(private readonly db: Db) {}

  async create(author: Learner, draft: Draft, scope: readonly string[]): Promise<BroadcastView> {
    if (!draft.wards.every((w) => scope.includes(w))) throw new NotInScope();
    const id = await this.db.transaction(async (tx) => {
      const [row] = await tx.query<{ id: string }>(
        `INSERT INTO broadcasts (author, title, body, lesson_id, priority, wards, topic, unfinished_lesson, send_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
        [author.externalId, draft.title, draft.body, draft.lessonId ?? null, draft.priority, draft.wards, draft.topic ?? null, draft.unfinishedLesson ?? null, draft.sendAt, draft.expiresAt],
      );
      await recordAudit(tx, author.externalId, 'broadcast.create', row!.id, {
        title: draft.title,
        priority: draft.priority,
        wards: draft.wards,
        sendAt: draft.sendAt.toISOString(),
      });
      return row!.id;
    });
    return (await this.get(id, scope))!;
  }

  /** A broadcast the officer may see: every one of its wards is in their scope. */
  async get(id: string, scope: readonly string[]): Promise<BroadcastView | undefined> {
    const [row] = await this.db.query<BroadcastRow>('SELECT * FROM broadcasts WHERE id = $1 AND wards <@ $2::text[]', [id, scope]);
    return row ? (await this.views([row]))[0] : undefined;
  }

  async list(scope: readonly string[], limit = 50): Promise<BroadcastView[]> {
    const rows = await this.db.query<BroadcastRow>(
      'SELECT * FROM broadcasts WHERE wards <@ $1::text[] ORDER BY created_at DESC LIMIT $2',
      [scope, limit],
    );
    return this.views(rows);
  }

  /** Stops a broadcast: not fanned out if it had not been, no more pushes if it had; it leaves the feed. */
  async cancel(actor: Learner, id: string, scope: readonly string[]): Promise<BroadcastView | undefined> {
    const done = await this.db.transaction(async (tx) => {
      const rows = await tx.query(
        `UPDATE broadcasts SET status = 'cancelled' WHERE id = $1 AND wards <@ $2::text[] AND status <> 'cancelled' RETURNING 1`,
        [id, scope],
      );
      if (rows.length === 0) return false;
      await tx.query(
        `UPDATE broadcast_deliveries SET status = 'failed', last_error = 'cancelled' WHERE broadcast_id = $1 AND status = 'pending'`,
        [id],
      );
      await recordAudit(tx, actor.externalId, 'broadcast.cancel', id);
      return true;
    });
    return done ? this.get(id, scope) : undefined;
  }

  /**
   * A citizen's feed, newest first: tips addressed to them (signed in) and tips to their whole ward (no topic or
   * lesson condition), sent and not expired or cancelled.
   */
  async feed(opts: { learnerId?: string; ward?: string; limit?: number }): Promise<TipView[]> {
    const rows = await this.db.query<BroadcastRow & { opened: boolean }>(
      `SELECT b.id, b.title, b.body, b.priority, b.lesson_id, b.send_at, (d.opened_at IS NOT NULL) AS opened
       FROM broadcasts b
       LEFT JOIN broadcast_deliveries d ON d.broadcast_id = b.id AND d.learner_id = $1::uuid
       WHERE b.status = 'sent' AND b.send_at <= now() AND b.expires_at > now()
         AND (d.learner_id IS NOT NULL OR ($2::text IS NOT NULL AND $2 = ANY(b.wards) AND b.topic IS NULL AND b.unfinished_lesson IS NULL))
       ORDER BY (b.priority = 'scam_alert') DESC, b.send_at DESC LIMIT $3`,
      [opts.learnerId ?? null, opts.ward ?? null, opts.limit ?? 30],
    );
    return rows.map((r) => ({ ...tipOf(r), ...(opts.learnerId ? { opened: Boolean(r.opened) } : {}) }));
  }

  async markOpened(learnerId: string, broadcastId: string): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE broadcast_deliveries SET opened_at = now() WHERE broadcast_id = $1 AND learner_id = $2 AND opened_at IS NULL RETURNING 1`,
      [broadcastId, learnerId],
    );
    return rows.length > 0;
  }

  private async views(rows: BroadcastRow[]): Promise<BroadcastView[]> {
    const reports = new Map(
      (await this.db.query<Record<string, number> & { broadcast_id: string }>(REPORT_SQL, [rows.map((r) => r.id)])).map((r) => [r.broadcast_id, r]),
    );
    return rows.map((row) => {
      const r = reports.get(row.id);
      return {
        id: row.id,
        author: row.author,
        title: row.title,
        body: row.body,
        ...(row.lesson_id ? { lessonId: row.lesson_id } : {}),
        priority: row.priority,
        wards: row.wards,
        ...(row.topic ? { topic: row.topic } : {}),
        ...(row.unfinished_lesson ? { unfinishedLesson: row.unfinished_lesson } : {}),
        sendAt: new Date(row.send_at).toISOString(),
        expiresAt: new Date(row.expires_at).toISOString(),
        status: row.status,
        report: {
          targeted: r?.targeted ?? 0,
          delivered: r?.delivered ?? 0,
          failed: r?.failed ?? 0,
          feedOnly: r?.feed_only ?? 0,
          pending: r?.pending ?? 0,
          opened: r?.opened ?? 0,
        },
      };
    });
  }
}
