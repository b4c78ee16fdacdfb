/**
 * npm run soak [-- --sessions 2000 --minutes 10 --ask-every 10 --ramp 30]: the real server process under many
 * WebSocket sessions (a third signed in) asking questions for a long time. Prints a line per minute, then the error
 * count (target 0), latency p50/p95/p99 and the server's memory growth (target flat). Exits 1 when any error
 * occurred. Ctrl-C stops early and still reports.
 */
import { formatReport, formatWindow, runSoak, startSoakServer } from './lib/soak.js';

function option(name: string, fallback: number): number {
  const args = process.argv.slice(2);
  const at = args.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(args[at + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a positive number`);
  return value;
}

async function main(): Promise<void> {
  const sessions = Math.round(option('sessions', 2000));
  const minutes = option('minutes', 10);
  const askEverySeconds = option('ask-every', 10);
  const rampSeconds = Math.min(option('ramp', 30), minutes * 30);

  const server = await startSoakServer();
  console.error(
    `soak: ${sessions} sessions (a third signed in) over ${rampSeconds} s, a question every ~${askEverySeconds} s each ` +
      `(~${Math.round(sessions / askEverySeconds)}/s offered), ${minutes} min; server pid ${server.pid} (tsx ${server.launcherPid}) at ${server.base}`,
  );
  // The server is in its own process group, so Ctrl-C does not reach it: stop asking, report, then stop it.
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  let failed = true;
  try {
    const report = await runSoak(server, {
      sessions,
      durationMs: minutes * 60_000,
      rampMs: rampSeconds * 1000,
      askEveryMs: askEverySeconds * 1000,
      signedInShare: 1 / 3,
      timeoutMs: 10_000,
      sampleEveryMs: 10_000,
      windowMs: 60_000,
      onWindow: (w) => console.error(formatWindow(w)),
      signal: abort.signal,
    });
    const health = await fetch(`${server.base}/health`).then((r) => r.status, () => 0);
    console.log(formatReport(report));
    console.log(`\n/health after the run: ${health || 'unreachable'}`);
    if (server.problems.length > 0) console.log(`server warnings/errors (${server.problems.length}):\n${server.problems.slice(0, 20).join('\n')}`);
    failed = report.errors.total > 0 || health !== 200;
  } finally {
    const code = await server.stop();
    if (code !== 0) console.error(`server exited with ${code}`);
  }
  process.exit(failed ? 1 : 0);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
