import type { LessonCatalog } from '../lessons/catalog.js';
import type { Topic } from '../lessons/schema.js';

/**
 * When a learner counts as having basic digital skills, after the plans' indicator: an adult "có tri thức cơ bản
 * về chuyển đổi số, có kỹ năng số, sử dụng được thiết bị thông minh để khai thác thông tin, sử dụng nền tảng, dịch
 * vụ số thiết yếu, biết bảo vệ bản thân trên môi trường số" (80% by 2025, 100% by 2026). So: at least one mastered
 * lesson in each of the three groups below. The moment of reaching it is when the last group was first mastered.
 */
export const BASIC_GROUPS: { label: string; topics: Topic[] }[] = [
  { label: 'Sử dụng thiết bị thông minh', topics: ['dien-thoai'] },
  { label: 'Sử dụng dịch vụ số thiết yếu', topics: ['vneid', 'dich-vu-cong', 'thanh-toan', 'suc-khoe', 'mua-ban-online'] },
  { label: 'Biết bảo vệ bản thân trên môi trường số', topics: ['an-toan'] },
];

/** The plans' targets for the share of adults with basic digital skills. */
export const TARGETS = { 2025: 0.8, 2026: 1 } as const;

/** Lesson ids and the group of each, as parallel arrays for SQL unnest(). */
export function basicGroupLessons(catalog: LessonCatalog): { lessonIds: string[]; groups: number[] } {
  const lessonIds: string[] = [];
  const groups: number[] = [];
  BASIC_GROUPS.forEach((g, i) => {
    for (const t of g.topics) {
      for (const l of catalog.inTopic(t)) {
        lessonIds.push(l.id);
        groups.push(i);
      }
    }
  });
  return { lessonIds, groups };
}

/**
 * SQL for "who has reached the basic level, and when": a CTE named `basic (learner_id, basic_at)` over the learners
 * selected by ward ($3 text[]) or by id ($3 uuid[]). Parameters: basicParams(). The one definition used by the
 * dashboards and by the community views.
 */
export function basicCte(by: 'ward' | 'learner'): string {
  const filter = by === 'ward' ? 'l.ward = ANY($3::text[])' : 'l.id = ANY($3::uuid[])';
  return `WITH firsts AS (
      SELECT p.learner_id, g.grp, min(p.mastered_at) AS first_at
      FROM lesson_progress p
      JOIN unnest($1::text[], $2::int[]) AS g(lesson_id, grp) ON g.lesson_id = p.lesson_id
      JOIN learners l ON l.id = p.learner_id AND ${filter}
      WHERE p.mastered_at IS NOT NULL
      GROUP BY p.learner_id, g.grp
    ), basic AS (
      SELECT learner_id, max(first_at) AS basic_at FROM firsts GROUP BY learner_id HAVING count(*) = $4
    )`;
}

/** $1-$4 of basicCte: the lessons of each group, the wards or learner ids, the number of groups. */
export function basicParams(catalog: LessonCatalog, selection: readonly string[]): unknown[] {
  const { lessonIds, groups } = basicGroupLessons(catalog);
  return [lessonIds, groups, selection, BASIC_GROUPS.length];
}
