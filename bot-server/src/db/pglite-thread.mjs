// The embedded database's own thread: PGlite runs Postgres compiled to WebAssembly, which would otherwise
// share the event loop with HTTP handling. Plain JavaScript so that any runner (tsx, vitest) can start it.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { vector } from '@electric-sql/pglite-pgvector';

function describeError(err) {
  const e = err instanceof Error ? err : new Error(String(err));
  return { message: e.message, name: e.name, code: e.code, detail: e.detail, hint: e.hint, position: e.position };
}

let pg;
const listeners = new Map();
try {
  pg = await PGlite.create(workerData.path, { extensions: { vector, unaccent, pg_trgm } });
  parentPort.postMessage({ ready: true });
} catch (err) {
  parentPort.postMessage({ ready: false, error: describeError(err) });
}

parentPort.on('message', async ({ id, op, sql, params }) => {
  try {
    if (op === 'query') {
      const result = await pg.query(sql, params);
      parentPort.postMessage({ id, rows: result.rows });
    } else if (op === 'exec') {
      await pg.exec(sql);
      parentPort.postMessage({ id });
    } else if (op === 'listen') {
      // Notifications cross to the main thread as messages without a request id.
      listeners.set(sql, await pg.listen(sql, (payload) => parentPort.postMessage({ notification: { channel: sql, payload } })));
      parentPort.postMessage({ id });
    } else if (op === 'unlisten') {
      await listeners.get(sql)?.();
      listeners.delete(sql);
      parentPort.postMessage({ id });
    } else if (op === 'close') {
      await pg.close();
      parentPort.postMessage({ id });
    } else {
      parentPort.postMessage({ id, error: { message: `unknown op ${op}` } });
    }
  } catch (err) {
    parentPort.postMessage({ id, error: describeError(err) });
  }
});
