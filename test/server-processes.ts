/**
 * Real processes for tests: the bot server (bot-server/src/server.ts) and the CLI scripts, each started through
 * tsx from node_modules/.bin in its own process group (detached), so that a test can kill the whole group with
 * SIGKILL: tsx runs the code in a child node process, and killing tsx alone would leave that child (and its
 * embedded database) alive. SIGINT and SIGTERM go to tsx only, which relays them and exits with the child's code.
 *
 * tsx is started directly rather than through `npx`: `npm exec` does not forward SIGINT to its child.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { trackChildren } from './helpers.js';

export const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const TSX = join(REPO, 'node_modules', '.bin', 'tsx');

/** A JSON log line of the server (pino). */
export interface LogLine {
  level: number;
  msg: string;
  pid?: number;
  [key: string]: unknown;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface TsxProcess {
  /** The tsx process; it leads the process group. */
  pid: number;
  stdout: () => string;
  stderr: () => string;
  /** The JSON lines of stdout, parsed (other lines skipped). */
  logs: () => LogLine[];
  /** SIGKILL kills the whole group (the real node process too); other signals go to tsx, which relays them. */
  kill: (signal: NodeJS.Signals) => Promise<Exit>;
  /** Settles when the process has exited and its output is closed (for a group, when every member is gone). */
  exited: Promise<Exit>;
  /**
   * Resolves as soon as the output satisfies `test` (checked on every chunk, so a test can act right after a given
   * line is written); rejects if the process ends first.
   */
  untilOutput: (test: (out: { stdout: string; stderr: string }) => boolean) => Promise<void>;
}

export interface ServerProcess extends TsxProcess {
  base: string;
  port: number;
}

const { running, killAll } = trackChildren<ChildProcessWithoutNullStreams>();

/** Kills (SIGKILL, whole group) every process this module started that is still running: for afterAll. */
export const killAllProcesses = killAll;

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/**
 * Waits until no process of the group exists any more, zombies included. Killing the group orphans the node
 * process under tsx; until init reaps it (in some containers only after a second or so) it is a zombie, which
 * kill(pid, 0) reports as alive, so the data directory's lock would still look held by it.
 */
async function groupReaped(pgid: number): Promise<void> {
  for (let waited = 0; ; waited += 50) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return;
    }
    if (waited > 30_000) throw new Error(`process group ${pgid} was killed but is still not reaped after 30 s (zombies?)`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Runs a TypeScript file of this repository (path relative to its root) with tsx. The environment is this
 * process's, minus DATABASE_URL (a test says which database it means), plus `env`.
 */
export function spawnTsx(script: string, env: NodeJS.ProcessEnv = {}, args: string[] = []): TsxProcess {
  const full: NodeJS.ProcessEnv = { ...process.env, ...env };
  if (!env.DATABASE_URL) delete full.DATABASE_URL;
  const child = spawn(TSX, [script, ...args], { cwd: REPO, env: full, detached: true });
  running.add(child);
  let out = '';
  let err = '';
  const watchers = new Set<() => void>();
  const changed = () => watchers.forEach((w) => w());
  child.stdout.setEncoding('utf8').on('data', (d: string) => ((out += d), changed()));
  child.stderr.setEncoding('utf8').on('data', (d: string) => ((err += d), changed()));
  let ended = false;
  const exited = new Promise<Exit>((r) =>
    child.on('close', (code, signal) => {
      running.delete(child);
      ended = true;
      changed();
      r({ code, signal });
    }),
  );
  const untilOutput: TsxProcess['untilOutput'] = (test) =>
    new Promise((resolve, reject) => {
      const check = () => {
        if (test({ stdout: out, stderr: err })) {
          watchers.delete(check);
          resolve();
        } else if (ended) {
          watchers.delete(check);
          reject(new Error(`${script} ended before the awaited output.\nstdout: ${out}\nstderr: ${err}`));
        }
      };
      watchers.add(check);
      check();
    });
  const logs = () =>
    out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as LogLine);
  const kill = async (signal: NodeJS.Signals) => {
    if (signal !== 'SIGKILL') {
      child.kill(signal);
      return exited;
    }
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      /* already gone */
    }
    const exit = await exited;
    await groupReaped(child.pid!);
    return exit;
  };
  return { pid: child.pid!, stdout: () => out, stderr: () => err, logs, kill, exited, untilOutput };
}

export interface ServerProcessOptions {
  /** Extra environment (wins over the defaults below). */
  env?: NodeJS.ProcessEnv;
  /** The embedded database's folder; also where the server's lock lives. Required unless databaseUrl is set. */
  dataDir?: string;
  /** PostgreSQL instead of the embedded database. */
  databaseUrl?: string;
  port?: number;
}

/**
 * Starts the server without waiting for it: for killing it during start-up. `ready` settles when /health
 * answers 200, and rejects with the output if the process exits first.
 */
export async function launchServerProcess(opts: ServerProcessOptions): Promise<ServerProcess & { ready: Promise<ServerProcess> }> {
  if (!opts.dataDir && !opts.databaseUrl) throw new Error('launchServerProcess: give dataDir or databaseUrl');
  const port = opts.port ?? (await freePort());
  const proc = spawnTsx('bot-server/src/server.ts', {
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'info',
    // A server under test is called by one address, many times: limits as in testConfig().
    RATE_LIMIT_PER_MINUTE: '100000',
    RATE_LIMIT_USER_PER_MINUTE: '100000',
    SIGN_IN_PER_MINUTE: '100000',
    WS_CONNECTIONS_PER_IP: '10000',
    // Without DATABASE_URL the database is in DATA_DIR; with it, DATA_DIR is unused but must not be ./data.
    DATA_DIR: opts.dataDir ?? join(REPO, 'test-results', 'unused-data-dir'),
    ...(opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl } : {}),
    ...opts.env,
  });
  const server: ServerProcess = { ...proc, base: `http://127.0.0.1:${port}`, port };
  const ready = (async () => {
    let gone = false;
    void proc.exited.then(() => (gone = true));
    for (;;) {
      if (gone) throw new Error(`server exited before it was ready.\nstdout: ${proc.stdout()}\nstderr: ${proc.stderr()}`);
      const res = await fetch(`${server.base}/health`).catch(() => undefined);
      if (res?.ok) return server;
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  // Observed here so that a test that kills the server before it is ready has no unhandled rejection.
  ready.catch(() => {});
  return { ...server, ready };
}

/** Starts the server and waits until /health answers. */
export async function startServerProcess(opts: ServerProcessOptions): Promise<ServerProcess> {
  return (await launchServerProcess(opts)).ready;
}
