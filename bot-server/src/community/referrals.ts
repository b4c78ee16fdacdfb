import type { Db } from '../db/index.js';
import { basicCte, basicParams } from '../dashboard/basic-level.js';
import type { Learners } from '../identity/learners.js';
import { isMastered } from '../learning/mastery.js';
import type { LearningService, RecommendationView } from '../learning/service.js';
import type { LessonCatalog } from '../lessons/catalog.js';

/** What a mentor may record having done with a neighbour. */
export const HELP_ACTIVITIES = {
  'cai-ung-dung': 'Cài ứng dụng',
  'cai-vneid': 'Cài VNeID',
  'kich-hoat-vneid': 'Kích hoạt VNeID',
  'chuyen-tien-lan-dau': 'Chuyển tiền lần đầu',
  'nop-ho-so-dvc': 'Nộp hồ sơ dịch vụ công',
  'nhan-biet-lua-dao': 'Nhận biết lừa đảo',
  'kham-benh-truc-tuyen': 'Đặt lịch khám bệnh',
  khac: 'Việc khác',
} as const;
export type HelpActivity = keyof typeof HELP_ACTIVITIES;

/** Each Đại sứ số guides at least five learners (the plans' mentor-mentee 1:5). */
export const MENTEE_TARGET = 5;
/** No learning for this long, without the basic level: the mentor should call round. */
const STUCK_AFTER_DAYS = 14;

export interface MenteeView {
  id: string;
  name: string;
  joinedAt: string;
  shareProgress: boolean;
  helpSessions: number;
  /** Only when the neighbour agreed to share their progress with this mentor. */
  progress?: {
    lessonsDone: number;
    mastered: number;
    basic: boolean;
    lastActivity?: string;
    stuck?: string;
    next?: RecommendationView;
  };
}

export class ReferralError extends Error {
  constructor(readonly code: 'UNKNOWN_CODE' | 'SELF' | 'ALREADY_LINKED' | 'NOT_MENTEE') {
    super(code);
  }
}

/** Neighbours linked to the member who brought them, only with their consent, and what the member may see. */
export class Referrals {
  constructor(
    private readonly db: Db,
    private readonly catalog: LessonCatalog,
    private readonly learners: Learners,
    private readonly learning: LearningService,
  ) {}

  /** Who a code belongs to, as the consent screen names them. */
  async lookup(code: string): Promise<{ mentorId: string; mentorName: string; teamId: string; teamName: string; ward: string } | undefined> {
    const [row] = await this.db.query<{ learner_id: string; display_name: string; team_id: string; name: string; ward: string }>(
      `SELECT m.learner_id, l.display_name, m.team_id, t.name, t.ward
       FROM team_members m JOIN learners l ON l.id = m.learner_id JOIN teams t ON t.id = m.team_id WHERE m.referral_code = $1`,
      [code],
    );
    return row && { mentorId: row.learner_id, mentorName: row.display_name, teamId: row.team_id, teamName: row.name, ward: row.ward };
  }

  /** Links the learner to the code's member, with the sharing they chose. Choosing again with the same code updates it. */
  async link(learnerId: string, code: string, shareProgress: boolean): Promise<void> {
    const mentor = await this.lookup(code);
    if (!mentor) throw new ReferralError('UNKNOWN_CODE');
    if (mentor.mentorId === learnerId) throw new ReferralError('SELF');
    const rows = await this.db.query<{ mentor_id: string }>(
      `INSERT INTO referrals AS r (learner_id, mentor_id, team_id, share_progress) VALUES ($1, $2, $3, $4)
       ON CONFLICT (learner_id) DO UPDATE SET share_progress = EXCLUDED.share_progress WHERE r.mentor_id = EXCLUDED.mentor_id
       RETURNING mentor_id`,
      [learnerId, mentor.mentorId, mentor.teamId, shareProgress],
    );
    if (rows.length === 0) throw new ReferralError('ALREADY_LINKED');
  }

  async mine(learnerId: string): Promise<{ mentorName: string; teamName: string; shareProgress: boolean; consentedAt: string } | null> {
    const [row] = await this.db.query<{ display_name: string; name: string | null; share_progress: boolean; consented_at: Date | string }>(
      `SELECT l.display_name, t.name, r.share_progress, r.consented_at FROM referrals r
       JOIN learners l ON l.id = r.mentor_id LEFT JOIN teams t ON t.id = r.team_id WHERE r.learner_id = $1`,
      [learnerId],
    );
    return row ? { mentorName: row.display_name, teamName: row.name ?? '', shareProgress: row.share_progress, consentedAt: new Date(row.consented_at).toISOString() } : null;
  }

  async setSharing(learnerId: string, shareProgress: boolean): Promise<boolean> {
    return (await this.db.query('UPDATE referrals SET share_progress = $2 WHERE learner_id = $1 RETURNING 1', [learnerId, shareProgress])).length > 0;
  }

  /** The neighbour withdraws: the link goes, and with it everything the member could see. */
  async unlink(learnerId: string): Promise<boolean> {
    return (await this.db.query('DELETE FROM referrals WHERE learner_id = $1 RETURNING 1', [learnerId])).length > 0;
  }

  /** The member's mentees: only people who joined through them and agreed; progress only if they agreed to share it. */
  async mentees(mentorId: string, now = new Date()): Promise<MenteeView[]> {
    const rows = await this.db.query<{ learner_id: string; display_name: string; consented_at: Date | string; share_progress: boolean; sessions: number }>(
      `SELECT r.learner_id, l.display_name, r.consented_at, r.share_progress,
              (SELECT count(*)::int FROM help_sessions h WHERE h.mentor_id = r.mentor_id AND h.learner_id = r.learner_id) AS sessions
       FROM referrals r JOIN learners l ON l.id = r.learner_id WHERE r.mentor_id = $1 ORDER BY r.consented_at`,
      [mentorId],
    );
    const sharing = rows.filter((r) => r.share_progress).map((r) => r.learner_id);
    const basic = new Set(
      sharing.length === 0
        ? []
        : (await this.db.query<{ learner_id: string }>(`${basicCte('learner')} SELECT learner_id FROM basic`, basicParams(this.catalog, sharing))).map((r) => r.learner_id),
    );
    return Promise.all(
      rows.map(async (r) => {
        const view: MenteeView = {
          id: r.learner_id,
          name: r.display_name,
          joinedAt: new Date(r.consented_at).toISOString(),
          shareProgress: r.share_progress,
          helpSessions: r.sessions,
        };
        if (!r.share_progress) return view;
        const learner = await this.learners.get(r.learner_id);
        if (!learner) return view;
        const state = await this.learning.loadState(learner);
        const activity = await this.db.query<{ last: Date | string | null }>('SELECT max(updated_at) AS last FROM lesson_progress WHERE learner_id = $1', [r.learner_id]);
        const last = activity[0]?.last ? new Date(activity[0].last) : undefined;
        const states = [...state.lessons.entries()];
        const failing = states
          .filter(([id, s]) => s.attempts >= 2 && !isMastered(s.mastery) && this.catalog.get(id))
          .map(([id]) => this.catalog.get(id)!);
        const isBasic = basic.has(r.learner_id);
        // Idle since their last lesson, or since they joined: a neighbour who joined today is not stuck yet.
        const since = Math.max(last?.getTime() ?? 0, new Date(r.consented_at).getTime());
        const idle = !isBasic && now.getTime() - since > STUCK_AFTER_DAYS * 86_400_000;
        const stuck = failing[0]
          ? `Làm bài kiểm tra «${failing[0].title}» nhiều lần chưa qua.`
          : idle
            ? `${STUCK_AFTER_DAYS} ngày nay chưa học bài nào.`
            : undefined;
        const { next } = await this.learning.recommendations(learner, now);
        view.progress = {
          lessonsDone: states.filter(([, s]) => s.completedAt).length,
          mastered: states.filter(([, s]) => isMastered(s.mastery)).length,
          basic: isBasic,
          ...(last ? { lastActivity: last.toISOString() } : {}),
          ...(stuck ? { stuck } : {}),
          ...(next ? { next } : {}),
        };
        return view;
      }),
    );
  }

  /** Records an in-person help session with one of the member's own mentees. */
  async recordHelp(mentorId: string, learnerId: string, activities: HelpActivity[], note: string | undefined): Promise<number> {
    return this.db.transaction(async (tx) => {
      const [link] = await tx.query<{ team_id: string | null }>('SELECT team_id FROM referrals WHERE learner_id = $1 AND mentor_id = $2', [learnerId, mentorId]);
      if (!link) throw new ReferralError('NOT_MENTEE');
      const [row] = await tx.query<{ id: number | string }>(
        'INSERT INTO help_sessions (mentor_id, learner_id, team_id, activities, note) VALUES ($1, $2, $3, $4, $5) RETURNING id',
        [mentorId, learnerId, link.team_id, activities, note ?? null],
      );
      return Number(row!.id);
    });
  }
}
