import { readJson, writeJson } from '../services/storage';
import { createStore } from './store';

/** What this device knows about the citizen's learning (kept on the device until server-side progress exists). */
export interface LessonProgress {
  /** Highest step index viewed + 1. */
  stepsSeen: number;
  /** Set when every step was viewed and the quiz was finished. */
  completedAt?: string;
  /** Best quiz result. */
  quiz?: { correct: number; total: number };
}

export type Progress = Record<string, LessonProgress>;

export const PROGRESS_KEY = 'bhvs.progress';

export const progressStore = createStore<Progress>({}, (p) => writeJson(PROGRESS_KEY, p));

export function hydrateProgress(): void {
  progressStore.set(readJson<Progress>(PROGRESS_KEY, {}));
}

export function recordStepSeen(lessonId: string, stepIndex: number): void {
  progressStore.set((p) => {
    const cur = p[lessonId] ?? { stepsSeen: 0 };
    if (cur.stepsSeen > stepIndex) return p;
    return { ...p, [lessonId]: { ...cur, stepsSeen: stepIndex + 1 } };
  });
}

export function recordQuizFinished(lessonId: string, correct: number, total: number): void {
  progressStore.set((p) => {
    const cur = p[lessonId] ?? { stepsSeen: 0 };
    const best = cur.quiz && cur.quiz.correct >= correct ? cur.quiz : { correct, total };
    return { ...p, [lessonId]: { ...cur, quiz: best, completedAt: cur.completedAt ?? new Date().toISOString() } };
  });
}

export function isDone(p: Progress, lessonId: string): boolean {
  return Boolean(p[lessonId]?.completedAt);
}

export function clearProgress(): void {
  progressStore.set({});
}
