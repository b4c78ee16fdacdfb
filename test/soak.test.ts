/**
 * The soak test, short: the real server process (tsx bot-server/src/server.ts) with 200 WebSocket sessions, a third
 * signed in, asking questions for 20 s through the same code as `npm run soak`. Nothing may fail: every question
 * answered, no error frame, no socket closed, and the server still healthy afterwards. Latency and memory are the
 * script's to report, not asserted here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parentOf, readRssMb, runSoak, type SoakReport, type SoakServer, soakQuestions, startSoakServer } from '../scripts/lib/soak.js';

const SESSIONS = 200;
let server: SoakServer;

beforeAll(async () => {
  server = await startSoakServer();
});

afterAll(async () => {
  await server?.stop();
});

describe('soak: 200 WebSocket sessions asking for 20 s', () => {
  it('asks a mix of questions typed with and without diacritics', () => {
    const questions = soakQuestions();
    expect(questions.length).toBe(30);
    expect(new Set(questions).size).toBe(30);
    expect(questions.filter((q) => /[ạ-ỹàáâãèéêìíòóôõùúýăđĩũơư]/i.test(q)).length).toBe(15);
  });

  it('samples the serving node process, not tsx', () => {
    expect(server.pid).not.toBe(server.launcherPid);
    expect(parentOf(server.pid)).toBe(server.launcherPid);
    expect(readRssMb(server.pid)).toBeGreaterThan(0);
  });

  it('answers every question on every session, and the server keeps serving', async () => {
    const report: SoakReport = await runSoak(server, {
      sessions: SESSIONS,
      durationMs: 20_000,
      rampMs: 3000,
      askEveryMs: 2000,
      signedInShare: 1 / 3,
      timeoutMs: 10_000,
      sampleEveryMs: 1000,
      windowMs: 5000,
    });
    expect(report.errors).toEqual({ frames: {}, timeouts: 0, closes: 0, connectFailures: 0, signInFailures: 0, authRefused: 0, total: 0 });
    expect(report.sessions).toEqual({ planned: SESSIONS, signedIn: Math.floor(SESSIONS / 3), opened: SESSIONS, openAtEnd: SESSIONS });
    // Each session asked several times (about one question per 2 s over ~18 s).
    expect(report.sent).toBeGreaterThan(SESSIONS * 4);
    expect(report.replies).toBe(report.sent);
    expect(report.unanswered).toBe(0);
    expect(report.late).toBe(0);
    expect(report.kinds.answer).toBeGreaterThan(0);
    expect(report.windows.reduce((a, w) => a + w.sent, 0)).toBe(report.sent);
    expect(report.memory.samples.length).toBeGreaterThan(10);

    const health = await fetch(`${server.base}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    expect(server.exited()).toBe(false);
    expect(server.problems).toEqual([]);
  }, 90_000);
});
