import { randomUUID } from 'node:crypto';
import type { Db, Queryable } from '../db/index.js';
import type { LessonCatalog } from '../lessons/catalog.js';
import type { Topic } from '../lessons/schema.js';
import type { LiveHub } from './live.js';
import { pushableFrom } from './quiet-hours.js';
import { tipOf } from './service.js';
import { pushViaZalo, type PushOutcome, type ZaloPushConfig } from './zalo-push.js';

const MAX_ATTEMPTS = 5;
/** Zalo pushes in flight at once. */
const DEFAULT_CONCURRENCY = 8;
const RETRY_BASE_MS = 30_000;
/** After a "slow down" from Zalo, nothing is pushed through it for this long. */
const RATE_LIMIT_PAUSE_MS = 60_000;
/** A row claimed (or a fan-out started) longer ago than this was being worked on by a process that died. */
const CLAIM_LEASE_MS = 2 * 60_000;
/** Tells every server process on the database that a broadcast is going out, for the mini apps open on it. */
export const LIVE_TIPS_CHANNEL = 'bhvs_live_tips';
const LISTEN_RETRY_MS = 2000;

export interface OutboxOptions {
  zalo?: ZaloPushConfig;
  /** Zalo pushes in flight at once. */
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

type Due = Claimed & { id: string; wards: string[]; topic: Topic | null; unfinished_lesson: string | null };

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
  private again = false;
  private tick: (() => void) | undefined;
  private readonly now: () => Date;
  /** This process, so it can tell its own notifications from other processes'. */
  private readonly origin = randomUUID();
  private unlisten: (() => Promise<void>) | undefined;
  private listening: Promise<void> | undefined;

  constructor(
    private readonly db: Db,
    private readonly catalog: LessonCatalog,
    private readonly hub: LiveHub,
    private readonly opts: OutboxOptions = {},
  ) {
    this.now = opts.now ?? (() => new Date());
  }

  /** Checks for due work every `intervalMs` until stop(), and delivers other processes' broadcasts live here. */
  start(intervalMs = 1000, log?: OutboxOptions['log']): void {
    if (this.timer) return;
    if (log) this.opts.log = log;
    // Listening needs a connection of its own; when the database has none to spare yet, try again until stop().
    const listen = (): Promise<void> =>
      this.db
        .listen(LIVE_TIPS_CHANNEL, (payload) => void this.deliverNotified(payload))
        .then((unlisten) => void (this.unlisten = unlisten))
        .catch(async (err: Error) => {
          this.opts.log?.warn({ err: err.message }, 'not listening for live tips yet; retrying');
          await new Promise((r) => setTimeout(r, LISTEN_RETRY_MS));
          if (this.timer) return listen();
        });
    this.listening = listen();
    const tick = () => {
      this.again = false;
      this.running = this.runOnce()
        .then(() => undefined)
        .catch((err: Error) => this.opts.log?.warn({ err: err.message }, 'outbox round failed'))
        .finally(() => {
          this.running = undefined;
          if (this.timer) this.timer = setTimeout(tick, this.again ? 0 : intervalMs);
        });
    };
    this.tick = tick;
    this.timer = setTimeout(tick, 0);
  }

  /** Runs a round now rather than at the next interval ("send now" should not wait); no-op when not started. */
  kick(): void {
    if (!this.timer || !this.tick) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(this.tick, 0);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    await this.listening;
    await this.unlisten?.().catch(() => {});
    this.unlisten = undefined;
  }

  /**
   * Another process fanned a broadcast out: the mini apps open here that it targets get it now (their rows are
   * claimed as delivered live first, so nobody gets it twice, and Zalo is not pushed to them).
   */
  async deliverNotified(payload: string): Promise<string[]> {
    let note: { broadcast?: unknown; origin?: unknown };
    try {
      note = JSON.parse(payload) as typeof note;
    } catch {
      return [];
    }
    if (note.origin === this.origin || typeof note.broadcast !== 'string') return [];
    const connected = this.hub.connectedLearners();
    if (connected.length === 0) return [];
    const now = this.now();
    try {
      const [b] = await this.db.query<Due>(
        `SELECT * FROM broadcasts WHERE id = $1 AND status IN ('fanning_out', 'sent') AND send_at <= $2 AND expires_at > $2`,
        [note.broadcast, now],
      );
      if (!b || pushableFrom(b.priority, now) > now) return [];
      await this.claimLive(this.db, b, connected);
      // Every learner here whose delivery went live, claimed just now or by the fanning process for another of
      // their devices: each open socket gets the tip once (this notification comes once per process).
      const live = await this.db.query<{ learner_id: string }>(
        `SELECT learner_id FROM broadcast_deliveries
         WHERE broadcast_id = $1 AND learner_id = ANY($2::uuid[]) AND status = 'delivered' AND channel = 'live'`,
        [b.id, connected],
      );
      return this.hub.push(
        live.map((r) => r.learner_id),
        tipOf(b),
      );
    } catch (err) {
      this.opts.log?.warn({ err: (err as Error).message }, 'live tip from another process not delivered');
      return [];
    }
  }

  /**
   * Marks these connected learners' deliveries of a broadcast as delivered live, inserting rows not written yet
   * and taking over rows still pending or settled as "feed only" (the fanning process may settle those before
   * this process hears of the broadcast); never a row being pushed or pushed. Returns the learners claimed.
   * Rows are written in learner id order here and in the fan-out's bulk insert: two processes writing the same rows
   * at once then wait on each other in one order and never deadlock (they did, before).
   */
  private async claimLive(q: Queryable, b: Due, connected: string[]): Promise<string[]> {
    const rows = await q.query<{ learner_id: string }>(
      `INSERT INTO broadcast_deliveries (broadcast_id, learner_id, status, channel, delivered_at)
       SELECT $1, l.id, 'delivered', 'live', now() FROM learners l WHERE ${this.audienceSql()} AND l.id = ANY($6::uuid[])
       ORDER BY l.id
       ON CONFLICT (broadcast_id, learner_id) DO UPDATE SET status = 'delivered', channel = 'live', delivered_at = now()
         WHERE broadcast_deliveries.status IN ('pending', 'unreachable')
       RETURNING learner_id`,
      [...this.audienceParams(b), connected],
    );
    return rows.map((r) => r.learner_id);
  }

  /** One round: fan out what is due, then push what is due. */
  async runOnce(): Promise<{ fannedOut: number; pushed: number }> {
    let fannedOut = 0;
    while (await this.fanOutNext()) fannedOut++;
    const pushed = await this.pushDue();
    return { fannedOut, pushed };
  }

  /**
   * Fans out the next due broadcast, if any; returns its id. Two steps, so that open mini apps get the tip before
   * the whole ward is written: first the recipients connected here (inserted as delivered, then sent: at most
   * once), then everyone else. Both inserts skip existing rows, so a fan-out interrupted between them, or run by
   * two processes, adds nobody twice.
   */
  async fanOutNext(): Promise<string | undefined> {
    const now = this.now();
    const claimed = await this.db.transaction(async (tx) => {
      const [b] = await tx.query<Due>(
        `SELECT * FROM broadcasts
         WHERE send_at <= $1 AND (status = 'scheduled' OR (status = 'fanning_out'
           AND (fan_out_by = $3 OR fan_out_started_at IS NULL OR fan_out_started_at < $2)))
         ORDER BY send_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
        [now, new Date(now.getTime() - CLAIM_LEASE_MS), this.origin],
      );
      if (!b) return undefined;
      await tx.query(`UPDATE broadcasts SET status = 'fanning_out', fan_out_started_at = $2, fan_out_by = $3 WHERE id = $1`, [b.id, now, this.origin]);
      const pushAt = pushableFrom(b.priority, now);
      const connected = pushAt <= now ? this.hub.connectedLearners() : [];
      const live = connected.length === 0 ? [] : await this.claimLive(tx, b, connected);
      // Delivered on commit to every process on this database (deliverNotified), for the mini apps open there.
      if (pushAt <= now) await tx.query('SELECT pg_notify($1, $2)', [LIVE_TIPS_CHANNEL, JSON.stringify({ broadcast: b.id, origin: this.origin })]);
      return { b, pushAt, live };
    });
    if (!claimed) return undefined;
    const { b, pushAt, live } = claimed;
    this.hub.push(live, tipOf(b));

    await this.db.transaction(async (tx) => {
      const [still] = await tx.query(`SELECT 1 FROM broadcasts WHERE id = $1 AND status = 'fanning_out' FOR UPDATE`, [b.id]);
      if (!still) return;
      await tx.query(
        `INSERT INTO broadcast_deliveries (broadcast_id, learner_id, next_attempt_at)
         SELECT $1, l.id, $6 FROM learners l WHERE ${this.audienceSql()}
         ORDER BY l.id
         ON CONFLICT DO NOTHING`,
        [...this.audienceParams(b), pushAt],
      );
      const [sent] = await tx.query<{ targeted: number }>(
        `UPDATE broadcasts SET status = 'sent', targeted = (SELECT count(*) FROM broadcast_deliveries WHERE broadcast_id = $1) WHERE id = $1
         RETURNING targeted`,
        [b.id],
      );
      this.opts.log?.info({ broadcast: b.id, targeted: sent?.targeted, live: live.length }, 'broadcast fanned out');
    });
    return b.id;
  }

  /** Who a broadcast is for, over learners l; parameters $1-$5 (audienceParams), so the caller's next is $6. */
  private audienceSql(): string {
    return `l.ward = ANY($2::text[])
      AND ($3::text IS NULL OR l.goal = $3
           OR EXISTS (SELECT 1 FROM learner_questions q WHERE q.learner_id = l.id AND q.lesson_id = ANY($4::text[]))
           OR EXISTS (SELECT 1 FROM lesson_progress p WHERE p.learner_id = l.id AND p.lesson_id = ANY($4::text[])))
      AND ($5::text IS NULL OR NOT EXISTS (
           SELECT 1 FROM lesson_progress p WHERE p.learner_id = l.id AND p.lesson_id = $5 AND p.completed_at IS NOT NULL))`;
  }

  private audienceParams(b: { id: string; wards: string[]; topic: Topic | null; unfinished_lesson: string | null }): unknown[] {
    const topicLessons = b.topic ? this.catalog.inTopic(b.topic).map((l) => l.id) : [];
    return [b.id, b.wards, b.topic, topicLessons, b.unfinished_lesson];
  }

  /** Pushes due rows through Zalo (or settles them when there is no channel); returns how many were settled. */
  async pushDue(): Promise<number> {
    const now = this.now();
    await this.db.query(
      `UPDATE broadcast_deliveries SET status = 'failed', last_error = 'interrupted'
       WHERE status = 'sending' AND next_attempt_at < $1`,
      [new Date(now.getTime() - CLAIM_LEASE_MS)],
    );
    const push = this.pushFunction();
    // Recipients no push can reach (no Zalo id, or no Zalo configured) are settled in one statement: the tip is in
    // their feed. Row by row, 100,000 of them would hold up every broadcast after this one.
    const unreachable = await this.db.query(
      `UPDATE broadcast_deliveries d SET status = 'unreachable'
       FROM learners l, broadcasts b
       WHERE d.learner_id = l.id AND b.id = d.broadcast_id AND d.status = 'pending' AND d.next_attempt_at <= $1
         AND b.status <> 'cancelled' AND b.expires_at > $1 AND (NOT $2 OR l.external_id NOT LIKE 'zalo:%')
       RETURNING 1`,
      [now, push !== undefined],
    );
    let settled = unreachable.length;
    // Each worker claims one row, pushes it and settles it, then takes the next: a slow push holds up only its
    // worker, and a crash fails (never repeats) only the pushes really in flight.
    const worker = async () => {
      for (;;) {
        // A broadcast created meanwhile ("send now") goes out between pushes, not after the whole queue.
        if (this.again) {
          this.again = false;
          while (await this.fanOutNext());
        }
        if (this.now().getTime() < this.pausedUntil) return;
        const [row] = await this.db.query<Claimed>(
          `UPDATE broadcast_deliveries d SET status = 'sending', attempts = d.attempts + 1, next_attempt_at = $1
           FROM (SELECT broadcast_id, learner_id FROM broadcast_deliveries
                 WHERE status = 'pending' AND next_attempt_at <= $1
                 ORDER BY next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED) c, broadcasts b, learners l
           WHERE d.broadcast_id = c.broadcast_id AND d.learner_id = c.learner_id AND b.id = d.broadcast_id AND l.id = d.learner_id
           RETURNING d.broadcast_id, d.learner_id, d.attempts, l.external_id, b.title, b.body, b.priority, b.lesson_id, b.send_at, b.expires_at, b.status`,
          [now],
        );
        if (!row) return;
        await this.settle(row, now);
        settled++;
      }
    };
    await Promise.all(Array.from({ length: this.opts.concurrency ?? DEFAULT_CONCURRENCY }, worker));
    return settled;
  }

  private pushFunction(): OutboxOptions['push'] {
    return this.opts.push ?? (this.opts.zalo ? (id, tip) => pushViaZalo(this.opts.zalo!, id, tip) : undefined);
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
    const push = this.pushFunction();
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
