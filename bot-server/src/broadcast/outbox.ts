import type { Db } from '../db/index.js';
import type { LessonCatalog } from '../lessons/catalog.js';
import type { Topic } from '../lessons/schema.js';
import type { LiveHub } from './live.js';
import { pushableFrom } from './quiet-hours.js';
import { tipOf } from './service.js';
import { pushViaZalo, type PushOutcome, type ZaloPushConfig } from './zalo-push.js';

const MAX_ATTEMPTS = 5;
const RETRY_BASE_MS = 30_000;
/** After a "slow down" from Zalo, nothing is pushed through it for this long. */
const RATE_LIMIT_PAUSE_MS = 60_000;
/** A row claimed longer ago than this was being pushed by a process that died. */
const CLAIM_LEASE_MS = 2 * 60_000;

export interface OutboxOptions {
  zalo?: ZaloPushConfig;
  /** Zalo pushes per claim round; each round's pushes run with this much concurrency. */
  batchSize?: number;
  concurrency?: number;
  now?: () => Date;
  /** The push itself (tests and benchmarks can count it); defaults to Zalo's OA message API. */
  push?: (zaloUserId: string, tip: ReturnType<typeof tipOf>) => Promise<PushOutcome>;
  log?: { warn: (obj: object, msg: string) => void; info: (obj: object, msg: string) => void };
}

interface Claimed {
  broadcast_id: string;
  learner_id: string;
  attempts: number;
  external_id: string;
  title: string;
  body: string;
  priority: 'normal' | 'scam_alert';
  lesson_id: string | null;
  send_at: Date | string;
  expires_at: Date | string;
  status: string;
}

/**
 * The durable outbox. Fan-out writes one delivery row per recipient (primary key: broadcast and learner, so a
 * fan-out repeated after a crash adds nobody twice) in one transaction; open mini apps get the tip at once over
 * their WebSocket; everyone else is pushed through Zalo row by row with retries, backoff and quiet hours.
 * Rows are claimed before a push and marked after it: a push interrupted by a crash is never repeated
 * (at most once per recipient); the tip stays in the recipient's feed either way.
 */
export class Outbox {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private pausedUntil = 0;
  private readonly now: () => Date;

  constructor(
    private readonly db: Db,
    private readonly catalog: LessonCatalog,
    private readonly hub: LiveHub,
    private readonly opts: OutboxOptions = {},
  ) {
    this.now = opts.now ?? (() => new Date());
  }

  /** Checks for due work every `intervalMs` until stop(). */
  start(intervalMs = 1000): void {
    const tick = () => {
      this.running = this.runOnce()
        .then(() => undefined)
        .catch((err: Error) => this.opts.log?.warn({ err: err.message }, 'outbox round failed'))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, intervalMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One round: fan out what is due, then push what is due. */
  async runOnce(): Promise<{ fannedOut: number; pushed: number }> {
    let fannedOut = 0;
    while (await this.fanOutNext()) fannedOut++;
    const pushed = await this.pushDue();
    return { fannedOut, pushed };
  }

  /** Fans out the next due broadcast, if any; returns its id. */
  async fanOutNext(): Promise<string | undefined> {
    const now = this.now();
    const fanned = await this.db.transaction(async (tx) => {
      const [b] = await tx.query<Claimed & { id: string; wards: string[]; topic: Topic | null; unfinished_lesson: string | null }>(
        `SELECT * FROM broadcasts WHERE status IN ('scheduled', 'fanning_out') AND send_at <= $1
         ORDER BY send_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
        [now],
      );
      if (!b) return undefined;
      const topicLessons = b.topic ? this.catalog.inTopic(b.topic).map((l) => l.id) : null;
      const pushAt = pushableFrom(b.priority, now);
      await tx.query(
        `INSERT INTO broadcast_deliveries (broadcast_id, learner_id, next_attempt_at)
         SELECT $1, l.id, $2 FROM learners l
         WHERE l.ward = ANY($3::text[])
           AND ($4::text IS NULL OR l.goal = $4
                OR EXISTS (SELECT 1 FROM learner_questions q WHERE q.learner_id = l.id AND q.lesson_id = ANY($5::text[]))
                OR EXISTS (SELECT 1 FROM lesson_progress p WHERE p.learner_id = l.id AND p.lesson_id = ANY($5::text[])))
           AND ($6::text IS NULL OR NOT EXISTS (
                SELECT 1 FROM lesson_progress p WHERE p.learner_id = l.id AND p.lesson_id = $6 AND p.completed_at IS NOT NULL))
         ON CONFLICT DO NOTHING`,
        [b.id, pushAt, b.wards, b.topic, topicLessons ?? [], b.unfinished_lesson],
      );
      await tx.query(
        `UPDATE broadcasts SET status = 'sent', targeted = (SELECT count(*) FROM broadcast_deliveries WHERE broadcast_id = $1) WHERE id = $1`,
        [b.id],
      );
      return { row: b, pushAt };
    });
    if (!fanned) return undefined;
    if (fanned.pushAt <= now) await this.pushLive(fanned.row.id, tipOf({ ...fanned.row, id: fanned.row.id }));
    return fanned.row.id;
  }

  /** Marks the recipients who have the mini app open as delivered, then sends to them (at most once). */
  private async pushLive(broadcastId: string, tip: ReturnType<typeof tipOf>): Promise<void> {
    const connected = this.hub.connectedLearners();
    if (connected.length === 0) return;
    const rows = await this.db.query<{ learner_id: string }>(
      `UPDATE broadcast_deliveries SET status = 'delivered', channel = 'live', delivered_at = now()
       WHERE broadcast_id = $1 AND learner_id = ANY($2::uuid[]) AND status = 'pending' RETURNING learner_id`,
      [broadcastId, connected],
    );
    this.hub.push(
      rows.map((r) => r.learner_id),
      tip,
    );
  }

  /** Pushes due rows through Zalo (or settles them when there is no channel); returns how many were settled. */
  async pushDue(): Promise<number> {
    const now = this.now();
    await this.db.query(
      `UPDATE broadcast_deliveries SET status = 'failed', last_error = 'interrupted'
       WHERE status = 'sending' AND next_attempt_at < $1`,
      [new Date(now.getTime() - CLAIM_LEASE_MS)],
    );
    let settled = 0;
    for (;;) {
      if (this.now().getTime() < this.pausedUntil) return settled;
      const claimed = await this.db.query<Claimed>(
        `UPDATE broadcast_deliveries d SET status = 'sending', attempts = d.attempts + 1, next_attempt_at = $2
         FROM (SELECT broadcast_id, learner_id FROM broadcast_deliveries
               WHERE status = 'pending' AND next_attempt_at <= $2
               ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED) c, broadcasts b, learners l
         WHERE d.broadcast_id = c.broadcast_id AND d.learner_id = c.learner_id AND b.id = d.broadcast_id AND l.id = d.learner_id
         RETURNING d.broadcast_id, d.learner_id, d.attempts, l.external_id, b.title, b.body, b.priority, b.lesson_id, b.send_at, b.expires_at, b.status`,
        [this.opts.batchSize ?? 100, now],
      );
      if (claimed.length === 0) return settled;
      const queue = [...claimed];
      const worker = async () => {
        for (let row = queue.shift(); row; row = queue.shift()) {
          await this.settle(row, now);
          settled++;
        }
      };
      await Promise.all(Array.from({ length: Math.min(this.opts.concurrency ?? 8, claimed.length) }, worker));
    }
  }

  private async settle(row: Claimed, now: Date): Promise<void> {
    const mark = (status: string, error: string | null, nextAt: Date | null = null, attemptsDelta = 0) =>
      this.db.query(
        `UPDATE broadcast_deliveries SET status = $3, last_error = $4,
           next_attempt_at = COALESCE($5, next_attempt_at), attempts = attempts + $6,
           channel = CASE WHEN $3 = 'delivered' THEN 'zalo' ELSE channel END,
           delivered_at = CASE WHEN $3 = 'delivered' THEN now() ELSE delivered_at END
         WHERE broadcast_id = $1 AND learner_id = $2`,
        [row.broadcast_id, row.learner_id, status, error, nextAt, attemptsDelta],
      );
    if (row.status === 'cancelled') return void (await mark('failed', 'cancelled'));
    if (new Date(row.expires_at) <= now) return void (await mark('failed', 'expired'));
    const zaloId = row.external_id.startsWith('zalo:') ? row.external_id.slice(5) : undefined;
    const push = this.opts.push ?? (this.opts.zalo ? (id: string, tip: ReturnType<typeof tipOf>) => pushViaZalo(this.opts.zalo!, id, tip) : undefined);
    if (!zaloId || !push) return void (await mark('unreachable', null));
    const outcome = await push(zaloId, tipOf({ ...row, id: row.broadcast_id }));
    if (outcome.ok) return void (await mark('delivered', null));
    if (outcome.rateLimited) {
      this.pausedUntil = this.now().getTime() + RATE_LIMIT_PAUSE_MS;
      this.opts.log?.warn({ error: outcome.error }, 'zalo asked to slow down; pausing pushes');
      // Not the recipient's fault: this attempt does not count.
      return void (await mark('pending', outcome.error, pushableFrom(row.priority, new Date(now.getTime() + RATE_LIMIT_PAUSE_MS)), -1));
    }
    if (outcome.retry && row.attempts < MAX_ATTEMPTS) {
      const backoff = RETRY_BASE_MS * 2 ** (row.attempts - 1);
      return void (await mark('pending', outcome.error, pushableFrom(row.priority, new Date(now.getTime() + backoff))));
    }
    await mark('failed', outcome.error);
  }
}
