import { ApiError, sendStepsSeen, submitQuiz } from '../services/api';
import { isSignedIn } from '../services/session';
import { readJson, writeJson } from '../services/storage';
import type { QuizResult, StepsResult } from '../services/types';
import { createStore } from './store';

/**
 * Learning records on their way to the server. A weak signal must lose nothing: every step view and finished quiz
 * is kept in app storage until the server has it, and resent (a quiz with the same submissionId, which the server
 * counts once) when the phone is back online, after signing in, or on the next start.
 */
export type Outgoing =
  | { kind: 'steps'; lessonId: string; stepsSeen: number }
  | { kind: 'quiz'; lessonId: string; submissionId: string; answers: number[] };

export const OUTBOX_KEY = 'bhvs.outbox';
/** Far more than a citizen does offline; past it the oldest records go, so storage cannot fill up. */
const MAX_ITEMS = 100;
const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_MS = 5 * 60_000;

export const outboxStore = createStore<Outgoing[]>([], (items) => writeJson(OUTBOX_KEY, items));

export type Delivered = { kind: 'steps'; result: StepsResult } | { kind: 'quiz'; result: QuizResult };

const listeners = new Set<(d: Delivered) => void>();
/** Quiz results of this visit by submission id, for the screen that is waiting for one. */
const quizResults = new Map<string, QuizResult>();
let flushing: Promise<void> | undefined;
let again = false;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let retryDelay = FIRST_RETRY_MS;

export function hydrateOutbox(): void {
  const saved = readJson<unknown>(OUTBOX_KEY, []);
  outboxStore.set(Array.isArray(saved) ? saved.filter(isOutgoing) : []);
}

function isOutgoing(x: unknown): x is Outgoing {
  const o = x as Partial<Record<string, unknown>>;
  if (typeof o !== 'object' || o === null || typeof o.lessonId !== 'string') return false;
  if (o.kind === 'steps') return typeof o.stepsSeen === 'number';
  return o.kind === 'quiz' && typeof o.submissionId === 'string' && Array.isArray(o.answers);
}

/** One pending step record per lesson: only the highest step matters. */
export function queueSteps(lessonId: string, stepsSeen: number): void {
  outboxStore.set((items) => {
    const queued = items.find((i) => i.kind === 'steps' && i.lessonId === lessonId);
    if (queued?.kind === 'steps' && queued.stepsSeen >= stepsSeen) return items;
    // A new object (not an edit): a send in flight removes only the record it sent.
    const rest = items.filter((i) => i !== queued);
    return capped([...rest, { kind: 'steps', lessonId, stepsSeen }]);
  });
  void flushOutbox();
}

/** Queues a finished quiz under a new submission id, and returns that id. */
export function queueQuiz(lessonId: string, answers: number[]): string {
  const submissionId = newSubmissionId();
  outboxStore.set((items) => capped([...items, { kind: 'quiz', lessonId, submissionId, answers }]));
  return submissionId;
}

/** The server's result for a quiz sent during this visit, if it has arrived. */
export function quizResult(submissionId: string): QuizResult | undefined {
  return quizResults.get(submissionId);
}

export function isQueued(submissionId: string): boolean {
  return outboxStore.get().some((i) => i.kind === 'quiz' && i.submissionId === submissionId);
}

export function onDelivered(listener: (d: Delivered) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Sends what is queued, in order, while signed in; one pass at a time (a call during a pass asks for another). */
export function flushOutbox(): Promise<void> {
  if (flushing) {
    again = true;
    return flushing;
  }
  flushing = (async () => {
    do {
      again = false;
      await sendQueued();
    } while (again);
  })().finally(() => {
    flushing = undefined;
  });
  return flushing;
}

export function clearOutbox(): void {
  clearTimeout(retryTimer);
  quizResults.clear();
  outboxStore.set([]);
}

async function sendQueued(): Promise<void> {
  for (const item of [...outboxStore.get()]) {
    if (!isSignedIn()) return;
    if (!outboxStore.get().includes(item)) continue;
    try {
      if (item.kind === 'steps') {
        const result = await sendStepsSeen(item.lessonId, item.stepsSeen);
        announce({ kind: item.kind, result });
      } else {
        const result = await submitQuiz(item.lessonId, item.submissionId, item.answers);
        quizResults.set(item.submissionId, result);
        announce({ kind: item.kind, result });
      }
    } catch (err) {
      if (keepForLater(err)) {
        scheduleRetry();
        return;
      }
      // Refused for good (the lesson or its quiz changed): resending cannot help.
    }
    outboxStore.set((items) => items.filter((i) => i !== item));
  }
  retryDelay = FIRST_RETRY_MS;
}

/** Offline, busy, rate-limited or not signed in (yet): the record stays. A 400 or 404 never gets better. */
function keepForLater(err: unknown): boolean {
  if (!(err instanceof ApiError)) return true;
  return err.retryable || err.status === 0 || err.status === 401 || err.status >= 500;
}

function scheduleRetry(): void {
  clearTimeout(retryTimer);
  retryTimer = setTimeout(() => void flushOutbox(), retryDelay);
  retryDelay = Math.min(MAX_RETRY_MS, retryDelay * 2);
}

function announce(d: Delivered): void {
  for (const l of listeners) l(d);
}

function capped(items: Outgoing[]): Outgoing[] {
  return items.length > MAX_ITEMS ? items.slice(items.length - MAX_ITEMS) : items;
}

/** 16 random bytes as base64url: 22 characters of [A-Za-z0-9_-], as the server requires (8 to 64). */
function newSubmissionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

if (typeof window !== 'undefined') window.addEventListener('online', () => void flushOutbox());
