/**
 * The soak test (npm run soak, and a shorter run in test/soak.test.ts): the real server in its own process, many
 * WebSocket sessions (some signed in) asking questions for a long time, and what it costs: errors, latency, and the
 * server process's memory over time.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import WebSocket from 'ws';
import { REPO_ROOT } from '../../bot-server/src/config.js';
import { makeTempDir } from '../../test/helpers.js';
import { parseQuestions } from './score.js';
import { percentile } from './stats.js';

/** Every client is 127.0.0.1, so the per-address limits (meant for a ward's Wi-Fi) must not be what is measured. */
const UNLIMITED = '100000000';
const TSX = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
const MB = 1024 * 1024;

export interface SoakServer {
  base: string;
  port: number;
  /** tsx's pid (the process group we started). */
  launcherPid: number;
  /** The node process that serves: tsx's child, whose memory and CPU are sampled. */
  pid: number;
  /** Warn-or-worse lines the server printed (at most the first 200). */
  problems: string[];
  /** Whether the server process has exited. */
  exited: () => boolean;
  /** SIGINT (a clean stop), SIGKILL to the group after 15 s; removes the DATA_DIR. Resolves to the exit code. */
  stop: () => Promise<number | null>;
}

export interface SoakOptions {
  sessions: number;
  /** The whole run, ramp-up included. */
  durationMs: number;
  /** Sessions open evenly over this time. */
  rampMs: number;
  /** Mean time between one session's questions; each wait is drawn from 0.5 to 1.5 times it. */
  askEveryMs: number;
  /** Share of sessions that sign in (POST /api/session/dev, then an 'auth' frame). */
  signedInShare: number;
  /** A question unanswered for longer is an error (and so is a connection not open by then). */
  timeoutMs: number;
  /** How often the server's memory is read. */
  sampleEveryMs: number;
  /** The period of the progress lines (a minute for the script). */
  windowMs: number;
  onWindow?: (w: WindowStats) => void;
  /** Stops asking early (Ctrl-C); the report covers what ran. */
  signal?: AbortSignal;
}

export interface WindowStats {
  index: number;
  /** Seconds since the first session opened, at the window's end. */
  endS: number;
  sent: number;
  replies: number;
  errors: number;
  /** Questions per second sent in this window. */
  rate: number;
  p50: number;
  p95: number;
  p99: number;
  openSessions: number;
  rssMb: number;
  /** CPU use over the window (100 = one core). */
  cpu: CpuUse;
  /** This process's event-loop delay, p99: high means the load generator, not the server, was late. */
  loopDelayP99Ms: number;
}

export interface MemorySample {
  /** Seconds since the first session opened. */
  t: number;
  rssMb: number;
}

export interface SoakErrors {
  /** Error frames by code. */
  frames: Record<string, number>;
  timeouts: number;
  /** Sockets the server closed (or that broke) while we still used them. */
  closes: number;
  connectFailures: number;
  signInFailures: number;
  /** 'auth' frames answered with ok: false. */
  authRefused: number;
  total: number;
}

export interface SoakReport {
  options: Omit<SoakOptions, 'onWindow' | 'signal'>;
  elapsedS: number;
  aborted: boolean;
  sessions: { planned: number; signedIn: number; opened: number; openAtEnd: number };
  sent: number;
  replies: number;
  /** Replies that came after their question had timed out (already counted as timeouts). */
  late: number;
  /** Questions still waiting when the run ended (after waiting up to the timeout). */
  unanswered: number;
  errors: SoakErrors;
  /** All errors over questions sent. */
  errorRate: number;
  kinds: Record<string, number>;
  latencyMs: Latency;
  /** Signed-in questions also check the session and record the question in the database. */
  latencyBySession: { signedIn: Latency; anonymous: Latency };
  /** Questions per second over the whole run, and after the ramp-up. */
  rate: { overall: number; afterRamp: number };
  windows: WindowStats[];
  memory: MemoryGrowth & { samples: MemorySample[] };
  cpu: CpuUse;
  loopDelayP99Ms: number;
}

/** CPU use, 100 = one core: the server, this load generator, and everything else on the (shared) machine. */
export interface CpuUse {
  server: number;
  generator: number;
  others: number;
  cores: number;
}

export interface Latency {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface MemoryGrowth {
  /** Median RSS over 20–30 % of the run (minute 2–3 of 10): after warm-up. */
  warmMedianMb: number;
  /** Median RSS over the last 20 % (the last 2 minutes of 10). */
  lastMedianMb: number;
  growthMb: number;
  growthPct: number;
  /** Least-squares slope over the samples from 20 % of the run on, MB per minute. */
  slopeMbPerMin: number;
  peakMb: number;
}

/**
 * ~30 realistic questions: labelled ones (test/eval) that expect an answer, half typed with diacritics and half
 * without, taken in turn from each topic so that every part of the knowledge base is asked about.
 */
export function soakQuestions(count = 30): string[] {
  const labelled = parseQuestions(readFileSync(join(REPO_ROOT, 'test/eval/questions.jsonl'), 'utf8')).filter((q) => q.expect.kind === 'answer');
  const byTopic = new Map<string, string[]>();
  for (const q of labelled) {
    const list = byTopic.get(q.expect.topic ?? '') ?? [];
    list.push(q.question);
    byTopic.set(q.expect.topic ?? '', list);
  }
  const pick = (accented: boolean, n: number) => {
    const pools = [...byTopic.values()].map((qs) => qs.filter((q) => /[^\x00-\x7f]/.test(q) === accented));
    const out: string[] = [];
    for (let round = 0; out.length < n && pools.some((p) => p.length > round); round++) {
      for (const pool of pools) if (pool[round] && out.length < n) out.push(pool[round]!);
    }
    return out;
  };
  return [...pick(true, Math.ceil(count / 2)), ...pick(false, Math.floor(count / 2))];
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** VmRSS of a process, in MB (undefined once it has gone). */
export function readRssMb(pid: number): number | undefined {
  try {
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : (Number(kb) * 1024) / MB;
  } catch {
    return undefined;
  }
}

/** Fields of /proc/<pid>/stat after the command name (which may hold spaces): [0] is the state, [1] the parent. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

export function parentOf(pid: number): number | undefined {
  const f = statFields(pid);
  return f ? Number(f[1]) : undefined;
}

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** User + system CPU seconds of a process, all its threads (the database worker included). */
function cpuSeconds(pid: number): number {
  const f = statFields(pid);
  return f ? (Number(f[11]) + Number(f[12])) / CLOCK_TICKS : 0;
}

/** Busy CPU seconds of the whole machine (all but idle and iowait), from /proc/stat. */
function machineBusySeconds(): number {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = cpu.slice(0, 8).reduce((a, v) => a + v, 0);
  return (total - cpu[3]! - cpu[4]!) / CLOCK_TICKS;
}

interface CpuMark {
  at: number;
  server: number;
  generator: number;
  machine: number;
}

function markCpu(pid: number): CpuMark {
  const own = process.cpuUsage();
  return { at: performance.now(), server: cpuSeconds(pid), generator: (own.user + own.system) / 1e6, machine: machineBusySeconds() };
}

function cpuBetween(a: CpuMark, b: CpuMark): CpuUse {
  const pct = (sec: number) => (sec / Math.max(1e-9, (b.at - a.at) / 1000)) * 100;
  const server = pct(b.server - a.server);
  const generator = pct(b.generator - a.generator);
  return { server, generator, others: Math.max(0, pct(b.machine - a.machine) - server - generator), cores: availableParallelism() };
}

/**
 * Starts bot-server/src/server.ts through tsx (as `npm start` does) on a free port and a fresh DATA_DIR, with the
 * per-address limits out of the way, and waits for /health.
 */
export async function startSoakServer(): Promise<SoakServer> {
  const dir = makeTempDir('bhvs-soak-');
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dir.path,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: UNLIMITED,
    SIGN_IN_PER_MINUTE: UNLIMITED,
    WS_CONNECTIONS_PER_IP: UNLIMITED,
    WS_MAX_CONNECTIONS: UNLIMITED,
  };
  delete env.DATABASE_URL; // the embedded database in DATA_DIR, whatever the shell has set
  // Its own process group, so that stopping it also stops the node process tsx started.
  const child: ChildProcess = spawn(TSX, ['bot-server/src/server.ts'], { cwd: REPO_ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const problems: string[] = [];
  const keep = (line: string) => {
    if (!line.trim() || problems.length >= 200) return;
    // pino: 40 = warn. Anything on stderr counts too.
    const level = line.startsWith('{') ? (JSON.parse(line) as { level?: number }).level ?? 0 : 50;
    if (level >= 40) problems.push(line.slice(0, 1000));
  };
  for (const stream of [child.stdout!, child.stderr!]) {
    let rest = '';
    stream.setEncoding('utf8').on('data', (d: string) => {
      const lines = (rest + d).split('\n');
      rest = lines.pop()!;
      lines.forEach(keep);
    });
  }
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r((exitCode = code))));
  const killGroup = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      /* already gone */
    }
  };
  const stop = async () => {
    if (exitCode === undefined) {
      child.kill('SIGINT'); // tsx relays it to the server, which closes cleanly
      const timer = setTimeout(killGroup, 15_000);
      await exited;
      clearTimeout(timer);
    }
    dir.remove();
    return exitCode ?? null;
  };

  try {
    const base = `http://127.0.0.1:${port}`;
    const until = Date.now() + 120_000;
    for (;;) {
      if (exitCode !== undefined) throw new Error(`server exited (${exitCode}) before it was healthy:\n${problems.join('\n')}`);
      if (Date.now() > until) throw new Error('server did not become healthy within 120 s');
      const res = await fetch(`${base}/health`).catch(() => undefined);
      if (res?.ok) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    // The server writes its own pid into DATA_DIR's lock: that is the process to sample, not tsx.
    const lock = join(dir.path, 'server.lock');
    const pid = existsSync(lock) ? Number(readFileSync(lock, 'utf8')) : NaN;
    if (!Number.isInteger(pid) || readRssMb(pid) === undefined) throw new Error(`no serving process found (lock: ${pid})`);
    return { base, port, launcherPid: child.pid!, pid, problems, exited: () => exitCode !== undefined, stop };
  } catch (err) {
    killGroup();
    await exited;
    dir.remove();
    throw err;
  }
}

const median = (v: number[]) => percentile(v, 50);
const latencyOf = (v: number[]): Latency => ({ p50: percentile(v, 50), p95: percentile(v, 95), p99: percentile(v, 99), max: Math.max(0, ...v) });

/** Growth between the warm-up window and the end, and the trend in between (see MemoryGrowth). */
export function memoryGrowth(samples: MemorySample[], durationS: number): MemoryGrowth {
  const within = (from: number, to: number) => samples.filter((s) => s.t >= from * durationS && s.t < to * durationS).map((s) => s.rssMb);
  const warm = within(0.2, 0.3);
  const last = within(0.8, 1.01);
  const warmMedianMb = median(warm);
  const lastMedianMb = median(last);
  const after = samples.filter((s) => s.t >= 0.2 * durationS);
  const mt = after.reduce((a, s) => a + s.t, 0) / (after.length || 1);
  const mr = after.reduce((a, s) => a + s.rssMb, 0) / (after.length || 1);
  const sxx = after.reduce((a, s) => a + (s.t - mt) ** 2, 0);
  const sxy = after.reduce((a, s) => a + (s.t - mt) * (s.rssMb - mr), 0);
  return {
    warmMedianMb,
    lastMedianMb,
    growthMb: lastMedianMb - warmMedianMb,
    growthPct: warmMedianMb ? ((lastMedianMb - warmMedianMb) / warmMedianMb) * 100 : 0,
    slopeMbPerMin: sxx ? (sxy / sxx) * 60 : 0,
    peakMb: Math.max(0, ...samples.map((s) => s.rssMb)),
  };
}

interface Session {
  index: number;
  signedIn: boolean;
  ws?: WebSocket;
  opened: boolean;
  closedByUs: boolean;
  nextId: number;
  pending?: { id: number; sentAt: number };
  /** Ids of questions that timed out, so that their late replies are recognised. */
  timedOut: Set<number>;
  timer?: NodeJS.Timeout;
}

interface Window {
  sent: number;
  replies: number;
  errors: number;
  latencies: number[];
}

/**
 * Opens the sessions over the ramp-up, lets each ask a question, wait for the answer and ask again after a jittered
 * pause, until the time is up; then waits for the last answers and checks which sessions are still open.
 */
export async function runSoak(server: SoakServer, options: SoakOptions): Promise<SoakReport> {
  const { sessions: count, durationMs, rampMs, askEveryMs, timeoutMs, signal } = options;
  const questions = soakQuestions();
  const wsUrl = `ws://127.0.0.1:${server.port}/ws`;
  const errors: SoakErrors = { frames: {}, timeouts: 0, closes: 0, connectFailures: 0, signInFailures: 0, authRefused: 0, total: 0 };
  const kinds: Record<string, number> = {};
  const latencies: number[] = [];
  const signedInLatencies: number[] = [];
  const anonymousLatencies: number[] = [];
  const windows: Window[] = [];
  const samples: MemorySample[] = [];
  let sent = 0;
  let sentAfterRamp = 0;
  let replies = 0;
  let late = 0;

  const t0 = performance.now();
  const now = () => performance.now() - t0;
  let asking = true;
  const windowOf = (t = now()) => (windows[Math.floor(t / options.windowMs)] ??= { sent: 0, replies: 0, errors: 0, latencies: [] });
  const fail = (kind: Exclude<keyof SoakErrors, 'frames' | 'total'> | { code: string }) => {
    if (typeof kind === 'object') errors.frames[kind.code] = (errors.frames[kind.code] ?? 0) + 1;
    else errors[kind]++;
    errors.total++;
    windowOf().errors++;
  };

  const sessions: Session[] = Array.from({ length: count }, (_, index) => ({
    index,
    // Every third session is signed in, spread evenly over the ramp-up.
    signedIn: Math.floor((index + 1) * options.signedInShare) > Math.floor(index * options.signedInShare),
    opened: false,
    closedByUs: false,
    nextId: 0,
    timedOut: new Set(),
  }));

  const scheduleAsk = (s: Session, delay: number) => {
    clearTimeout(s.timer);
    s.timer = setTimeout(() => ask(s), Math.max(0, delay));
  };
  const ask = (s: Session) => {
    if (!asking || s.pending || s.ws?.readyState !== WebSocket.OPEN) return;
    const id = ++s.nextId;
    s.pending = { id, sentAt: now() };
    s.ws.send(JSON.stringify({ type: 'chat', id, message: questions[Math.floor(Math.random() * questions.length)] }));
    sent++;
    if (s.pending.sentAt >= rampMs) sentAfterRamp++;
    windowOf().sent++;
  };
  const askAgain = (s: Session, sentAt: number) => scheduleAsk(s, sentAt + askEveryMs * (0.5 + Math.random()) - now());

  const onFrame = (s: Session, data: WebSocket.RawData) => {
    const frame = JSON.parse(data.toString()) as { type: string; id?: unknown; ok?: boolean; kind?: string; code?: string };
    if (frame.type === 'auth') {
      if (!frame.ok) return fail('authRefused');
      if (frame.id === 'auth') scheduleAsk(s, Math.random() * askEveryMs);
      return;
    }
    if (frame.type !== 'reply' && frame.type !== 'error') return; // delta, tip, pong
    const p = s.pending;
    // The per-socket limit's error frame carries no id; with one question outstanding, it is about that one.
    const forPending = p && (frame.id === p.id || (frame.type === 'error' && frame.id === undefined));
    if (!forPending) {
      if (typeof frame.id === 'number' && s.timedOut.delete(frame.id)) late++;
      else if (frame.type === 'error') fail({ code: frame.code ?? 'UNKNOWN' });
      return;
    }
    s.pending = undefined;
    if (frame.type === 'error') fail({ code: frame.code ?? 'UNKNOWN' });
    else {
      const ms = now() - p.sentAt;
      latencies.push(ms);
      (s.signedIn ? signedInLatencies : anonymousLatencies).push(ms);
      const w = windowOf();
      w.replies++;
      w.latencies.push(ms);
      replies++;
      kinds[frame.kind ?? '?'] = (kinds[frame.kind ?? '?'] ?? 0) + 1;
    }
    askAgain(s, p.sentAt);
  };

  const open = async (s: Session) => {
    if (!asking) return;
    let token: string | undefined;
    if (s.signedIn) {
      try {
        const res = await fetch(`${server.base}/api/session/dev`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ deviceId: `dev-soak${String(s.index).padStart(6, '0')}` }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (!res.ok) throw new Error(String(res.status));
        token = ((await res.json()) as { token: string }).token;
      } catch {
        return fail('signInFailures');
      }
    }
    const ws = new WebSocket(wsUrl, { handshakeTimeout: timeoutMs });
    s.ws = ws;
    ws.on('open', () => {
      s.opened = true;
      // Questions wait for the session check, as a signed-in mini app's do.
      if (token) ws.send(JSON.stringify({ type: 'auth', id: 'auth', token }));
      else scheduleAsk(s, Math.random() * askEveryMs);
    });
    ws.on('message', (data) => onFrame(s, data));
    ws.on('error', () => {}); // followed by 'close', where it is counted
    ws.on('close', () => {
      clearTimeout(s.timer);
      s.pending = undefined;
      if (!s.closedByUs) fail(s.opened ? 'closes' : 'connectFailures');
    });
  };

  const sweep = setInterval(() => {
    const t = now();
    for (const s of sessions) {
      if (s.pending && t - s.pending.sentAt > timeoutMs) {
        s.timedOut.add(s.pending.id);
        const { sentAt } = s.pending;
        s.pending = undefined;
        fail('timeouts');
        askAgain(s, sentAt);
      }
    }
  }, 250);

  const sample = () => {
    const rss = readRssMb(server.pid);
    if (rss !== undefined) samples.push({ t: now() / 1000, rssMb: rss });
  };
  sample();
  const sampler = setInterval(sample, options.sampleEveryMs);

  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  const wholeRunDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  wholeRunDelay.enable();
  const cpuAtStart = markCpu(server.pid);
  let cpuMark = cpuAtStart;
  const windowStats: WindowStats[] = [];
  const closeWindow = (index: number, endMs: number, lengthMs: number) => {
    const w = windows[index] ?? { sent: 0, replies: 0, errors: 0, latencies: [] };
    const cpu = markCpu(server.pid);
    const stats: WindowStats = {
      index,
      endS: endMs / 1000,
      sent: w.sent,
      replies: w.replies,
      errors: w.errors,
      rate: w.sent / (lengthMs / 1000),
      p50: percentile(w.latencies, 50),
      p95: percentile(w.latencies, 95),
      p99: percentile(w.latencies, 99),
      openSessions: sessions.filter((s) => s.ws?.readyState === WebSocket.OPEN).length,
      rssMb: samples.at(-1)?.rssMb ?? 0,
      cpu: cpuBetween(cpuMark, cpu),
      loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
    };
    cpuMark = cpu;
    loopDelay.reset();
    windowStats.push(stats);
    options.onWindow?.(stats);
  };
  let windowIndex = 0;
  const ticker = setInterval(() => {
    // The last window is closed at the end, with the wait for the last answers in it.
    if ((windowIndex + 1) * options.windowMs >= durationMs) return;
    closeWindow(windowIndex, (windowIndex + 1) * options.windowMs, options.windowMs);
    windowIndex++;
  }, options.windowMs);

  const openers = sessions.map((s) => setTimeout(() => void open(s), (s.index * rampMs) / count));
  const aborted = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), durationMs);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
  const askedFor = now();
  asking = false;
  openers.forEach(clearTimeout);
  for (const s of sessions) clearTimeout(s.timer);

  // The last questions get their full time to be answered.
  while (sessions.some((s) => s.pending) && now() - askedFor < timeoutMs + 1000) await new Promise((r) => setTimeout(r, 50));
  clearInterval(sweep);
  const unanswered = sessions.filter((s) => s.pending).length;
  const openAtEnd = sessions.filter((s) => s.ws?.readyState === WebSocket.OPEN).length;
  clearInterval(ticker);
  sample();
  clearInterval(sampler);
  const tail = now() - windowIndex * options.windowMs;
  closeWindow(windowIndex, now(), tail);
  loopDelay.disable();
  wholeRunDelay.disable();
  const cpuTotal = cpuBetween(cpuAtStart, markCpu(server.pid));
  const elapsedS = now() / 1000;

  await Promise.all(
    sessions.map(
      (s) =>
        new Promise<void>((resolve) => {
          s.closedByUs = true;
          if (!s.ws || s.ws.readyState === WebSocket.CLOSED) return resolve();
          s.ws.once('close', () => resolve());
          s.ws.close(1000);
          setTimeout(() => {
            s.ws!.terminate();
            resolve();
          }, 5000).unref();
        }),
    ),
  );

  const loadS = askedFor / 1000;
  return {
    options: { sessions: count, durationMs, rampMs, askEveryMs, signedInShare: options.signedInShare, timeoutMs, sampleEveryMs: options.sampleEveryMs, windowMs: options.windowMs },
    elapsedS,
    aborted,
    sessions: { planned: count, signedIn: sessions.filter((s) => s.signedIn).length, opened: sessions.filter((s) => s.opened).length, openAtEnd },
    sent,
    replies,
    late,
    unanswered,
    errors,
    errorRate: sent ? errors.total / sent : errors.total ? 1 : 0,
    kinds,
    latencyMs: latencyOf(latencies),
    latencyBySession: { signedIn: latencyOf(signedInLatencies), anonymous: latencyOf(anonymousLatencies) },
    rate: { overall: sent / loadS, afterRamp: sentAfterRamp / Math.max(1e-9, loadS - rampMs / 1000) },
    windows: windowStats,
    memory: { ...memoryGrowth(samples.filter((s) => s.t <= loadS + 0.5), loadS), samples },
    cpu: cpuTotal,
    loopDelayP99Ms: wholeRunDelay.percentile(99) / 1e6,
  };
}

const cpuText = (c: CpuUse) => `${c.server.toFixed(0)} / ${c.generator.toFixed(0)} / ${c.others.toFixed(0)} %`;

/** One progress line per window. */
export function formatWindow(w: WindowStats): string {
  return (
    `  ${String(Math.round(w.endS)).padStart(4)} s  sent ${String(w.sent).padStart(6)} (${w.rate.toFixed(0)}/s)  replies ${String(w.replies).padStart(6)}` +
    `  errors ${w.errors}  p50/p95/p99 ${w.p50.toFixed(0)}/${w.p95.toFixed(0)}/${w.p99.toFixed(0)} ms  open ${w.openSessions}` +
    `  RSS ${w.rssMb.toFixed(0)} MB  CPU server/generator/others ${cpuText(w.cpu)}  client loop p99 ${w.loopDelayP99Ms.toFixed(0)} ms`
  );
}

/** A markdown table, as scripts/bench.ts prints. */
export function formatTable(header: string[], rows: string[][]): string {
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (c: string[]) => `| ${c.map((x, i) => (x ?? '').padEnd(w[i]!)).join(' | ')} |`;
  return [line(header), `|${w.map((n) => '-'.repeat(n + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** The summary table and the per-window table of a run. */
export function formatReport(r: SoakReport): string {
  const ms = (v: number) => `${v.toFixed(0)} ms`;
  const mb = (v: number) => `${v.toFixed(1)} MB`;
  const lat = (l: Latency) => `${ms(l.p50)} / ${ms(l.p95)} / ${ms(l.p99)} / ${ms(l.max)}`;
  const e = r.errors;
  const frames = Object.entries(e.frames).map(([code, n]) => `${code} ${n}`).join(', ') || '0';
  const m = r.memory;
  const summary = formatTable(['measure', 'value', 'target'], [
    ['sessions open / planned (signed in)', `${r.sessions.opened} / ${r.sessions.planned} (${r.sessions.signedIn})`],
    ['sessions still open at the end', String(r.sessions.openAtEnd), String(r.sessions.planned)],
    ['run time (ramp-up)', `${r.elapsedS.toFixed(0)} s (${(r.options.rampMs / 1000).toFixed(0)} s)${r.aborted ? ', stopped early' : ''}`],
    ['questions sent / replies', `${r.sent} / ${r.replies}`],
    ['questions per second: whole run / after ramp-up', `${r.rate.overall.toFixed(0)} / ${r.rate.afterRamp.toFixed(0)}`],
    ['errors', String(e.total), '0'],
    ['  error frames', frames],
    [`  timeouts (> ${r.options.timeoutMs / 1000} s) / late replies`, `${e.timeouts} / ${r.late}`],
    ['  unexpected closes / failed connects', `${e.closes} / ${e.connectFailures}`],
    ['  failed sign-ins / refused auth', `${e.signInFailures} / ${e.authRefused}`],
    ['  unanswered at the end', String(r.unanswered), '0'],
    ['error rate', `${(r.errorRate * 100).toFixed(3)} %`, '0'],
    ['latency p50 / p95 / p99 / max', lat(r.latencyMs)],
    ['  signed-in sessions', lat(r.latencyBySession.signedIn)],
    ['  anonymous sessions', lat(r.latencyBySession.anonymous)],
    ['reply kinds', Object.entries(r.kinds).map(([k, n]) => `${k} ${n}`).join(', ')],
    ['server RSS: warm (20-30 % of run) / last 20 % (medians)', `${mb(m.warmMedianMb)} / ${mb(m.lastMedianMb)}`],
    ['server RSS growth', `${m.growthMb >= 0 ? '+' : ''}${mb(m.growthMb)} (${m.growthPct >= 0 ? '+' : ''}${m.growthPct.toFixed(1)} %)`, 'flat'],
    ['server RSS slope after warm-up (least squares)', `${m.slopeMbPerMin >= 0 ? '+' : ''}${m.slopeMbPerMin.toFixed(2)} MB/min`, '~0'],
    ['server RSS: first sample / peak', `${mb(m.samples[0]?.rssMb ?? 0)} / ${mb(m.peakMb)}`],
    [`CPU, whole run: server / load generator / other processes (${r.cpu.cores} cores = ${r.cpu.cores * 100} %)`, cpuText(r.cpu)],
    ['load generator event-loop delay p99', ms(r.loopDelayP99Ms)],
  ]);
  const perWindow = formatTable(
    ['until', 'sent', 'q/s', 'replies', 'errors', 'p50', 'p95', 'p99', 'open', 'RSS MB', 'CPU server/gen/others'],
    r.windows.map((w) => [
      `${w.endS.toFixed(0)} s`,
      String(w.sent),
      w.rate.toFixed(0),
      String(w.replies),
      String(w.errors),
      ms(w.p50),
      ms(w.p95),
      ms(w.p99),
      String(w.openSessions),
      w.rssMb.toFixed(0),
      cpuText(w.cpu),
    ]),
  );
  return `${summary}\n\n${perWindow}`;
}
