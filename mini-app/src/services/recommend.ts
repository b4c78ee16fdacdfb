import type { Progress } from '../stores/progress';
import type { LessonSummary } from './types';

export interface Recommendation {
  lesson: LessonSummary;
  reason: string;
}

/**
 * The next lesson for this device's learner: not done, every prerequisite done; a topic already started comes first
 * (finish what you began), then lower levels, then catalogue order. Server-side personalisation replaces this when
 * the learner has an account.
 */
export function recommendNext(lessons: LessonSummary[], progress: Progress): Recommendation | undefined {
  const done = (id: string) => Boolean(progress[id]?.completedAt);
  const lastActivity = new Map<string, string>();
  for (const l of lessons) {
    const at = progress[l.id]?.completedAt;
    if (at && at > (lastActivity.get(l.topic) ?? '')) lastActivity.set(l.topic, at);
  }
  const ready = lessons.filter((l) => !done(l.id) && l.prerequisites.every(done));
  ready.sort((a, b) => {
    const ta = lastActivity.get(a.topic) ?? '';
    const tb = lastActivity.get(b.topic) ?? '';
    if (ta !== tb) return ta < tb ? 1 : -1;
    return a.level - b.level;
  });
  const lesson = ready[0];
  if (!lesson) return undefined;
  const started = lastActivity.has(lesson.topic);
  const reason = started
    ? 'Bài tiếp theo trong chủ đề bác đang học.'
    : lesson.prerequisites.length > 0
      ? 'Bác đã học xong các bài cần biết trước bài này.'
      : 'Bài mở đầu, dễ học.';
  return { lesson, reason };
}

export function levelLabel(level: number): string {
  return level === 1 ? 'Cơ bản' : level === 2 ? 'Trung bình' : 'Nâng cao';
}
