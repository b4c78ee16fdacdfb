import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { vector } from '@electric-sql/pglite-pgvector';
import { lockDataDir } from './lock.js';
import type { Db, Queryable } from './types.js';

/** The embedded database: PGlite persisted under dataDir/pglite, locked against a second process. */
export async function openPglite(dataDir: string): Promise<Db> {
  const release = lockDataDir(dataDir);
  let pg: PGlite;
  try {
    pg = await PGlite.create(join(dataDir, 'pglite'), { extensions: { vector, unaccent, pg_trgm } });
  } catch (err) {
    release();
    throw err;
  }
  const wrap = (q: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    async query<T>(sql: string, params: unknown[] = []) {
      return (await q.query<T>(sql, params)).rows;
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  });
  let closing: Promise<void> | undefined;
  return {
    kind: 'pglite',
    ...wrap(pg),
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
    close() {
      closing ??= pg.close().finally(release);
      return closing;
    },
  };
}
