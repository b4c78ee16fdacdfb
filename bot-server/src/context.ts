import { Assistant } from './answering/assistant.js';
import { type Areas, loadAreas } from './areas/areas.js';
import type { Config } from './config.js';
import { type Db, openDatabase } from './db/index.js';
import { type Embedder, hashEmbedder } from './embedding/embedder.js';
import { openAIEmbedder } from './embedding/openai.js';
import { fillSpace } from './embedding/spaces.js';
import { GroundedWriter } from './generation/writer.js';
import { LessonCatalog } from './lessons/catalog.js';
import { type IngestProgress, type IngestReport, ingestLessons } from './lessons/ingest.js';
import { loadLessons } from './lessons/load.js';
import { Learners } from './identity/learners.js';
import { unknownPlacementLessons } from './learning/placement.js';
import { LearningService } from './learning/service.js';
import { LiveHub } from './broadcast/live.js';
import { Outbox } from './broadcast/outbox.js';
import { Broadcasts } from './broadcast/service.js';
import { QuestionStats } from './dashboard/question-stats.js';
import { Dashboard } from './dashboard/service.js';
import { Roles } from './roles/roles.js';
import { Households } from './community/households.js';
import { Leaderboard } from './community/leaderboard.js';
import { Referrals } from './community/referrals.js';
import { Teams } from './community/teams.js';
import { ChatHistory } from './chat/history.js';
import { Scheduler } from './jobs/scheduler.js';
import { retentionJob } from './privacy/retention.js';

/** Everything a request needs, opened once per process: the server, the CLI and the benchmarks share it. */
export interface AppContext {
  config: Config;
  db: Db;
  catalog: LessonCatalog;
  areas: Areas;
  assistant: Assistant;
  learners: Learners;
  learning: LearningService;
  roles: Roles;
  broadcasts: Broadcasts;
  /** Open mini apps of this process, for live tips. */
  hub: LiveHub;
  /** Fans broadcasts out and pushes them (started by the server, driven by hand in tests). */
  outbox: Outbox;
  questionStats: QuestionStats;
  dashboard: Dashboard;
  teams: Teams;
  referrals: Referrals;
  households: Households;
  leaderboard: Leaderboard;
  history: ChatHistory;
  /** Periodic work done once across processes (retention purges). */
  scheduler: Scheduler;
  ingest: IngestReport;
  /**
   * Settles when the configured embedding space is complete and searched (resolves with its name), or when
   * filling it failed (rejects; searches stay in the hashing space). Resolves at once without one.
   */
  vectorSpaceReady: Promise<string>;
  close(): Promise<void>;
}

export function configuredEmbedder(config: Config): Embedder | undefined {
  return config.embeddings ? openAIEmbedder(config.embeddings, hashEmbedder) : undefined;
}

export async function openContext(
  config: Config,
  opts: { onProgress?: (p: IngestProgress) => void } = {},
): Promise<AppContext> {
  // Validate the lessons before touching the database: a broken lesson stops start-up with its file and field.
  const lessons = loadLessons(config.knowledgeDir);
  const areas = loadAreas(config.areasFile);
  const missing = unknownPlacementLessons((id) => lessons.some((l) => l.id === id));
  if (missing.length > 0) throw new Error(`The placement check names lessons that do not exist: ${missing.join(', ')}`);
  const db = await openDatabase(config);
  try {
    // The hashing space is always complete: it needs no network, so answers never wait for a remote model.
    const ingest = await ingestLessons(db, lessons, { embedder: hashEmbedder, onProgress: opts.onProgress });
    const catalog = new LessonCatalog(lessons);
    const writer = config.llm ? new GroundedWriter(config.llm) : undefined;
    const assistant = new Assistant(db, catalog, hashEmbedder, { cacheSize: config.retrievalCacheSize, writer });

    // A remote embedding space is filled in the background; the hashing space answers until it is complete.
    const remote = configuredEmbedder(config);
    const stop = new AbortController();
    let vectorSpaceReady: Promise<string> = Promise.resolve(hashEmbedder.space);
    if (remote) {
      vectorSpaceReady = fillSpace(db, remote, { batchSize: config.embeddings!.batchSize, signal: stop.signal }).then(() => {
        assistant.useEmbedder(remote);
        return remote.space;
      });
      // Observed here so that a failure is never an unhandled rejection; callers log it.
      vectorSpaceReady.catch(() => {});
    }
    const close = async () => {
      stop.abort();
      await vectorSpaceReady.catch(() => {});
      await db.close();
    };
    const learners = new Learners(db, config.sessionTtlMs);
    const learning = new LearningService(db, catalog);
    const hub = new LiveHub();
    return {
      config,
      db,
      catalog,
      areas,
      assistant,
      learners,
      learning,
      roles: new Roles(db, areas.wards),
      broadcasts: new Broadcasts(db),
      hub,
      outbox: new Outbox(db, catalog, hub, { zalo: config.zaloPush }),
      questionStats: new QuestionStats(db),
      dashboard: new Dashboard(db, catalog, areas),
      teams: new Teams(db),
      referrals: new Referrals(db, catalog, learners, learning),
      households: new Households(db, catalog),
      leaderboard: new Leaderboard(db, catalog),
      history: new ChatHistory(db),
      scheduler: new Scheduler(db, [retentionJob({ chatHistoryDays: config.chatHistoryDays })]),
      ingest,
      vectorSpaceReady,
      close,
    };
  } catch (err) {
    await db.close();
    throw err;
  }
}
