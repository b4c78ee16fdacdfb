/**
 * Mastery is Bayesian Knowledge Tracing (Corbett & Anderson, 1995): for each lesson, the probability p that the
 * learner knows it. Each quiz answer is evidence, weighed by how often someone who knows still slips (SLIP) and how
 * often someone who does not know guesses right (GUESS, about one in four with 3-4 options). After each answer,
 * and once when every step has been viewed, the learner may have learned: p += (1 - p) * T.
 *
 * Because 1 - SLIP > GUESS, a correct answer always raises p and a wrong one lowers it, and every update is
 * increasing in p. So turning any wrong answer of a sequence into a right one never lowers the final mastery
 * (tested with fast-check), and p stays strictly between 0 and 1.
 */

export const P_INIT = 0.2;
export const SLIP = 0.1;
export const GUESS = 0.25;
/** Chance of learning from answering one question and seeing its explanation. */
export const T_ANSWER = 0.15;
/** Chance of learning from working through all the steps once, by lesson level: harder lessons teach less at once. */
export const T_STUDY: Record<number, number> = { 1: 0.8, 2: 0.5, 3: 0.25 };
/**
 * At or above this, the lesson counts as mastered: its followers open, and a safety lesson is scheduled for review.
 * 0.95 is BKT's usual threshold: after studying, a three-question quiz masters a lesson when all three are right.
 */
export const MASTERED = 0.95;
/** What "I already do this" in the placement check sets: known, but one wrong quiz answer still shows otherwise. */
export const SELF_REPORTED = 0.97;

const clampOpen = (p: number) => Math.min(1 - 1e-6, Math.max(1e-6, p));

/** The posterior after one answer, then the chance of having learned from it. */
export function updateMastery(p: number, correct: boolean): number {
  const posterior = correct
    ? (p * (1 - SLIP)) / (p * (1 - SLIP) + (1 - p) * GUESS)
    : (p * SLIP) / (p * SLIP + (1 - p) * (1 - GUESS));
  return clampOpen(posterior + (1 - posterior) * T_ANSWER);
}

export function updateMasteryAll(p: number, answers: readonly boolean[]): number {
  // Clamped first, so that even a prior of exactly 0 or 1 with no answers comes back a probability in (0, 1).
  return answers.reduce(updateMastery, clampOpen(p));
}

/** Having seen every step of a lesson of this level. */
export function studyMastery(p: number, level: number): number {
  return clampOpen(p + (1 - p) * (T_STUDY[level] ?? T_STUDY[2]!));
}

/**
 * The chance of answering the lesson's quiz questions right after studying it: the success a recommendation
 * aims at (70-85%: hard enough to learn from, easy enough not to discourage).
 */
export function successChance(p: number, level: number): number {
  const studied = studyMastery(p, level);
  return studied * (1 - SLIP) + (1 - studied) * GUESS;
}

export function isMastered(p: number): boolean {
  return p >= MASTERED;
}
