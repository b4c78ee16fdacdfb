/** The bot server's API as the mini app sees it (bot-server/src: lessons/plugin.ts, chat/schema.ts). */
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
  next?: { id: string; title: string };
  choices?: { label: string; message: string }[];
  /** Written by a language model from the cited lessons (checked by the server). */
  generated?: boolean;
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
}

export interface AreaList {
  province: string;
  wards: string[];
}
