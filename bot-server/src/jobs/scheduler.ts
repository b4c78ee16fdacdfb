import type { Db, Queryable } from '../db/index.js';

export interface Job {
  name: string;
  /** The period a run belongs to (e.g. the UTC hour): at most one run per period, across all processes. */
  periodOf: (now: Date) => string;
  /** The work, inside the transaction that records the run; returns a summary kept with the run. */
  run: (tx: Queryable, now: Date) => Promise<Record<string, unknown>>;
}

export const hourOf = (now: Date) => now.toISOString().slice(0, 13);

export interface JobRun {
  job: string;
  period: string;
  detail: Record<string, unknown>;
}

/**
 * Runs periodic jobs once per period however many server processes share the database. The run's row and its
 * work commit together: a second process inserting the same (job, period) waits on the first's transaction and
 * then finds the row; a process that dies mid-run leaves nothing, and the next check does the work.
 */
export class Scheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly db: Db,
    private readonly jobs: Job[],
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Runs every job whose period has not run yet; returns the runs this process did. */
  async runDue(): Promise<JobRun[]> {
    const done: JobRun[] = [];
    for (const job of this.jobs) {
      const now = this.now();
      const period = job.periodOf(now);
      const run = await this.db.transaction(async (tx) => {
        const claimed = await tx.query(
          `INSERT INTO scheduled_runs (job, period) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1`,
          [job.name, period],
        );
        if (claimed.length === 0) return undefined;
        const detail = await job.run(tx, now);
        await tx.query(`UPDATE scheduled_runs SET detail = $3 WHERE job = $1 AND period = $2`, [job.name, period, JSON.stringify(detail)]);
        return { job: job.name, period, detail };
      });
      if (run) done.push(run);
    }
    return done;
  }

  /** Checks for due jobs every `intervalMs` until stop(); a second start is ignored. */
  start(intervalMs: number, log?: { warn: (obj: object, msg: string) => void; info: (obj: object, msg: string) => void }): void {
    if (this.timer) return;
    const tick = () => {
      this.running = this.runDue()
        .then((runs) => runs.forEach((r) => log?.info({ job: r.job, period: r.period, ...r.detail }, 'scheduled job ran')))
        .catch((err: Error) => log?.warn({ err: err.message }, 'scheduled jobs failed'))
        .finally(() => {
          this.running = undefined;
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
}
