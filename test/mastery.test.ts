/**
 * Properties of the learning model with fast-check: mastery stays a probability, more right answers never lower
 * it, and the recommender only ever offers what a learner can learn now, whatever their history.
 */
import fc from 'fast-check';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../bot-server/src/config.js';
import { LessonCatalog } from '../bot-server/src/lessons/catalog.js';
import { loadLessons } from '../bot-server/src/lessons/load.js';
import { TOPICS } from '../bot-server/src/lessons/schema.js';
import {
  GUESS,
  isMastered,
  P_INIT,
  SLIP,
  studyMastery,
  successChance,
  updateMastery,
  updateMasteryAll,
} from '../bot-server/src/learning/mastery.js';
import { type LearnerState, type LessonState, recommend } from '../bot-server/src/learning/recommend.js';
import { gradeReview, recordReview, startReview } from '../bot-server/src/learning/review.js';

const probability = fc.double({ min: 0, max: 1, noNaN: true });
const answers = fc.array(fc.boolean(), { maxLength: 30 });

describe('mastery (Bayesian Knowledge Tracing)', () => {
  it('stays strictly between 0 and 1 for any prior and any answers', () => {
    fc.assert(
      fc.property(probability, answers, (p, a) => {
        const m = updateMasteryAll(p, a);
        return m > 0 && m < 1;
      }),
    );
  });

  it('a right answer raises mastery and a wrong one lowers it (away from the extremes)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 0.95, noNaN: true }), (p) => updateMastery(p, true) > p && updateMastery(p, false) < updateMastery(p, true)),
    );
  });

  it('is monotone in correct answers: turning any wrong answer into a right one never lowers the final mastery', () => {
    fc.assert(
      fc.property(probability, answers.filter((a) => a.includes(false)), fc.nat(), (p, a, k) => {
        const wrong = a.flatMap((x, i) => (x ? [] : [i]));
        const flipped = [...a];
        flipped[wrong[k % wrong.length]!] = true;
        return updateMasteryAll(p, flipped) >= updateMasteryAll(p, a) - 1e-12;
      }),
    );
  });

  it('is monotone in the prior: knowing more before never means knowing less after the same answers', () => {
    fc.assert(
      fc.property(probability, probability, answers, (x, y, a) => {
        const [lo, hi] = x <= y ? [x, y] : [y, x];
        return updateMasteryAll(hi, a) >= updateMasteryAll(lo, a) - 1e-12;
      }),
    );
  });

  it('studying raises mastery, more for easier lessons; the expected success lies between guessing and not slipping', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 0.99, noNaN: true }), fc.constantFrom(1, 2, 3), (p, level) => {
        const c = successChance(p, level);
        return studyMastery(p, level) > p && c >= GUESS && c <= 1 - SLIP + 1e-12;
      }),
    );
    expect(studyMastery(P_INIT, 1)).toBeGreaterThan(studyMastery(P_INIT, 2));
    expect(studyMastery(P_INIT, 2)).toBeGreaterThan(studyMastery(P_INIT, 3));
  });

  it('a beginner who studies a level-1 lesson and gets 3/3 has mastered it; 1/3 has not', () => {
    const studied = studyMastery(P_INIT, 1);
    expect(isMastered(updateMasteryAll(studied, [true, true, true]))).toBe(true);
    expect(isMastered(updateMasteryAll(studied, [true, false, false]))).toBe(false);
    expect(isMastered(updateMasteryAll(P_INIT, [true]))).toBe(false);
  });
});

describe('spaced review (FSRS)', () => {
  it('each remembered review pushes the next one further away; a forgotten one brings it back within a week', () => {
    const start = new Date('2026-11-23T08:00:00Z');
    let card = startReview(start);
    let gap = card.due.getTime() - start.getTime();
    expect(gap).toBeGreaterThan(86_400_000);
    for (let i = 0; i < 4; i++) {
      const at = card.due;
      card = recordReview(card, at, gradeReview(3, 3));
      const next = card.due.getTime() - at.getTime();
      expect(next).toBeGreaterThan(gap);
      gap = next;
    }
    const forgotten = recordReview(card, card.due, gradeReview(0, 3));
    expect(forgotten.due.getTime() - card.due.getTime()).toBeLessThanOrEqual(7 * 86_400_000);
  });
});

describe('recommendations for any learner history', () => {
  const catalog = new LessonCatalog(loadLessons(join(REPO_ROOT, 'knowledge')));
  const ids = catalog.lessons.map((l) => l.id);
  const lessonState: fc.Arbitrary<LessonState> = fc.record({
    mastery: fc.double({ min: 0.001, max: 0.999, noNaN: true }),
    stepsSeen: fc.nat({ max: 7 }),
    attempts: fc.nat({ max: 5 }),
    reviewDue: fc.option(fc.date({ min: new Date('2026-01-01'), max: new Date('2027-12-31'), noInvalidDate: true }), { nil: undefined }),
  });
  const learnerState: fc.Arbitrary<LearnerState> = fc.record({
    goal: fc.option(fc.constantFrom(...TOPICS), { nil: undefined }),
    needs: fc.uniqueArray(fc.constantFrom(...ids), { maxLength: 6 }).map((a) => new Set(a)),
    lessons: fc.dictionary(fc.constantFrom(...ids), lessonState).map((d) => new Map(Object.entries(d))),
    recentQuestions: fc.array(fc.constantFrom(...ids), { maxLength: 30 }),
  });
  const now = new Date('2026-11-23T08:00:00Z');

  it('offers only lessons whose prerequisites are mastered and that are not mastered, or due reviews of safety lessons', () => {
    fc.assert(
      fc.property(learnerState, (state) => {
        const { next, alternative } = recommend(catalog, state, now);
        for (const rec of [next, alternative]) {
          if (!rec) continue;
          const own = state.lessons.get(rec.lesson.id);
          if (rec.kind === 'review') {
            expect(rec.lesson.topic).toBe('an-toan');
            expect(isMastered(own!.mastery)).toBe(true);
            expect(own!.reviewDue!.getTime()).toBeLessThanOrEqual(now.getTime());
          } else {
            expect(isMastered(own?.mastery ?? 0)).toBe(false);
            for (const p of rec.lesson.prerequisites) expect(isMastered(state.lessons.get(p)?.mastery ?? 0)).toBe(true);
          }
          expect(rec.reason).toMatch(/\S{2,}/);
          expect(rec.reason).not.toMatch(/undefined|NaN/);
        }
        if (next && alternative) expect(alternative.lesson.id).not.toBe(next.lesson.id);
      }),
      { numRuns: 300 },
    );
  });

  it('always has something to offer a learner who has not mastered everything', () => {
    fc.assert(
      fc.property(learnerState, (state) => {
        const unmastered = catalog.lessons.some((l) => !isMastered(state.lessons.get(l.id)?.mastery ?? 0));
        return !unmastered || recommend(catalog, state, now).next !== undefined;
      }),
      { numRuns: 200 },
    );
  });
});
