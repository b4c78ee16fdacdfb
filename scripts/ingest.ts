/**
 * npm run ingest: validate knowledge/ and bring the index in line with it (only changed lessons are re-indexed).
 * Uses the same DATA_DIR / DATABASE_URL as the server; stop the server first when it uses the embedded database.
 */
import { loadConfig } from '../bot-server/src/config.js';
import { openContext } from '../bot-server/src/context.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const started = performance.now();
  const ctx = await openContext(config, {
    onProgress: (p) => {
      const width = 30;
      const filled = Math.round((p.done / p.total) * width);
      process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.done}/${p.total} ${p.action.padEnd(9)} ${p.lessonId.padEnd(40)}`);
    },
  });
  process.stderr.write('\n');
  const r = ctx.ingest;
  console.log(
    `${ctx.catalog.lessons.length} lessons valid; indexed ${r.indexed.length} (${r.chunks} chunks, ${r.embedded} vectors), ` +
      `unchanged ${r.unchanged}, removed ${r.removed.length} in ${(r.ms / 1000).toFixed(2)} s ` +
      `(${ctx.db.kind}; total ${((performance.now() - started) / 1000).toFixed(2)} s)`,
  );
  if (r.indexed.length) console.log(`indexed: ${r.indexed.join(', ')}`);
  if (r.removed.length) console.log(`removed: ${r.removed.join(', ')}`);
  await ctx.close();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
