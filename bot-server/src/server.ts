import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { openContext } from './context.js';

/** Starts the bot server: opens the database, indexes changed lessons, listens; closes cleanly on Ctrl-C. */
async function main(): Promise<void> {
  const config = loadConfig();
  const started = performance.now();
  const ctx = await openContext(config);
  const app = await buildApp(ctx);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'closing');
    try {
      await app.close();
      process.exit(0);
    } catch (err) {
      app.log.error({ err }, 'close failed');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  app.log.info(
    {
      database: ctx.db.kind,
      lessons: ctx.catalog.lessons.length,
      indexed: ctx.ingest.indexed.length,
      removed: ctx.ingest.removed.length,
      readyMs: Math.round(performance.now() - started),
    },
    `ready: http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
