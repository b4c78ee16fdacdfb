import { TypoCorrector } from '../retrieval/typos.js';
import { foldedSyllables } from '../text/tokens.js';
import { type Lesson, type Topic, TOPICS } from './schema.js';

/** Measured with npm run eval: see the closing note of the catalogue issue. */
export const COMMON_SYLLABLE_SHARE = 0.3;

/**
 * The lessons in memory: they are few (tens to a few hundred) and every reply needs their titles, steps
 * and prerequisite graph, so the database is only asked to rank.
 */
export class LessonCatalog {
  readonly byId: Map<string, Lesson>;
  /** Folded syllable -> number of lessons using it; the vocabulary that typo correction maps onto. */
  readonly vocabulary: Map<string, number>;
  readonly typos: TypoCorrector;
  /** Syllables used by more than COMMON_SYLLABLE_SHARE of the lessons (see prepareQuery). */
  readonly commonSyllables: ReadonlySet<string>;

  constructor(readonly lessons: Lesson[]) {
    this.byId = new Map(lessons.map((l) => [l.id, l]));
    this.vocabulary = new Map();
    for (const l of lessons) {
      const text = [l.title, l.summary, ...l.keywords, ...l.steps, ...l.pitfalls, l.body].join(' ');
      for (const s of new Set(foldedSyllables(text))) this.vocabulary.set(s, (this.vocabulary.get(s) ?? 0) + 1);
    }
    this.typos = new TypoCorrector(this.vocabulary);
    this.commonSyllables = new Set([...this.vocabulary].filter(([, n]) => n > COMMON_SYLLABLE_SHARE * lessons.length).map(([s]) => s));
  }

  get(id: string): Lesson | undefined {
    return this.byId.get(id);
  }

  inTopic(topic: Topic): Lesson[] {
    return this.lessons.filter((l) => l.topic === topic).sort((a, b) => a.level - b.level || a.id.localeCompare(b.id));
  }

  topics(): Topic[] {
    return TOPICS.filter((t) => this.lessons.some((l) => l.topic === t));
  }

  /**
   * The lesson to learn after this one when nothing is known about the learner: one that builds on it
   * (same topic first, easiest first), else the next level of the same topic.
   */
  nextAfter(lessonId: string): Lesson | undefined {
    const current = this.byId.get(lessonId);
    if (!current) return undefined;
    const rank = (l: Lesson) => [l.topic === current.topic ? 0 : 1, l.level, l.id] as const;
    const byRank = (a: Lesson, b: Lesson) => {
      const [x, y] = [rank(a), rank(b)];
      return x[0] - y[0] || x[1] - y[1] || x[2].localeCompare(y[2]);
    };
    const followers = this.lessons.filter((l) => l.prerequisites.includes(lessonId)).sort(byRank);
    if (followers[0]) return followers[0];
    return this.inTopic(current.topic).find((l) => l.id !== lessonId && l.level >= current.level && !current.prerequisites.includes(l.id));
  }
}
