/**
 * npm run bench: speed figures for the offline pipeline on this machine, printed as a table.
 *   cold start   server process start to a healthy /health on an existing DATA_DIR (lessons already indexed)
 *   ingest       full indexing of knowledge/ into a fresh database, and a no-change re-run
 *   retrieval    one question through the whole pipeline in process (p50/p95 over the labelled questions)
 *   HTTP chat    POST /api/chat from 50 concurrent clients: saturated (autocannon), and at a steady 300 req/s
 *   mini app     first-screen JS and CSS (gzip), and on Chrome's "Slow 3G" the wait for the app and for an answer
 *   learners     recommendation for a learner with a full history among 100,000 seeded learners
 *   broadcast    a scam alert to 100,000 learners (outbox written) and to 5,000 open mini apps (WebSocket delivery)
 * Targets: cold start <= 3 s, p95 chat <= 50 ms, >= 300 answers/s (issue 2); first-screen JS <= 250 KB gzip,
 * first answer within 3 s of load on slow 3G (issue 4); recommendation <= 5 ms p95 (issue 5); outbox for 100,000
 * recipients <= 10 s and p95 delivery to 5,000 WebSocket clients <= 1 s (issue 6).
 * `npm run bench -- learners` (or chat, broadcast) runs one part only.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { loadConfig, REPO_ROOT } from '../bot-server/src/config.js';
import { openContext } from '../bot-server/src/context.js';
import { openDatabase } from '../bot-server/src/db/index.js';
import { ingestLessons } from '../bot-server/src/lessons/ingest.js';
import { loadLessons } from '../bot-server/src/lessons/load.js';
import { makeTempDir } from '../test/helpers.js';
import { launchChromium, SKIP_BROWSER } from '../test/browser.js';
import { measureBroadcast } from './lib/broadcast-bench.js';
import { measureRecommendations } from './lib/learners-bench.js';
import { measureStreaming } from './lib/llm-bench.js';
import { measureBundle, measureSlowNetwork } from './lib/mini-app-bench.js';
import { ensureMiniAppBuilt } from './lib/mini-app-build.js';
import { parseQuestions } from './lib/score.js';
import { percentile } from './lib/stats.js';

const PORT = 3917;
const rows: [string, string, string][] = [];
const record = (what: string, value: string, target = '') => {
  rows.push([what, value, target]);
  console.error(`  ${what}: ${value}`);
};


function questions(): string[] {
  const sets = [join(REPO_ROOT, 'test/eval/questions.jsonl'), resolve(REPO_ROOT, '../shared/eval/dev-questions.jsonl')];
  return sets.filter(existsSync).flatMap((p) => parseQuestions(readFileSync(p, 'utf8')).map((q) => q.question));
}

function startServer(dataDir: string, env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'bot-server/src/server.ts')], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: String(PORT), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '100000000', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function waitHealthy(timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const res = await fetch(`http://127.0.0.1:${PORT}/health`);
      if (res.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('server did not become healthy');
}

async function stopServer(child: ChildProcess): Promise<void> {
  await new Promise<void>((done) => {
    child.once('exit', () => done());
    child.kill('SIGINT');
  });
}

/**
 * Steady load: `clients` clients, staggered, each sending one request every clients/rate seconds (waiting
 * for its previous answer first), so the offered rate is even rather than in bursts.
 */
async function paced(bodies: string[], opts: { clients: number; rate: number; seconds: number }) {
  const latencies: number[] = [];
  let errors = 0;
  let ok = 0;
  const interval = (opts.clients / opts.rate) * 1000;
  const end = performance.now() + opts.seconds * 1000;
  let next = 0;
  const client = async (offset: number) => {
    let due = performance.now() + offset;
    while (due < end) {
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const body = bodies[next++ % bodies.length]!;
      const started = performance.now();
      try {
        const res = await fetch(`http://127.0.0.1:${PORT}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        await res.arrayBuffer();
        if (res.ok) ok++;
        else errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - started);
      due += interval;
    }
  };
  await Promise.all(Array.from({ length: opts.clients }, (_, i) => client((i * interval) / opts.clients)));
  return { rps: ok / opts.seconds, p50: percentile(latencies, 50), p95: percentile(latencies, 95), errors, ok };
}

async function load(bodies: string[], opts: { seconds: number }) {
  const latencies: number[] = [];
  let finish!: (r: autocannon.Result) => void;
  let fail!: (e: unknown) => void;
  const done = new Promise<autocannon.Result>((ok, ko) => ((finish = ok), (fail = ko)));
  const instance = autocannon({
    url: `http://127.0.0.1:${PORT}`,
    connections: 50,
    duration: opts.seconds,
    requests: bodies.map((body) => ({ method: 'POST', path: '/api/chat', headers: { 'content-type': 'application/json' }, body })),
  }, (err, result) => (err ? fail(err) : finish(result)));
  instance.on("response", (_client: unknown, _status: number, _bytes: number, ms: number) => latencies.push(ms));
  const result = await done;
  const ok = result['2xx'];
  return { rps: ok / opts.seconds, p50: percentile(latencies, 50), p95: percentile(latencies, 95), errors: result.non2xx + result.errors + result.timeouts, ok };
}

async function benchLearners(): Promise<void> {
  const population = 100_000;
  const r = await measureRecommendations(population);
  record(
    `seed ${population.toLocaleString('en')} learners (${r.rows.progressRows.toLocaleString('en')} progress rows, ${r.rows.questions.toLocaleString('en')} questions)`,
    `${r.seedSeconds.toFixed(1)} s`,
  );
  const ms = (v: number[]) => `${percentile(v, 50).toFixed(2)} / ${percentile(v, 95).toFixed(2)} ms`;
  record('recommendation, full history, 100k learners: DB reads + ranking, p50 / p95', ms(r.serviceMs), '<= 5 ms p95');
  record('recommendation, same, through HTTP (GET /api/recommendations, inject), p50 / p95', ms(r.httpMs));
  record('recommendation, ranking alone (51 lessons), p50 / p95', ms(r.rankingMs));
  record('officers\' dashboard, whole province (100k learners), median of 5', `${percentile(r.dashboardMs, 50).toFixed(0)} ms`);
}

async function benchBroadcast(): Promise<void> {
  const r = await measureBroadcast(100_000, 5000, PORT);
  record(`broadcast to ${r.recipients.toLocaleString('en')} recipients: outbox written (fan-out)`, `${r.enqueueSeconds.toFixed(2)} s`, '<= 10 s');
  record(
    `broadcast to ${r.clients.toLocaleString('en')} open mini apps (WebSocket): POST to tip on screen, p50 / p95 / max`,
    `${percentile(r.deliveryMs, 50).toFixed(0)} / ${percentile(r.deliveryMs, 95).toFixed(0)} / ${Math.max(0, ...r.deliveryMs).toFixed(0)} ms`,
    'p95 <= 1 s',
  );
  record('  WebSocket clients that got the tip', `${r.received} / ${r.clients}`, 'all');
}

async function main(): Promise<void> {
  const parts = process.argv.slice(2);
  const wants = (part: string) => parts.length === 0 || parts.includes(part);
  if (wants('chat')) await benchChat();
  if (wants('learners')) await benchLearners();
  if (wants('broadcast')) await benchBroadcast();
  printTable();
}

async function benchChat(): Promise<void> {
  const base = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const dir = makeTempDir('bhvs-bench-');
  const qs = questions();
  console.error(`bench: ${qs.length} labelled questions, data in ${dir.path}`);
  try {
    // Ingest: a fresh database (initdb counted apart), then a re-run that finds nothing changed.
    const lessons = loadLessons(base.knowledgeDir);
    let t = performance.now();
    const db = await openDatabase({ dataDir: dir.path });
    record('fresh embedded database (initdb + migrations)', `${((performance.now() - t) / 1000).toFixed(2)} s`);
    const full = await ingestLessons(db, lessons);
    record(`ingest ${lessons.length} lessons (${full.chunks} chunks)`, `${(full.ms / 1000).toFixed(2)} s`);
    const again = await ingestLessons(db, lessons);
    record('re-ingest, nothing changed', `${again.ms.toFixed(0)} ms`);
    await db.close();

    // Retrieval through the whole pipeline, in process, every question a full search.
    const ctx = await openContext({ ...base, dataDir: dir.path, retrievalCacheSize: 0 });
    for (const q of qs.slice(0, 20)) await ctx.assistant.reply(q);
    const times: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (const q of qs) {
        t = performance.now();
        await ctx.assistant.reply(q);
        times.push(performance.now() - t);
      }
    }
    record('answer one question in process, p50 / p95', `${percentile(times, 50).toFixed(1)} / ${percentile(times, 95).toFixed(1)} ms`);
    await ctx.close();

    // Cold start on the existing DATA_DIR.
    const starts: number[] = [];
    for (let i = 0; i < 3; i++) {
      t = performance.now();
      const child = startServer(dir.path);
      await waitHealthy();
      starts.push(performance.now() - t);
      await stopServer(child);
    }
    record('cold start, existing DATA_DIR (median of 3)', `${(percentile(starts, 50) / 1000).toFixed(2)} s`, '<= 3 s');

    // HTTP load from 50 clients: first with the retrieval cache off (every question costs a full search), then on
    // (the labelled questions repeat, as quick-reply chips and common questions do).
    const bodies = qs.map((message) => JSON.stringify({ message }));
    let errors = 0;
    for (const [label, cacheSize] of [['cache off', '0'], ['cache on, questions repeat', '5000']] as const) {
      const child = startServer(dir.path, { RETRIEVAL_CACHE_SIZE: cacheSize });
      await waitHealthy();
      await load(bodies, { seconds: 3 });
      const saturated = await load(bodies, { seconds: 10 });
      record(`HTTP chat, 50 clients, saturated (${label}): answers/s`, saturated.rps.toFixed(0), '>= 300');
      record(`HTTP chat, 50 clients, saturated (${label}): p50 / p95`, `${saturated.p50.toFixed(0)} / ${saturated.p95.toFixed(0)} ms`);
      const steady = await paced(bodies, { clients: 50, rate: 300, seconds: 10 });
      record(`HTTP chat, 50 clients, 300 req/s steady (${label}): answered/s`, steady.rps.toFixed(0));
      record(`HTTP chat, 50 clients, 300 req/s steady (${label}): p50 / p95`, `${steady.p50.toFixed(0)} / ${steady.p95.toFixed(0)} ms`, 'p95 <= 50 ms');
      errors += saturated.errors + steady.errors;
      await stopServer(child);
    }
    record('HTTP errors (non-2xx, errors, timeouts)', String(errors), '0');

    // A configured model: the first words reach the citizen while it is still writing.
    const streaming = await measureStreaming(qs.slice(0, 40));
    record(
      `LLM streaming (local model, 1 word / 50 ms), ${streaming.firstPieceMs.length} answers: model's first word to citizen's first piece, p50 / p95`,
      `${percentile(streaming.firstPieceMs, 50)} / ${percentile(streaming.firstPieceMs, 95)} ms`,
      '<= 1 s',
    );

    // The mini app as a phone gets it.
    ensureMiniAppBuilt({ quiet: true });
    const sizes = measureBundle();
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
    record('mini app first-screen JS (gzip)', kb(sizes.firstScreenJsGzip), '<= 250 KB');
    record('mini app first-screen CSS (gzip)', kb(sizes.firstScreenCssGzip));
    record('mini app JS loaded only inside Zalo (zmp-sdk, gzip)', kb(sizes.lazyJsGzip));
    if (SKIP_BROWSER) {
      record('slow 3G timings', 'skipped: no Chromium (set CHROMIUM_PATH)');
    } else {
      const child = startServer(dir.path);
      const browser = await launchChromium();
      try {
        await waitHealthy();
        const s = await measureSlowNetwork(browser, `http://127.0.0.1:${PORT}/`, 'cach chuyen tien qua dien thoai');
        const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
        record('slow 3G (400 kbit/s, 2 s latency): open to question box ready', sec(s.readyMs));
        record('slow 3G: tap "Gửi" to answer on screen', sec(s.answerMs), '<= 3 s');
        record('slow 3G, second visit (cached): open to ready / answer', `${sec(s.repeatReadyMs)} / ${sec(s.repeatAnswerMs)}`);
      } finally {
        await browser.close();
        await stopServer(child);
      }
    }
  } finally {
    dir.remove();
  }
}

function printTable(): void {
  const w = [Math.max(...rows.map((r) => r[0].length)), Math.max(...rows.map((r) => r[1].length)), 12];
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(w[i]!)).join(' | ')} |`;
  console.log(line(['measure', 'value', 'target']));
  console.log(`|${w.map((n) => '-'.repeat(n + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
