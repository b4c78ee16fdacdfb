/**
 * The real server process (bot-server/src/server.ts through tsx), on a real port and a temporary DATA_DIR:
 * start-up, serving, Ctrl-C (SIGINT) shutdown, and an incremental second start. The process is started by
 * test/server-processes.ts: tsx from node_modules/.bin rather than `npx` (`npm exec` does not forward SIGINT, so the
 * exit code seen would be npm's, not the server's; tsx relays the signal and exits with the server's code).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLessons } from '../bot-server/src/lessons/load.js';
import { makeTempDir } from './helpers.js';
import { type Exit, killAllProcesses, launchServerProcess, type LogLine, REPO, type ServerProcess } from './server-processes.js';

const LESSON_COUNT = loadLessons(join(REPO, 'knowledge')).length;

let dataDir: { path: string; remove: () => void };

beforeAll(() => {
  dataDir = makeTempDir('bhvs-server-');
});

afterAll(() => {
  killAllProcesses();
  dataDir?.remove();
});

async function startServer(): Promise<ServerProcess> {
  return launchServerProcess({
    dataDir: dataDir.path,
    // No built mini app: / must be the minimal chat page, even if mini-app/www has been built in this checkout.
    env: { MINI_APP_DIR: join(dataDir.path, 'no-mini-app') },
  });
}

/** Waits for the 'ready' log line and a healthy /health; fails with the output if the process exits first. */
async function waitUntilReady(server: ServerProcess): Promise<LogLine> {
  await server.untilOutput(({ stdout }) => stdout.includes('"msg":"ready'));
  const ready = server.logs().find((l) => l.msg.startsWith('ready'))!;
  const res = await fetch(`${server.base}/health`);
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ status: 'ok', database: 'pglite', lessons: LESSON_COUNT });
  return ready;
}

async function interrupt(server: ServerProcess): Promise<Exit> {
  return server.kill('SIGINT');
}

describe('bot-server/src/server.ts as a process', () => {
  const lockFile = () => join(dataDir.path, 'server.lock');

  it('starts, serves the API and the page, and stops cleanly on SIGINT', async () => {
    const server = await startServer();
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
    const server = await startServer();
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
