/**
 * npm run reembed: gives every lesson chunk a vector in the configured embedding space (EMBEDDINGS_BASE_URL,
 * EMBEDDINGS_MODEL, EMBEDDINGS_DIM), in batches, carrying on from where an earlier run stopped. Servers keep
 * searching the space they use until this one is complete: with PostgreSQL (DATABASE_URL) run it beside them;
 * with the embedded database a server does the same by itself at start, so run this one with the server stopped.
 */
import { loadConfig } from '../bot-server/src/config.js';
import { configuredEmbedder } from '../bot-server/src/context.js';
import { openDatabase } from '../bot-server/src/db/index.js';
import { hashEmbedder } from '../bot-server/src/embedding/embedder.js';
import { countMissing, fillSpace } from '../bot-server/src/embedding/spaces.js';
import { ingestLessons } from '../bot-server/src/lessons/ingest.js';
import { loadLessons } from '../bot-server/src/lessons/load.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const embedder = configuredEmbedder(config);
  if (!embedder || !config.embeddings) {
    console.error('Set EMBEDDINGS_BASE_URL, EMBEDDINGS_MODEL and EMBEDDINGS_DIM (and EMBEDDINGS_API_KEY if the endpoint needs one).');
    process.exit(2);
  }
  const db = await openDatabase(config);
  try {
    // The chunks come from the lessons: index what changed first, as the server would.
    await ingestLessons(db, loadLessons(config.knowledgeDir), { embedder: hashEmbedder });
    const embedded = await fillSpace(db, embedder, {
      batchSize: config.embeddings.batchSize,
      onProgress: (p) => console.error(`  ${p.space}: ${p.done}/${p.total}`),
    });
    const missing = await countMissing(db, embedder.space);
    console.log(`${embedder.space}: ${embedded} chunk(s) embedded, ${missing === 0 ? 'complete' : `${missing} still missing`}`);
  } finally {
    await db.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
