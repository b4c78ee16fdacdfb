/**
 * The real server process (bot-server/src/server.ts through tsx), on a real port and a temporary DATA_DIR:
 * start-up, serving, Ctrl-C (SIGINT) shutdown, and an incremental second start.
 *
 * tsx is started from node_modules/.bin (what `npx tsx` resolves to) rather than through `npx`: `npm exec`
 * does not forward SIGINT to its child, so a SIGINT sent to an npx process never reaches the server and the
 * exit code seen would be npm's, not the server's. tsx itself relays the signal and exits with the server's code.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLessons } from '../bot-server/src/lessons/load.js';
import { makeTempDir, trackChildren } from './helpers.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const LESSON_COUNT = loadLessons(join(ROOT, 'knowledge')).length;

let dataDir: { path: string; remove: () => void };
const { running, killAll } = trackChildren<ChildProcessWithoutNullStreams>();

beforeAll(() => {
  dataDir = makeTempDir('bhvs-server-');
});

afterAll(() => {
  killAll();
  dataDir?.remove();
});

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

interface LogLine {
  level: number;
  msg: string;
  pid?: number;
  [key: string]: unknown;
}

interface Server {
  child: ChildProcessWithoutNullStreams;
  base: string;
  stdout: () => string;
  stderr: () => string;
  logs: () => LogLine[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startServer(port: number): Server {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir.path,
    LOG_LEVEL: 'info',
    // No built mini app: / must be the minimal chat page, even if mini-app/www has been built in this checkout.
    MINI_APP_DIR: join(dataDir.path, 'no-mini-app'),
  };
  delete env.DATABASE_URL; // the embedded database in DATA_DIR, whatever the shell has set
  const child = spawn(TSX, ['bot-server/src/server.ts'], { cwd: ROOT, env, detached: true });
  running.add(child);
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.on('close', (code, signal) => {
      running.delete(child);
      r({ code, signal });
    }),
  );
  const logs = () =>
    out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as LogLine);
  return { child, base: `http://127.0.0.1:${port}`, stdout: () => out, stderr: () => err, logs, exited };
}

/** Waits for the 'ready' log line and a healthy /health; fails with the output if the process exits first. */
async function waitUntilReady(server: Server): Promise<LogLine> {
  let gone = false;
  void server.exited.then(() => (gone = true));
  for (;;) {
    if (gone) throw new Error(`server exited before ready.\nstdout: ${server.stdout()}\nstderr: ${server.stderr()}`);
    const ready = server.logs().find((l) => l.msg.startsWith('ready'));
    if (ready) {
      const res = await fetch(`${server.base}/health`).catch(() => undefined);
      if (res?.ok) {
        expect(await res.json()).toMatchObject({ status: 'ok', database: 'pglite', lessons: LESSON_COUNT });
        return ready;
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function interrupt(server: Server): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  server.child.kill('SIGINT');
  return server.exited;
}

describe('bot-server/src/server.ts as a process', () => {
  const lockFile = () => join(dataDir.path, 'server.lock');

  it('starts, serves the API and the page, and stops cleanly on SIGINT', async () => {
    const server = startServer(await freePort());
    const ready = await waitUntilReady(server);
    // First start on an empty DATA_DIR: every lesson is indexed.
    expect(ready).toMatchObject({ database: 'pglite', lessons: LESSON_COUNT, indexed: LESSON_COUNT, removed: 0 });
    expect(ready.msg).toBe(`ready: ${server.base}`);

    // The DATA_DIR is locked by the server process (the pid in the lock is the one that logs).
    expect(existsSync(lockFile())).toBe(true);
    expect(Number(readFileSync(lockFile(), 'utf8'))).toBe(ready.pid);

    const chat = await fetch(`${server.base}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'cach kich hoat vneid' }),
    });
    expect(chat.status).toBe(200);
    const reply = (await chat.json()) as { kind: string; lessons: { topic: string }[] };
    expect(reply.kind).toBe('answer');
    expect(reply.lessons[0]?.topic).toBe('vneid');

    const secret = await fetch(`${server.base}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'ma otp cua toi la 551203' }),
    });
    expect(((await secret.json()) as { kind: string }).kind).toBe('safety');

    const page = await fetch(`${server.base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('Trợ lý');
    expect(html).toContain('<textarea');
    const script = await fetch(`${server.base}/page.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);

    const { code, signal } = await interrupt(server);
    expect({ code, signal }, server.stderr()).toEqual({ code: 0, signal: null });
    expect(existsSync(lockFile())).toBe(false);
    const logs = server.logs();
    expect(logs.some((l) => l.msg === 'closing' && l.signal === 'SIGINT')).toBe(true);
    // Chats are logged without the citizen's words.
    expect(logs.filter((l) => l.msg === 'chat reply').length).toBe(2);
    const output = server.stdout() + server.stderr();
    expect(output).not.toContain('kich hoat');
    expect(output).not.toContain('551203');
  });

  it('starts again on the same DATA_DIR without re-indexing anything', async () => {
    const server = startServer(await freePort());
    const ready = await waitUntilReady(server);
    expect(ready).toMatchObject({ lessons: LESSON_COUNT, indexed: 0, removed: 0 });

    const chat = await fetch(`${server.base}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'cach kich hoat vneid' }),
    });
    expect(((await chat.json()) as { kind: string }).kind).toBe('answer');

    const { code } = await interrupt(server);
    expect(code, server.stderr()).toBe(0);
    expect(existsSync(lockFile())).toBe(false);
  });
});
