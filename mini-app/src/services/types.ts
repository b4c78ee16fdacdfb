/**
 * The bot server's API as the mini app sees it (bot-server/src: lessons/plugin.ts, chat/schema.ts,
 * identity/plugin.ts, learning/plugin.ts).
 */
export type ReplyKind = 'answer' | 'clarify' | 'out_of_scope' | 'safety';

export interface LessonRef {
  id: string;
  title: string;
  topic: string;
}

export interface ChatReply {
  kind: ReplyKind;
  answer: string;
  lessons: LessonRef[];
  /** For a signed-in learner, personalised, with one line saying why. */
  next?: { id: string; title: string; reason?: string };
  /** A lesson the signed-in learner should learn before following this answer. */
  prerequisite?: { id: string; title: string; text: string };
  choices?: { label: string; message: string }[];
  /** Written by a language model from the cited lessons (checked by the server). */
  generated?: boolean;
  /**
   * The question as the server kept it, only when it took personal data out (ID, phone, OTP, card and account
   * numbers, addresses, emails, passwords replaced by "[số định danh]" and the like): the phone keeps this too.
   */
  asked?: string;
}

/** One exchange of a signed-in learner's conversation as the server keeps it (GET /api/chat/history). */
export interface ChatHistoryEntry {
  /** The question with personal data taken out. */
  asked: string;
  answer: string;
  kind: ReplyKind;
  /** The lesson the answer cited. */
  lessonId?: string;
  /** ISO date-time. */
  at: string;
}

export interface TopicInfo {
  id: string;
  label: string;
  count: number;
}

export interface LessonSummary {
  id: string;
  title: string;
  topic: string;
  level: number;
  summary: string;
  prerequisites: string[];
}

export interface QuizQuestion {
  question: string;
  options: string[];
  answer: number;
  why: string;
}

export interface Lesson extends LessonSummary {
  topicLabel: string;
  steps: string[];
  images: (string | null)[];
  pitfalls: string[];
  quiz: QuizQuestion[];
  body: string;
  sources: { url: string; title?: string; checked: string }[];
  next?: { id: string; title: string };
}

export interface Tip {
  id: string;
  title: string;
  body: string;
  priority: 'normal' | 'scam_alert';
  lessonId?: string;
  publishedAt: string;
  /** Only for a signed-in learner the tip was addressed to: whether they have opened it. */
  opened?: boolean;
}

export interface AreaList {
  province: string;
  wards: string[];
}

export interface Area {
  province: string;
  ward: string;
}

/** The signed-in learner as the server knows them. */
export interface Profile {
  name: string;
  source: 'zalo' | 'development';
  area: Area | null;
  /** A topic id ("vneid", "an-toan", ...) the learner wants to learn first. */
  goal: string | null;
  /** The placement check was answered or skipped: it is not offered again. */
  placementDone: boolean;
  /** Officers' and admins' roles, given by the server (ward '' for an admin). Absent from older servers. */
  roles?: RoleGrant[];
}

export type Role = 'team_member' | 'officer' | 'admin';

export interface RoleGrant {
  role: Role;
  ward: string;
}

export interface SessionGrant {
  token: string;
  /** ISO date-time. */
  expiresAt: string;
  profile: Profile;
}

export interface ServerLessonProgress {
  id: string;
  stepsSeen: number;
  /** Estimated chance (0..1) that the learner knows the lesson. */
  mastery: number;
  mastered: boolean;
  attempts: number;
  bestCorrect?: number;
  bestTotal?: number;
  completedAt?: string;
  /** When a safety lesson should be practised again. */
  reviewDue?: string;
}

export interface LessonRecommendation {
  id: string;
  title: string;
  topic: string;
  /** 'review': a mastered lesson due for practice, opened straight at its quiz. */
  kind: 'learn' | 'review';
  /** One Vietnamese line: why this lesson now. */
  reason: string;
  chance: number;
}

export interface Recommendations {
  next?: LessonRecommendation;
  alternative?: LessonRecommendation;
}

export interface StepsResult {
  id: string;
  stepsSeen: number;
  mastery: number;
}

export interface QuizResult extends Recommendations {
  lessonId: string;
  correct: number;
  total: number;
  results: { correct: boolean; answer: number }[];
  mastery: number;
  mastered: boolean;
  review?: boolean;
  reviewDue?: string;
  /** The same submission had been recorded before (a resend): nothing was counted twice. */
  replayed: boolean;
}

export interface PlacementQuestion {
  id: string;
  question: string;
  options: string[];
}
