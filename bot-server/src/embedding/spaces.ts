import pgvector from 'pgvector';
import type { Db } from '../db/index.js';
import type { Embedder } from './embedder.js';

export interface FillProgress {
  space: string;
  done: number;
  total: number;
}

/** Chunks that have no vector yet in this space. */
export async function countMissing(db: Db, space: string): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM lesson_chunks c
     WHERE NOT EXISTS (SELECT 1 FROM chunk_embeddings e WHERE e.chunk_id = c.id AND e.space = $1)`,
    [space],
  );
  return row?.n ?? 0;
}

/**
 * Gives every chunk a vector in the embedder's space, batch by batch, each batch in its own transaction: a crash
 * or a failing endpoint loses at most one batch, and the next run carries on where this one stopped. Searches keep
 * using whichever complete space they use until this one is complete.
 */
export async function fillSpace(
  db: Db,
  embedder: Embedder,
  opts: { batchSize?: number; onProgress?: (p: FillProgress) => void; signal?: AbortSignal } = {},
): Promise<number> {
  const batchSize = opts.batchSize ?? 64;
  const missing = await db.query<{ id: number; body: string }>(
    `SELECT c.id, c.body FROM lesson_chunks c
     WHERE NOT EXISTS (SELECT 1 FROM chunk_embeddings e WHERE e.chunk_id = c.id AND e.space = $1)
     ORDER BY c.id`,
    [embedder.space],
  );
  for (let i = 0; i < missing.length; i += batchSize) {
    if (opts.signal?.aborted) throw new Error('filling the embedding space was stopped');
    const batch = missing.slice(i, i + batchSize);
    const vectors = await embedder.embed(batch.map((m) => m.body));
    await db.transaction(async (tx) => {
      for (const [j, m] of batch.entries()) {
        // A chunk re-indexed meanwhile (lesson edited) is gone: its vector would have nothing to point at.
        await tx.query(
          `INSERT INTO chunk_embeddings (chunk_id, space, embedding)
           SELECT $1, $2, $3::vector WHERE EXISTS (SELECT 1 FROM lesson_chunks WHERE id = $1)
           ON CONFLICT (space, chunk_id) DO NOTHING`,
          [m.id, embedder.space, pgvector.toSql(vectors[j]!)],
        );
      }
    });
    opts.onProgress?.({ space: embedder.space, done: Math.min(i + batchSize, missing.length), total: missing.length });
  }
  return missing.length;
}
