import type { ChatReply } from '../answering/reply.js';
import type { Db, Queryable } from '../db/index.js';
import type { Learner } from '../identity/learners.js';
import type { LessonCatalog } from '../lessons/catalog.js';
import { type Lesson, TOPICS, type Topic } from '../lessons/schema.js';
import { isMastered, MASTERED, SELF_REPORTED, studyMastery, updateMastery, updateMasteryAll } from './mastery.js';
import { readPlacement } from './placement.js';
import {
  type LearnerState,
  type LessonState,
  masteryOf,
  missingPrerequisite,
  type Recommendation,
  recommend,
} from './recommend.js';
import { gradeReview, recordReview, REVIEWED_TOPICS, reviveCard, startReview } from './review.js';

const STUDY_CEILING = MASTERED - 0.05;
/** The share of right answers that passes a quiz (2 of 3). */
export const PASS_SHARE = 2 / 3;

/** Questions older than this no longer say what the learner is interested in now. */
const INTEREST_DAYS = 14;
const INTEREST_LIMIT = 30;
/** Question records are kept this long, then deleted (they only serve recommendations). */
/** Lesson ids of recent questions feed the recommender this long (then the retention job purges them). */
export const QUESTION_RETENTION_DAYS = 30;

interface ProgressRow {
  lesson_id: string;
  steps_seen: number;
  mastery: number;
  attempts: number;
  best_correct: number | null;
  best_total: number | null;
  completed_at: Date | string | null;
  review: unknown;
  review_due: Date | string | null;
}

const toDate = (v: Date | string | null | undefined) => (v ? new Date(v) : undefined);

function toLessonState(r: ProgressRow): LessonState {
  return {
    mastery: Number(r.mastery),
    stepsSeen: r.steps_seen,
    attempts: r.attempts,
    bestCorrect: r.best_correct ?? undefined,
    bestTotal: r.best_total ?? undefined,
    completedAt: toDate(r.completed_at),
    reviewDue: toDate(r.review_due),
  };
}

export interface RecommendationView {
  id: string;
  title: string;
  topic: string;
  kind: 'learn' | 'review';
  reason: string;
  chance: number;
}

export interface QuizResult {
  lessonId: string;
  correct: number;
  total: number;
  /** Per question: whether the learner's answer was right, and the right answer. */
  results: { correct: boolean; answer: number }[];
  mastery: number;
  mastered: boolean;
  /** Set when this submission was a spaced review. */
  review?: boolean;
  /** When the lesson comes back for review (safety lessons). */
  reviewDue?: string;
  /** True when the same submission had already been recorded (a retry): nothing was counted twice. */
  replayed: boolean;
}

export class QuizMismatch extends Error {}

/** Progress, placement and recommendations of signed-in learners. */
export class LearningService {
  constructor(
    private readonly db: Db,
    private readonly catalog: LessonCatalog,
  ) {}

  /** Everything the recommender needs, in two indexed queries. */
  async loadState(learner: Pick<Learner, 'id' | 'goal' | 'needs'>, q: Queryable = this.db): Promise<LearnerState> {
    const [rows, questions] = await Promise.all([
      q.query<ProgressRow>(
        `SELECT lesson_id, steps_seen, mastery, attempts, best_correct, best_total, completed_at, review, review_due
         FROM lesson_progress WHERE learner_id = $1`,
        [learner.id],
      ),
      q.query<{ lesson_id: string }>(
        `SELECT lesson_id FROM learner_questions
         WHERE learner_id = $1 AND asked_at > now() - make_interval(days => $2)
         ORDER BY asked_at DESC LIMIT $3`,
        [learner.id, INTEREST_DAYS, INTEREST_LIMIT],
      ),
    ]);
    return {
      goal: TOPICS.includes(learner.goal as Topic) ? (learner.goal as Topic) : undefined,
      needs: new Set(learner.needs),
      lessons: new Map(rows.map((r) => [r.lesson_id, toLessonState(r)])),
      recentQuestions: questions.map((r) => r.lesson_id),
    };
  }

  async recommendations(learner: Learner, now = new Date()): Promise<{ next?: RecommendationView; alternative?: RecommendationView }> {
    const state = await this.loadState(learner);
    return this.view(recommend(this.catalog, state, now));
  }

  /** The lessons the learner has touched, in catalogue order. */
  async progress(learner: Learner): Promise<{ lessons: (LessonState & { id: string; mastered: boolean })[] }> {
    const state = await this.loadState(learner);
    const lessons = this.catalog.lessons
      .filter((l) => state.lessons.has(l.id))
      .map((l) => {
        const s = state.lessons.get(l.id)!;
        return { id: l.id, ...s, mastery: Math.round(s.mastery * 1000) / 1000, mastered: isMastered(s.mastery) };
      });
    return { lessons };
  }

  /**
   * Personalises a chat reply: remembers which lesson answered (not the words), says when a prerequisite of that
   * lesson is missing, and replaces `next` with this learner's recommendation.
   */
  async personaliseReply(learner: Learner, reply: ChatReply, now = new Date()): Promise<ChatReply> {
    const answered = reply.kind === 'answer' || reply.kind === 'safety' ? reply.lessons[0] : undefined;
    if (answered) await this.recordQuestion(learner.id, answered.id);
    const state = await this.loadState(learner);
    const { next } = recommend(this.catalog, state, now);
    const out: ChatReply = { ...reply };
    const lesson = answered && reply.kind === 'answer' ? this.catalog.get(answered.id) : undefined;
    const missing = lesson && missingPrerequisite(this.catalog, state, lesson);
    if (lesson && missing) {
      out.prerequisite = {
        id: missing.id,
        title: missing.title,
        text: `Trước khi làm theo bài «${lesson.title}», bác nên học bài «${missing.title}» trước. Bấm vào đây để xem bài này.`,
      };
    }
    if (next) out.next = { id: next.lesson.id, title: next.lesson.title, reason: next.reason };
    else delete out.next;
    return out;
  }

  async recordQuestion(learnerId: string, lessonId: string): Promise<void> {
    // Rows older than QUESTION_RETENTION_DAYS are purged by the hourly retention job, not on every question.
    await this.db.query('INSERT INTO learner_questions (learner_id, lesson_id) VALUES ($1, $2)', [learnerId, lessonId]);
  }

  /** Steps viewed (the highest step index + 1). Seeing the last step for the first time counts as studying. */
  async recordSteps(learner: Learner, lesson: Lesson, stepsSeen: number): Promise<LessonState> {
    return this.db.transaction(async (tx) => {
      const state = await this.loadState(learner, tx);
      const cur = state.lessons.get(lesson.id);
      const before = cur?.stepsSeen ?? 0;
      const seen = Math.min(lesson.steps.length, Math.max(before, stepsSeen));
      let mastery = cur?.mastery ?? masteryOf(this.catalog, state, lesson);
      // Reading alone never makes a lesson mastered: that takes the quiz's evidence.
      if (before < lesson.steps.length && seen === lesson.steps.length) mastery = Math.max(mastery, Math.min(studyMastery(mastery, lesson.level), STUDY_CEILING));
      const [row] = await tx.query<ProgressRow>(
        `INSERT INTO lesson_progress (learner_id, lesson_id, steps_seen, mastery) VALUES ($1, $2, $3, $4)
         ON CONFLICT (learner_id, lesson_id) DO UPDATE SET steps_seen = EXCLUDED.steps_seen, mastery = EXCLUDED.mastery, updated_at = now()
         RETURNING lesson_id, steps_seen, mastery, attempts, best_correct, best_total, completed_at, review, review_due`,
        [learner.id, lesson.id, seen, mastery],
      );
      return toLessonState(row!);
    });
  }

  /**
   * Grades a quiz on the server (the lesson file is the answer key), updates mastery, and schedules or records the
   * spaced review of a safety lesson. The same submission id twice is counted once.
   */
  async submitQuiz(learner: Learner, lesson: Lesson, submissionId: string, answers: number[], now = new Date()): Promise<QuizResult> {
    if (answers.length !== lesson.quiz.length || answers.some((a, i) => a >= lesson.quiz[i]!.options.length)) {
      throw new QuizMismatch(`lesson ${lesson.id} has ${lesson.quiz.length} questions`);
    }
    const right = answers.map((a, i) => a === lesson.quiz[i]!.answer);
    const correct = right.filter(Boolean).length;
    const total = answers.length;
    const results = right.map((ok, i) => ({ correct: ok, answer: lesson.quiz[i]!.answer }));

    return this.db.transaction(async (tx) => {
      const inserted = await tx.query(
        `INSERT INTO quiz_attempts (learner_id, submission_id, lesson_id, answers, correct, total)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (learner_id, submission_id) DO NOTHING RETURNING 1`,
        [learner.id, submissionId, lesson.id, answers, correct, total],
      );
      const state = await this.loadState(learner, tx);
      const cur = state.lessons.get(lesson.id);
      if (inserted.length === 0) {
        return { lessonId: lesson.id, correct, total, results, mastery: cur?.mastery ?? 0, mastered: isMastered(cur?.mastery ?? 0), reviewDue: cur?.reviewDue?.toISOString(), replayed: true };
      }
      const [reviewRow] = await tx.query<{ review: unknown }>(
        'SELECT review FROM lesson_progress WHERE learner_id = $1 AND lesson_id = $2 FOR UPDATE',
        [learner.id, lesson.id],
      );
      const before = cur?.mastery ?? masteryOf(this.catalog, state, lesson);
      const mastery = updateMasteryAll(before, right);
      let card = reviewRow?.review ? reviveCard(reviewRow.review) : undefined;
      const isReview = Boolean(card && cur?.reviewDue && cur.reviewDue <= now);
      if (card && isReview) card = recordReview(card, now, gradeReview(correct, total));
      else if (!card && REVIEWED_TOPICS.has(lesson.topic) && isMastered(mastery)) card = startReview(now);
      const better = cur?.bestCorrect === undefined || correct > cur.bestCorrect;
      // A lesson is completed when its quiz is passed, not merely submitted: a failed quiz is still to learn.
      const passed = correct >= Math.ceil(PASS_SHARE * total);
      await tx.query(
        `INSERT INTO lesson_progress AS p (learner_id, lesson_id, mastery, attempts, best_correct, best_total, completed_at, review, review_due, mastered_at)
         VALUES ($1, $2, $3, 1, $4, $5, $6, $7, $8, $10)
         ON CONFLICT (learner_id, lesson_id) DO UPDATE SET
           mastery = EXCLUDED.mastery, attempts = p.attempts + 1, mastered_at = COALESCE(p.mastered_at, EXCLUDED.mastered_at),
           best_correct = CASE WHEN $9 THEN EXCLUDED.best_correct ELSE p.best_correct END,
           best_total = CASE WHEN $9 THEN EXCLUDED.best_total ELSE p.best_total END,
           completed_at = COALESCE(p.completed_at, EXCLUDED.completed_at),
           review = EXCLUDED.review, review_due = EXCLUDED.review_due, updated_at = now()`,
        [learner.id, lesson.id, mastery, correct, total, passed ? now : null, card ? JSON.stringify(card) : null, card?.due ?? null, better, isMastered(mastery) ? now : null],
      );
      if (isReview) await tx.query('UPDATE quiz_attempts SET is_review = true WHERE learner_id = $1 AND submission_id = $2', [learner.id, submissionId]);
      return {
        lessonId: lesson.id,
        correct,
        total,
        results,
        mastery: Math.round(mastery * 1000) / 1000,
        mastered: isMastered(mastery),
        ...(isReview ? { review: true } : {}),
        reviewDue: card?.due.toISOString(),
        replayed: false,
      };
    });
  }

  /** Seeds mastery from the placement check (never lowering what is already known) and stores goal and needs. */
  async applyPlacement(learner: Learner, answers: Record<string, number>): Promise<Pick<Learner, 'goal' | 'needs'>> {
    const outcome = readPlacement(answers);
    return this.db.transaction(async (tx) => {
      const state = await this.loadState(learner, tx);
      const mastery = new Map<string, number>();
      const get = (id: string) => mastery.get(id) ?? state.lessons.get(id)?.mastery ?? masteryOf(this.catalog, state, this.catalog.get(id)!);
      for (const id of outcome.knows) if (this.catalog.get(id)) mastery.set(id, Math.max(get(id), SELF_REPORTED));
      for (const e of outcome.evidence) if (this.catalog.get(e.lessonId)) mastery.set(e.lessonId, updateMastery(get(e.lessonId), e.correct));
      for (const [id, p] of mastery) {
        await tx.query(
          `INSERT INTO lesson_progress AS lp (learner_id, lesson_id, mastery, mastered_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (learner_id, lesson_id) DO UPDATE SET mastery = EXCLUDED.mastery,
             mastered_at = COALESCE(lp.mastered_at, EXCLUDED.mastered_at), updated_at = now()`,
          [learner.id, id, p, isMastered(p) ? new Date() : null],
        );
      }
      const needs = [...outcome.needs].filter((id) => this.catalog.get(id));
      const [row] = await tx.query<{ goal: string | null; needs: string[] }>(
        'UPDATE learners SET needs = $2, goal = COALESCE($3, goal), placement_at = now() WHERE id = $1 RETURNING goal, needs',
        [learner.id, needs, outcome.goal ?? null],
      );
      return { goal: row?.goal ?? null, needs: row?.needs ?? [] };
    });
  }

  private view(r: { next?: Recommendation; alternative?: Recommendation }): { next?: RecommendationView; alternative?: RecommendationView } {
    const one = (x?: Recommendation) =>
      x && { id: x.lesson.id, title: x.lesson.title, topic: x.lesson.topic, kind: x.kind, reason: x.reason, chance: x.chance };
    return { next: one(r.next), alternative: one(r.alternative) };
  }
}
