import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseError, openPglite } from '../bot-server/src/db/pglite.js';
import type { Db } from '../bot-server/src/db/types.js';
import { makeTempDir } from './helpers.js';

/** The embedded database runs on its own thread; these check what that must not change. */
describe('PGlite on its worker thread', () => {
  let db: Db;
  let dir: ReturnType<typeof makeTempDir>;
  beforeAll(async () => {
    dir = makeTempDir('bhvs-thread-');
    db = await openPglite(dir.path);
    await db.exec('CREATE TABLE items (id integer PRIMARY KEY, name text NOT NULL)');
  });
  afterAll(async () => {
    await db?.close();
    dir?.remove();
  });

  it('keeps Postgres error codes (unique violation is 23505)', async () => {
    await db.query('INSERT INTO items VALUES (1, $1)', ['một']);
    const err = await db.query('INSERT INTO items VALUES (1, $1)', ['hai']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatabaseError);
    expect((err as DatabaseError).code).toBe('23505');
    expect(await db.query('SELECT name FROM items')).toEqual([{ name: 'một' }]);
  });

  it('a query asked for during a transaction waits for it and never runs inside it', async () => {
    let outside: Promise<{ n: number }[]> | undefined;
    const tx = db.transaction(async (t) => {
      await t.query('INSERT INTO items VALUES (2, $1)', ['hai']);
      outside = db.query<{ n: number }>('SELECT count(*)::int AS n FROM items');
      await new Promise((r) => setTimeout(r, 50));
      throw new Error('roll back');
    });
    await expect(tx).rejects.toThrow('roll back');
    // Had it run inside the transaction it would have counted the rolled-back row.
    expect(await outside).toEqual([{ n: 1 }]);
  });

  it('commits a transaction that succeeds', async () => {
    const value = await db.transaction(async (t) => {
      await t.query('INSERT INTO items VALUES (3, $1)', ['ba']);
      return 'ok';
    });
    expect(value).toBe('ok');
    expect(await db.query('SELECT id FROM items ORDER BY id')).toEqual([{ id: 1 }, { id: 3 }]);
  });

  it('fails cleanly after close', async () => {
    const other = makeTempDir('bhvs-thread-');
    const d = await openPglite(other.path);
    await d.close();
    await expect(d.query('SELECT 1')).rejects.toThrow();
    other.remove();
  });
});
