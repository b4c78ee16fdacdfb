import { type Card, createEmptyCard, fsrs, type Grade, Rating } from 'ts-fsrs';

/**
 * Spaced review of safety lessons with FSRS (ts-fsrs): a mastered anti-scam lesson comes back as a short quiz just
 * before it is likely to be forgotten, further apart each time it is remembered. Days, not minutes: a citizen
 * reviews at most once a day, so FSRS's short-term learning steps are off.
 */
const scheduler = fsrs({ enable_short_term: false, enable_fuzz: false, request_retention: 0.9, maximum_interval: 365 });

/** The topics whose mastered lessons are reviewed. */
export const REVIEWED_TOPICS: ReadonlySet<string> = new Set(['an-toan']);

/** How a review quiz went, as an FSRS grade. */
export function gradeReview(correct: number, total: number): Grade {
  if (total === 0 || correct / total < 0.5) return Rating.Again;
  if (correct < total) return Rating.Hard;
  return Rating.Good;
}

/** The card of a lesson just mastered: first review a few days from now. */
export function startReview(now: Date): Card {
  return scheduler.next(createEmptyCard(now), now, Rating.Good).card;
}

export function recordReview(card: Card, now: Date, grade: Grade): Card {
  return scheduler.next(card, now, grade).card;
}

/** Cards are stored as JSON: dates come back as strings. */
export function reviveCard(json: unknown): Card {
  const c = json as Record<string, unknown>;
  return {
    ...(c as unknown as Card),
    due: new Date(c.due as string),
    last_review: c.last_review ? new Date(c.last_review as string) : undefined,
  };
}
