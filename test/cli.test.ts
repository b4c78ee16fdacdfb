/**
 * The real CLI (scripts/ask.ts) as a child process, through npx tsx, on its own temporary DATA_DIR.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, trackChildren } from './helpers.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

let dataDir: { path: string; remove: () => void };
const { running, killAll } = trackChildren<ChildProcessWithoutNullStreams>();

beforeAll(() => {
  dataDir = makeTempDir('bhvs-cli-');
});

afterAll(() => {
  killAll();
  dataDir?.remove();
});

interface Run {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function startCli(args: string[]): Run {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir.path, LOG_LEVEL: 'silent' };
  // The CLI must use the embedded database in DATA_DIR, whatever the developer's shell has set.
  delete env.DATABASE_URL;
  const child = spawn('npx', ['tsx', 'scripts/ask.ts', ...args], { cwd: ROOT, env, detached: true });
  running.add(child);
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | null>((resolveExit) =>
    child.on('close', (code) => {
      running.delete(child);
      resolveExit(code);
    }),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function waitFor(check: () => boolean, run: Run, what: string): Promise<void> {
  let exited = false;
  void run.exited.then(() => (exited = true));
  while (!check()) {
    if (exited) throw new Error(`CLI exited before ${what}.\nstdout: ${run.stdout()}\nstderr: ${run.stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface JsonlAnswer {
  id: string;
  kind: string;
  answer: string;
  lessons: { id: string; title: string; topic: string }[];
  ms: number;
}

describe('scripts/ask.ts', () => {
  it('--jsonl: one JSON line per question on stdout, and nothing else', async () => {
    const run = startCli(['--jsonl']);
    const questions = [
      { id: 'q1', question: 'cach kich hoat vneid' },
      { id: 'q2', question: 'ma otp cua toi la 551203' },
      { id: 'q3', question: 'thoi tiet hom nay the nao' },
    ];
    run.child.stdin.end(questions.map((q) => JSON.stringify(q)).join('\n') + '\n');
    const code = await run.exited;
    expect(code, run.stderr()).toBe(0);

    const stdout = run.stdout();
    expect(stdout.endsWith('\n')).toBe(true);
    const lines = stdout.slice(0, -1).split('\n');
    expect(lines).toHaveLength(3);
    const answers = lines.map((l) => JSON.parse(l) as JsonlAnswer);
    for (const a of answers) {
      expect(Object.keys(a)).toEqual(expect.arrayContaining(['id', 'kind', 'answer', 'lessons', 'ms']));
      expect(typeof a.answer).toBe('string');
      expect(a.answer.length).toBeGreaterThan(0);
      expect(Array.isArray(a.lessons)).toBe(true);
      expect(typeof a.ms).toBe('number');
      expect(a.ms).toBeGreaterThanOrEqual(0);
    }
    expect(answers.map((a) => a.id)).toEqual(['q1', 'q2', 'q3']);
    expect(answers.map((a) => a.kind)).toEqual(['answer', 'safety', 'out_of_scope']);
    expect(answers[0]!.lessons[0]!.topic).toBe('vneid');
    expect(stdout).not.toContain('551203');
    // The first run on an empty DATA_DIR indexes the lessons, and says so on stderr only.
    expect(run.stderr()).toMatch(/indexed \d+ lesson/);
    expect(stdout).not.toMatch(/indexed/);
    // The lock is released on exit.
    expect(existsSync(join(dataDir.path, 'server.lock'))).toBe(false);
  });

  it('prints a readable answer for a question given as an argument', async () => {
    const run = startCli(['cach kich hoat vneid']);
    run.child.stdin.end();
    const code = await run.exited;
    expect(code, run.stderr()).toBe(0);
    const out = run.stdout();
    expect(out).toMatch(/^\[answer\] \(\d+(\.\d+)? ms\)\n/);
    expect(out).toMatch(/^1\. /m);
    expect(out).toMatch(/^Bài học: .*\(vneid-[a-z0-9-]+\)/m);
    expect(out).toMatch(/^Bài nên học tiếp: /m);
    // Plain text for a person, not JSON.
    expect(out.trimStart().startsWith('{')).toBe(false);
    // Second run on the same DATA_DIR: nothing to index again.
    expect(run.stderr()).not.toMatch(/indexed \d+ lesson/);
  });

  it('without a question prints the usage and exits 2', async () => {
    const run = startCli([]);
    run.child.stdin.end();
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toContain('usage');
    expect(run.stdout()).toBe('');
  });

  it('refuses a DATA_DIR that another process holds, without disturbing it', async () => {
    const holder = startCli(['--jsonl']);
    holder.child.stdin.write(`${JSON.stringify({ id: 'h1', question: 'cach kich hoat vneid' })}\n`);
    await waitFor(() => holder.stdout().includes('\n'), holder, 'answering the first line');
    expect(JSON.parse(holder.stdout().split('\n')[0]!)).toMatchObject({ id: 'h1', kind: 'answer' });
    expect(existsSync(join(dataDir.path, 'server.lock'))).toBe(true);

    const second = startCli(['cach kich hoat vneid']);
    second.child.stdin.end();
    const code = await second.exited;
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(second.stderr()).toContain('in use');
    expect(second.stdout()).toBe('');

    // The holder is unharmed: it still answers, then exits cleanly and frees the folder.
    expect(existsSync(join(dataDir.path, 'server.lock'))).toBe(true);
    holder.child.stdin.end(`${JSON.stringify({ id: 'h2', question: 'ma otp cua toi la 551203' })}\n`);
    expect(await holder.exited, holder.stderr()).toBe(0);
    const lines = holder.stdout().trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[1]!)).toMatchObject({ id: 'h2', kind: 'safety' });
    expect(existsSync(join(dataDir.path, 'server.lock'))).toBe(false);
  });
});
