import pg from 'pg';
import type { Db, Queryable } from './types.js';

/** After a lost listening connection, how long to wait before listening again. */
const RELISTEN_DELAY_MS = 1000;

/**
 * One connection outside the pool that LISTENs for every channel asked for. If it drops (a database restart, a
 * network cut), it reconnects and listens again; notifications sent meanwhile are lost, which callers accept
 * (live tips are a fast path: the feed and Zalo are the durable ones).
 */
function notificationListener(connectionString: string) {
  const channels = new Map<string, Set<(payload: string) => void>>();
  let client: pg.Client | undefined;
  let connecting: Promise<pg.Client> | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const quote = (channel: string) => `"${channel.replace(/"/g, '""')}"`;
  const connect = (): Promise<pg.Client> => {
    connecting ??= (async () => {
      const c = new pg.Client({ connectionString });
      c.on('notification', (n) => {
        for (const handler of channels.get(n.channel) ?? []) handler(n.payload ?? '');
      });
      const lost = () => {
        if (client !== c) return;
        client = undefined;
        connecting = undefined;
        if (!closed && channels.size > 0) retry = setTimeout(() => void connect().catch(lost), RELISTEN_DELAY_MS);
      };
      c.on('error', lost);
      c.on('end', lost);
      await c.connect();
      for (const channel of channels.keys()) await c.query(`LISTEN ${quote(channel)}`);
      client = c;
      return c;
    })().catch((err: Error) => {
      connecting = undefined;
      throw err;
    });
    return connecting;
  };

  return {
    async listen(channel: string, onPayload: (payload: string) => void) {
      let handlers = channels.get(channel);
      const isNew = !handlers;
      if (!handlers) channels.set(channel, (handlers = new Set()));
      handlers.add(onPayload);
      if (isNew) {
        try {
          const c = client ?? (await connect());
          // A fresh connection listened to every channel already; an existing one needs this one added.
          await c.query(`LISTEN ${quote(channel)}`);
        } catch (err) {
          // Not listening: forget the handler, so that the caller's retry starts clean.
          handlers.delete(onPayload);
          if (handlers.size === 0) channels.delete(channel);
          throw err;
        }
      }
      return async () => {
        handlers.delete(onPayload);
        if (handlers.size === 0 && channels.get(channel) === handlers) {
          channels.delete(channel);
          await client?.query(`UNLISTEN ${quote(channel)}`).catch(() => {});
        }
      };
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      const c = client;
      client = undefined;
      await c?.end().catch(() => {});
    },
  };
}

/** The production path: PostgreSQL with pgvector through a pg pool. */
export async function openPostgres(connectionString: string, poolSize = 10): Promise<Db> {
  const pool = new pg.Pool({ connectionString, max: poolSize });
  // An idle client's network error would otherwise crash the process.
  pool.on('error', () => {});
  await pool.query('SELECT 1');
  const listener = notificationListener(connectionString);
  const wrap = (c: pg.Pool | pg.PoolClient): Queryable => ({
    async query<T>(sql: string, params: unknown[] = []) {
      return (await c.query(sql, params)).rows as T[];
    },
    async exec(sql: string) {
      await c.query(sql);
    },
  });
  let closing: Promise<void> | undefined;
  return {
    kind: 'postgres',
    ...wrap(pool),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    listen: (channel, onPayload) => listener.listen(channel, onPayload),
    close() {
      closing ??= Promise.all([listener.close(), pool.end()]).then(() => undefined);
      return closing;
    },
  };
}
