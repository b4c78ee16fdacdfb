import { fetchProgress } from '../services/api';
import { readJson, writeJson } from '../services/storage';
import type { QuizResult, ServerLessonProgress } from '../services/types';
import { clearOutbox, flushOutbox, onDelivered, queueQuiz, queueSteps, quizResult } from './outbox';
import { createStore } from './store';

/**
 * What the citizen has learnt. Kept on the device (it works offline and without an account) and, for a signed-in
 * learner, on the server, which is the record that follows them to another phone: the device copy is its cache.
 */
export interface LessonProgress {
  /** Highest step index viewed + 1. */
  stepsSeen: number;
  /** Set when every step was viewed and the quiz was finished. */
  completedAt?: string;
  /** Best quiz result. */
  quiz?: { correct: number; total: number };
  /** From the server (signed in): the estimated chance that the lesson is known, 0..1. */
  mastery?: number;
  /** From the server: known well enough ("Đã vững"). */
  mastered?: boolean;
  /** From the server: when a safety lesson should be practised again. */
  reviewDue?: string;
}

export type Progress = Record<string, LessonProgress>;

export const PROGRESS_KEY = 'bhvs.progress';

export const progressStore = createStore<Progress>({}, (p) => writeJson(PROGRESS_KEY, p));

export function hydrateProgress(): void {
  progressStore.set(readJson<Progress>(PROGRESS_KEY, {}));
}

export function recordStepSeen(lessonId: string, stepIndex: number): void {
  const cur = progressStore.get()[lessonId] ?? { stepsSeen: 0 };
  if (cur.stepsSeen > stepIndex) return;
  progressStore.set((p) => ({ ...p, [lessonId]: { ...(p[lessonId] ?? cur), stepsSeen: stepIndex + 1 } }));
  queueSteps(lessonId, stepIndex + 1);
}

/**
 * Records a finished quiz on the device at once, queues it for the server, and resolves with the server's result
 * when it could be sent now (undefined when not: offline or not signed in; the queue sends it later).
 */
export async function finishQuiz(lessonId: string, answers: number[], correct: number): Promise<QuizResult | undefined> {
  const total = answers.length;
  progressStore.set((p) => {
    const cur = p[lessonId] ?? { stepsSeen: 0 };
    const best = cur.quiz && cur.quiz.correct >= correct ? cur.quiz : { correct, total };
    return { ...p, [lessonId]: { ...cur, quiz: best, completedAt: cur.completedAt ?? new Date().toISOString() } };
  });
  const submissionId = queueQuiz(lessonId, answers);
  await flushOutbox();
  return quizResult(submissionId);
}

/** Sends what this device still owes the server, then takes the server's record (signed in only). */
export async function syncProgress(): Promise<void> {
  await flushOutbox();
  try {
    mergeServerProgress((await fetchProgress()).lessons);
  } catch {
    // Offline or signed out meanwhile: the device copy stays as it is.
  }
}

/**
 * The server's record joined with the device's: the furthest step, the first completion and the best score of
 * either (records still queued on this device are not on the server yet), and the server's mastery and review date.
 */
export function mergeServerProgress(lessons: ServerLessonProgress[]): void {
  progressStore.set((p) => {
    const next = { ...p };
    for (const s of lessons) {
      const cur = next[s.id] ?? { stepsSeen: 0 };
      const serverQuiz = s.bestCorrect !== undefined && s.bestTotal !== undefined ? { correct: s.bestCorrect, total: s.bestTotal } : undefined;
      next[s.id] = {
        ...cur,
        stepsSeen: Math.max(cur.stepsSeen, s.stepsSeen),
        completedAt: earlier(cur.completedAt, s.completedAt),
        quiz: better(cur.quiz, serverQuiz),
        mastery: s.mastery,
        mastered: s.mastered,
        reviewDue: s.reviewDue,
      };
    }
    return next;
  });
}

function applyQuizResult(r: QuizResult): void {
  progressStore.set((p) => {
    const cur = p[r.lessonId] ?? { stepsSeen: 0 };
    return {
      ...p,
      [r.lessonId]: {
        ...cur,
        quiz: better(cur.quiz, { correct: r.correct, total: r.total }),
        completedAt: cur.completedAt ?? new Date().toISOString(),
        mastery: r.mastery,
        mastered: r.mastered,
        reviewDue: r.reviewDue,
      },
    };
  });
}

onDelivered((d) => {
  if (d.kind === 'quiz') return applyQuizResult(d.result);
  const { id, mastery } = d.result;
  progressStore.set((p) => (p[id] ? { ...p, [id]: { ...p[id]!, mastery } } : p));
});

function earlier(a: string | undefined, b: string | undefined): string | undefined {
  if (!a || !b) return a ?? b;
  return Date.parse(a) <= Date.parse(b) ? a : b;
}

function better(a: LessonProgress['quiz'], b: LessonProgress['quiz']): LessonProgress['quiz'] {
  if (!a || !b) return a ?? b;
  return b.correct > a.correct ? b : a;
}

export function isDone(p: Progress, lessonId: string): boolean {
  return Boolean(p[lessonId]?.completedAt);
}

export function isMastered(p: Progress, lessonId: string): boolean {
  return Boolean(p[lessonId]?.mastered);
}

/** Forgets all learning records on this device, including those not yet sent. */
export function clearProgress(): void {
  clearOutbox();
  progressStore.set({});
}
