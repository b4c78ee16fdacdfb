import type { LessonCatalog } from '../lessons/catalog.js';
import { type Lesson, TOPIC_LABELS, type Topic } from '../lessons/schema.js';
import { isMastered, P_INIT, successChance } from './mastery.js';
import { REVIEWED_TOPICS } from './review.js';

/** What the recommender knows about one learner (loaded by LearnerStore). */
export interface LessonState {
  mastery: number;
  stepsSeen: number;
  attempts: number;
  bestCorrect?: number;
  bestTotal?: number;
  completedAt?: Date;
  reviewDue?: Date;
}

export interface LearnerState {
  goal?: Topic;
  needs: ReadonlySet<string>;
  lessons: ReadonlyMap<string, LessonState>;
  /** Lessons that answered the learner's recent questions, newest first. */
  recentQuestions: readonly string[];
}

export interface Recommendation {
  lesson: Lesson;
  kind: 'learn' | 'review';
  /** One line in Vietnamese: why this lesson now. */
  reason: string;
  /** Expected chance of answering its quiz right after studying it. */
  chance: number;
}

/** The success a recommended lesson aims at: hard enough to learn from, easy enough not to discourage. */
export const TARGET_SUCCESS = { low: 0.7, high: 0.85 } as const;

const WEIGHT = { interest: 3, review: 2.5, goal: 2, fit: 1.5, need: 1.5, continuing: 1, safety: 0.3, level: 0.1 } as const;
/** Three questions about the same thing is a clear signal; more adds nothing. */
const INTEREST_SATURATION = 3;

/** Lesson ids that must be known before this one, directly or through others (cached per catalogue). */
const ancestorCache = new WeakMap<LessonCatalog, Map<string, string[]>>();
export function ancestorsOf(catalog: LessonCatalog, lessonId: string): string[] {
  let byId = ancestorCache.get(catalog);
  if (!byId) ancestorCache.set(catalog, (byId = new Map()));
  const cached = byId.get(lessonId);
  if (cached) return cached;
  const seen = new Set<string>();
  const visit = (id: string) => {
    for (const p of catalog.get(id)?.prerequisites ?? []) {
      if (!seen.has(p)) {
        seen.add(p);
        visit(p);
      }
    }
  };
  visit(lessonId);
  const result = [...seen];
  byId.set(lessonId, result);
  return result;
}

/** Mastery of a lesson, or the prior for one not yet touched: higher when the learner knows its topic already. */
export function masteryOf(catalog: LessonCatalog, state: LearnerState, lesson: Lesson): number {
  const own = state.lessons.get(lesson.id);
  if (own) return own.mastery;
  const inTopic = catalog.inTopic(lesson.topic);
  const known = inTopic.filter((l) => isMastered(state.lessons.get(l.id)?.mastery ?? 0)).length;
  return P_INIT + (1 - P_INIT) * 0.5 * (known / Math.max(1, inTopic.length));
}

export function knows(state: LearnerState, lessonId: string): boolean {
  return isMastered(state.lessons.get(lessonId)?.mastery ?? 0);
}

/**
 * What to learn before a lesson whose prerequisites the learner lacks: the unknown lesson on the way to it that can
 * be learned now (its own prerequisites known), nearest to the lesson first, so that the answer and the "learn
 * next" recommendation name the same first step.
 */
export function missingPrerequisite(catalog: LessonCatalog, state: LearnerState, lesson: Lesson): Lesson | undefined {
  const learned = (id: string) => knows(state, id) || Boolean(state.lessons.get(id)?.completedAt);
  if (lesson.prerequisites.every((id) => !catalog.get(id) || learned(id))) return undefined;
  // Breadth first from the lesson: the first ready one found is the nearest.
  const seen = new Set<string>();
  let frontier = [...lesson.prerequisites];
  while (frontier.length > 0) {
    const ready = frontier
      .map((id) => catalog.get(id))
      .filter((l): l is Lesson => !!l && !learned(l.id) && l.prerequisites.every((p) => !catalog.get(p) || learned(p)))
      .sort((a, b) => a.level - b.level || a.id.localeCompare(b.id));
    if (ready[0]) return ready[0];
    frontier.forEach((id) => seen.add(id));
    frontier = [...new Set(frontier.flatMap((id) => catalog.get(id)?.prerequisites ?? []))].filter((id) => !seen.has(id) && !learned(id));
  }
  return undefined;
}

interface Candidate extends Recommendation {
  score: number;
}

function fitOf(chance: number): number {
  const distance = chance < TARGET_SUCCESS.low ? TARGET_SUCCESS.low - chance : chance > TARGET_SUCCESS.high ? chance - TARGET_SUCCESS.high : 0;
  return Math.max(0, 1 - distance / 0.3);
}

function askedAbout(count: number): string {
  return count > 1 ? `Bác đã hỏi về việc này ${count} lần gần đây.` : 'Bác vừa hỏi về việc này.';
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/**
 * One recommendation and one alternative (another topic when there is one). Candidates are the lessons whose
 * prerequisites are all mastered and that are not mastered themselves, plus mastered safety lessons whose review is
 * due. Each is scored on what the learner asked about recently (a lesson, or the lessons on the way to it), a due
 * review, the goal they chose, the lessons the placement check showed they need, how close the expected success is
 * to 70-85%, and unfinished work; the largest part of the score gives the reason.
 */
export function recommend(
  catalog: LessonCatalog,
  state: LearnerState,
  now: Date,
): { next?: Recommendation; alternative?: Recommendation } {
  // Interest: each recent question credits its lesson, the unknown lessons on the way to it, and (half) its topic.
  const asked = new Map<string, number>();
  for (const id of state.recentQuestions) if (catalog.get(id)) asked.set(id, (asked.get(id) ?? 0) + 1);
  const interest = new Map<string, { credit: number; via?: Lesson; count: number }>();
  const topicAsked = new Map<Topic, number>();
  const addInterest = (id: string, credit: number, count: number, via?: Lesson) => {
    const cur = interest.get(id);
    if (!cur || credit > cur.credit) interest.set(id, { credit, via, count });
  };
  for (const [id, count] of asked) {
    const lesson = catalog.get(id)!;
    topicAsked.set(lesson.topic, (topicAsked.get(lesson.topic) ?? 0) + count);
    addInterest(id, count, count);
    for (const a of ancestorsOf(catalog, id)) if (!knows(state, a)) addInterest(a, count, count, lesson);
  }
  // Needs from the placement check, in its order (the first need first), and the unknown lessons on the way.
  const needed = new Map<string, { order: number; via?: Lesson }>();
  [...state.needs].forEach((id, order) => {
    if (!catalog.get(id) || knows(state, id)) return;
    if (!needed.has(id)) needed.set(id, { order });
    for (const a of ancestorsOf(catalog, id)) if (!knows(state, a) && !needed.has(a)) needed.set(a, { order, via: catalog.get(id) });
  });

  // The goal topic's lessons, and (a little less) the unknown lessons its lessons need first.
  const towardsGoal = new Set<string>();
  if (state.goal) {
    for (const l of catalog.inTopic(state.goal)) for (const a of ancestorsOf(catalog, l.id)) if (!knows(state, a)) towardsGoal.add(a);
  }

  const candidates: Candidate[] = [];
  for (const lesson of catalog.lessons) {
    const own = state.lessons.get(lesson.id);
    const p = masteryOf(catalog, state, lesson);
    const chance = successChance(p, lesson.level);
    const parts: { value: number; reason: string }[] = [];
    const direct = interest.get(lesson.id);
    const topicCount = topicAsked.get(lesson.topic) ?? 0;

    if (isMastered(p)) {
      const due = own?.reviewDue;
      if (!REVIEWED_TOPICS.has(lesson.topic) || !due || due > now) continue;
      const overdueDays = (now.getTime() - due.getTime()) / 86_400_000;
      parts.push({ value: WEIGHT.review * (1 + Math.min(1, overdueDays / 14)), reason: 'Đến lúc ôn lại bài này cho nhớ lâu, để không bị kẻ gian lừa.' });
      if (direct) parts.push({ value: WEIGHT.interest * Math.min(1, direct.count / INTEREST_SATURATION), reason: askedAbout(direct.count) });
      candidates.push(pick(lesson, 'review', chance, parts));
      continue;
    }
    if (!lesson.prerequisites.every((id) => !catalog.get(id) || knows(state, id))) continue;

    if (direct) {
      const value = WEIGHT.interest * Math.min(1, direct.credit / INTEREST_SATURATION);
      parts.push({
        value,
        reason: direct.via
          ? `Cần biết trước khi học «${direct.via.title}», điều bác ${direct.count > 1 ? `đã hỏi ${direct.count} lần gần đây` : 'vừa hỏi'}.`
          : askedAbout(direct.count),
      });
    } else if (topicCount > 0) {
      parts.push({
        value: 0.5 * WEIGHT.interest * Math.min(1, topicCount / INTEREST_SATURATION),
        reason: `Bác hay hỏi về ${lowerFirst(TOPIC_LABELS[lesson.topic])}.`,
      });
    }
    if (state.goal === lesson.topic) parts.push({ value: WEIGHT.goal, reason: `Đúng điều bác muốn học trước: ${lowerFirst(TOPIC_LABELS[lesson.topic])}.` });
    else if (state.goal && towardsGoal.has(lesson.id)) {
      parts.push({ value: 0.8 * WEIGHT.goal, reason: `Cần biết trước để học điều bác muốn: ${lowerFirst(TOPIC_LABELS[state.goal])}.` });
    }
    const need = needed.get(lesson.id);
    if (need) {
      parts.push({
        value: WEIGHT.need * (1 - 0.01 * need.order),
        reason: need.via ? `Bước đầu để học «${need.via.title}».` : 'Bác cho biết chưa làm được việc này, nên học bài này trước.',
      });
    }
    if (own && own.attempts > 0) {
      parts.push({
        value: WEIGHT.continuing,
        reason: `Làm lại bài kiểm tra để nắm chắc hơn (lần trước đúng ${own.bestCorrect ?? 0}/${own.bestTotal ?? lesson.quiz.length} câu).`,
      });
    } else if (own && own.stepsSeen > 0) {
      parts.push({ value: WEIGHT.continuing, reason: 'Bác đang học dở bài này, học nốt nhé.' });
    }
    // Every candidate has a fit and a level; they explain the choice only when nothing more specific does.
    const unlockedBy = lesson.prerequisites.map((id) => catalog.get(id)).find((l): l is Lesson => !!l);
    const fallback = unlockedBy
      ? `Bác đã vững bài «${unlockedBy.title}», đây là bước tiếp theo.`
      : lesson.level === 1
        ? 'Bài mở đầu, dễ học.'
        : 'Vừa sức bác, học tiếp nhé.';
    parts.push({ value: WEIGHT.fit * fitOf(chance), reason: '' });
    if (lesson.topic === 'an-toan') parts.push({ value: WEIGHT.safety, reason: '' });
    parts.push({ value: -WEIGHT.level * lesson.level, reason: '' });
    candidates.push(pick(lesson, 'learn', chance, parts, fallback));
  }

  candidates.sort((a, b) => b.score - a.score || a.lesson.level - b.lesson.level || a.lesson.id.localeCompare(b.lesson.id));
  const next = candidates[0];
  const alternative = candidates.find((c) => c !== next && c.lesson.topic !== next?.lesson.topic) ?? candidates[1];
  return { next: next && strip(next), alternative: alternative && strip(alternative) };
}

/** Sums the parts; the largest part that has a reason gives the reason. */
function pick(
  lesson: Lesson,
  kind: Candidate['kind'],
  chance: number,
  parts: { value: number; reason: string }[],
  fallback = 'Vừa sức bác, học tiếp nhé.',
): Candidate {
  const score = parts.reduce((s, p) => s + p.value, 0);
  const main = parts.filter((p) => p.reason && p.value > 0).sort((a, b) => b.value - a.value)[0];
  return { lesson, kind, chance, score, reason: main?.reason ?? fallback };
}

function strip(c: Candidate): Recommendation {
  return { lesson: c.lesson, kind: c.kind, reason: c.reason, chance: Math.round(c.chance * 100) / 100 };
}
