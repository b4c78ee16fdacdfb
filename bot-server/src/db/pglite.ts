import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { lockDataDir } from './lock.js';
import type { Db, Queryable } from './types.js';

interface Reply {
  id?: number;
  ready?: boolean;
  notification?: { channel: string; payload: string };
  rows?: unknown[];
  error?: { message: string; name?: string; code?: string; detail?: string; hint?: string };
}

/** An error from the database thread, with Postgres' SQLSTATE code and detail kept. */
export class DatabaseError extends Error {
  code?: string;
  detail?: string;
  hint?: string;
  constructor(e: NonNullable<Reply['error']>) {
    super(e.message);
    this.name = 'DatabaseError';
    this.code = e.code;
    this.detail = e.detail;
    this.hint = e.hint;
  }
}

/**
 * The embedded database: PGlite persisted under dataDir/pglite, locked against a second process, running on
 * its own worker thread so that SQL (WebAssembly) and HTTP handling use both cores.
 * PGlite has one connection: while a transaction is open, other queries wait for it to end.
 */
export async function openPglite(dataDir: string): Promise<Db> {
  const release = lockDataDir(dataDir);
  const worker = new Worker(new URL('./pglite-thread.mjs', import.meta.url), {
    workerData: { path: join(dataDir, 'pglite') },
  });
  const pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let failure: Error | undefined;

  try {
    await new Promise<void>((resolve, reject) => {
      worker.once('message', (m: Reply) => (m.ready ? resolve() : reject(new DatabaseError(m.error!))));
      worker.once('error', reject);
    });
  } catch (err) {
    await worker.terminate();
    release();
    throw err;
  }
  const channels = new Map<string, Set<(payload: string) => void>>();
  worker.on('message', (m: Reply) => {
    if (m.notification) {
      for (const handler of channels.get(m.notification.channel) ?? []) handler(m.notification.payload);
      return;
    }
    const p = m.id === undefined ? undefined : pending.get(m.id);
    if (!p) return;
    pending.delete(m.id!);
    if (m.error) p.reject(new DatabaseError(m.error));
    else p.resolve(m);
  });
  const failAll = (err: Error) => {
    failure = err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`database thread exited (code ${code})`)));

  const send = (op: 'query' | 'exec' | 'close' | 'listen' | 'unlisten', sql?: string, params?: unknown[]): Promise<Reply> => {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, op, sql, params });
    });
  };
  const direct: Queryable = {
    async query<T>(sql: string, params: unknown[] = []) {
      return (await send('query', sql, params)).rows as T[];
    },
    async exec(sql: string) {
      await send('exec', sql);
    },
  };

  // Messages reach the thread in order, so a query sent before BEGIN finishes before it; queries asked for
  // during a transaction wait here until it ends, so they never run inside it.
  let openTransaction: Promise<void> | undefined;
  const afterTransactions = async () => {
    while (openTransaction) await openTransaction;
  };

  let closing: Promise<void> | undefined;
  return {
    kind: 'pglite',
    async query<T>(sql: string, params: unknown[] = []) {
      await afterTransactions();
      return direct.query<T>(sql, params);
    },
    async exec(sql: string) {
      await afterTransactions();
      return direct.exec(sql);
    },
    async transaction(fn) {
      await afterTransactions();
      let done!: () => void;
      openTransaction = new Promise((r) => (done = r));
      try {
        await direct.exec('BEGIN');
        try {
          const result = await fn(direct);
          await direct.exec('COMMIT');
          return result;
        } catch (err) {
          await direct.exec('ROLLBACK').catch(() => {});
          throw err;
        }
      } finally {
        openTransaction = undefined;
        done();
      }
    },
    async listen(channel, onPayload) {
      let handlers = channels.get(channel);
      if (!handlers) {
        channels.set(channel, (handlers = new Set()));
        // LISTEN inside someone else's open transaction would be undone by its rollback.
        await afterTransactions();
        await send('listen', channel);
      }
      handlers.add(onPayload);
      return async () => {
        handlers.delete(onPayload);
        if (handlers.size === 0 && channels.get(channel) === handlers) {
          channels.delete(channel);
          if (!failure && !closing) await send('unlisten', channel);
        }
      };
    },
    close() {
      closing ??= (async () => {
        try {
          await afterTransactions();
          if (!failure) await send('close');
        } finally {
          await worker.terminate();
          release();
        }
      })();
      return closing;
    },
  };
}
