import { z } from 'zod';

export const TOPICS = ['vneid', 'dich-vu-cong', 'thanh-toan', 'an-toan', 'suc-khoe', 'dien-thoai', 'mua-ban-online'] as const;
export type Topic = (typeof TOPICS)[number];

/** How each topic is named to a citizen. */
export const TOPIC_LABELS: Record<Topic, string> = {
  vneid: 'VNeID – định danh điện tử',
  'dich-vu-cong': 'Dịch vụ công trực tuyến',
  'thanh-toan': 'Chuyển tiền, thanh toán',
  'an-toan': 'An toàn, tránh lừa đảo',
  'suc-khoe': 'Sức khỏe điện tử',
  'dien-thoai': 'Dùng điện thoại',
  'mua-ban-online': 'Mua bán online',
};

const text = z.string().trim().min(1, 'must not be empty');

export const QuizQuestionSchema = z
  .object({
    question: text,
    options: z.array(text).min(2, 'needs at least 2 options').max(5, 'at most 5 options'),
    answer: z.number().int('must be a whole number'),
    why: text,
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.answer < 0 || q.answer >= q.options.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['answer'],
        message: `answer index ${q.answer} is out of range (0-${q.options.length - 1})`,
      });
    }
  });

export const SourceSchema = z
  .object({
    url: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }),
    title: text.optional(),
    checked: z
      .union([z.string(), z.date()])
      .transform((d) => (d instanceof Date ? d.toISOString().slice(0, 10) : d))
      .pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')),
  })
  .strict();

/** An illustration is an SVG drawn for the project, named by its file in knowledge/media/ without ".svg". */
export const IMAGE_NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** A step is its text, or its text with an illustration. */
export const StepSchema = z.union([
  text,
  z
    .object({ text, image: z.string().regex(IMAGE_NAME, 'must name an SVG in knowledge/media/ (a-z 0-9 -)') })
    .strict(),
]);

export const LessonSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lowercase letters, digits and dashes'),
    title: text,
    topic: z.enum(TOPICS, { message: `unknown topic (allowed: ${TOPICS.join(', ')})` }),
    level: z.number().int().min(1, 'must be 1, 2 or 3').max(3, 'must be 1, 2 or 3'),
    summary: text,
    prerequisites: z.array(z.string()).default([]),
    keywords: z.array(text).min(1, 'needs at least one keyword'),
    digcomp: z.array(z.coerce.string()).default([]),
    sources: z.array(SourceSchema, { message: 'no source: every lesson cites at least one' }).min(1, 'no source: every lesson cites at least one'),
    steps: z.array(StepSchema).min(3, 'needs 3 to 7 steps').max(7, 'needs 3 to 7 steps'),
    pitfalls: z.array(text).default([]),
    quiz: z.array(QuizQuestionSchema).min(1, 'needs at least one quiz question').max(6, 'at most 6 quiz questions'),
  })
  .strict();

export type LessonFrontMatter = Omit<z.infer<typeof LessonSchema>, 'steps'> & {
  /** Step texts, in order. */
  steps: string[];
  /** The illustration of each step (same index as steps), or null. */
  images: (string | null)[];
};
export type QuizQuestion = z.infer<typeof QuizQuestionSchema>;

/** A validated lesson as the rest of the server sees it. */
export interface Lesson extends LessonFrontMatter {
  /** Markdown body after the front matter. */
  body: string;
  /** Path relative to the knowledge folder, for error messages and citations. */
  file: string;
  /** sha256 of the file's bytes: re-indexing is skipped when it has not changed. */
  hash: string;
}

/** What a reply cites: enough for a link in the mini app. */
export interface LessonRef {
  id: string;
  title: string;
  topic: Topic;
}

export function toLessonRef(lesson: Pick<Lesson, 'id' | 'title' | 'topic'>): LessonRef {
  return { id: lesson.id, title: lesson.title, topic: lesson.topic };
}
