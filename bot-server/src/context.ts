import { Assistant } from './answering/assistant.js';
import { type Areas, loadAreas } from './areas/areas.js';
import type { Config } from './config.js';
import { type Db, openDatabase } from './db/index.js';
import { LessonCatalog } from './lessons/catalog.js';
import { hashEmbedder } from './embedding/embedder.js';
import { type IngestProgress, type IngestReport, ingestLessons } from './lessons/ingest.js';
import { loadLessons } from './lessons/load.js';

/** Everything a request needs, opened once per process: the server, the CLI and the benchmarks share it. */
export interface AppContext {
  config: Config;
  db: Db;
  catalog: LessonCatalog;
  areas: Areas;
  assistant: Assistant;
  ingest: IngestReport;
  close(): Promise<void>;
}

export async function openContext(
  config: Config,
  opts: { onProgress?: (p: IngestProgress) => void } = {},
): Promise<AppContext> {
  // Validate the lessons before touching the database: a broken lesson stops start-up with its file and field.
  const lessons = loadLessons(config.knowledgeDir);
  const areas = loadAreas(config.areasFile);
  const db = await openDatabase(config);
  try {
    const ingest = await ingestLessons(db, lessons, { embedder: hashEmbedder, onProgress: opts.onProgress });
    const catalog = new LessonCatalog(lessons);
    const assistant = new Assistant(db, catalog, hashEmbedder, { cacheSize: config.retrievalCacheSize });
    return { config, db, catalog, areas, assistant, ingest, close: () => db.close() };
  } catch (err) {
    await db.close();
    throw err;
  }
}
