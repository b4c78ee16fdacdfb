/**
 * The officers' and admins' API as the mini app sees it (bot-server/src: broadcast/plugin.ts, broadcast/compose.ts,
 * dashboard/plugin.ts, roles/plugin.ts). Kept apart from types.ts: only the officers' screens load it.
 */
import type { Role, Tip } from './types';

export type Priority = 'normal' | 'scam_alert';

/** What an officer sends: checked by the server, which names every problem in Vietnamese. */
export interface Draft {
  title: string;
  body: string;
  lessonId?: string;
  priority: Priority;
  audience: { wards: string[]; topic?: string; unfinishedLesson?: string };
  /** ISO date-time with offset; absent: now. */
  sendAt?: string;
  /** ISO date-time with offset; absent: 14 days after sending. */
  expiresAt?: string;
}

export interface OfficerScope {
  province: string;
  /** The wards this officer may address and see (every ward for an admin). */
  wards: string[];
}

export interface Preview {
  /** Exactly the tip the citizen will see. */
  tip: Tip;
  /** When it will be pushed to phones. */
  pushAt: string;
  /** A normal tip due between 22:00 and 08:00 waits until 08:00 to be pushed. */
  heldForQuietHours: boolean;
}

export interface BroadcastReport {
  targeted: number;
  delivered: number;
  failed: number;
  /** In the feed only: no open mini app and no Zalo channel for them. */
  feedOnly: number;
  pending: number;
  opened: number;
}

export type BroadcastStatus = 'scheduled' | 'fanning_out' | 'sent' | 'cancelled';

export interface Broadcast {
  id: string;
  author?: string;
  title: string;
  body: string;
  lessonId?: string;
  priority: Priority;
  wards: string[];
  topic?: string;
  unfinishedLesson?: string;
  sendAt: string;
  expiresAt: string;
  status: BroadcastStatus;
  report: BroadcastReport;
}

export interface WardFigures {
  ward: string;
  adults: number;
  learners: number;
  lessonsCompleted: number;
  basic: number;
  /** basic / adults, 0..1. */
  share: number;
  /** Learners still needed to reach each year's target. */
  missing: { 2025: number; 2026: number };
}

export interface DashboardData {
  province: string;
  generatedAt: string;
  /** Shares of adults at the basic level the plans ask for: {2025: 0.8, 2026: 1}. */
  targets: { 2025: number; 2026: number };
  /** What "basic level" means, one line per group of skills. */
  basicLevel: string[];
  totals: { adults: number; learners: number; lessonsCompleted: number; basic: number; share: number };
  wards: WardFigures[];
  /** 12 weeks, oldest first; `week` is the Monday (YYYY-MM-DD) each point ends the week of. */
  trend: { week: string; learners: number; basic: number }[];
  /** This week's most asked questions (redacted by the server). */
  topQuestions: { question: string; asked: number }[];
}

export interface Grant {
  externalId: string;
  name: string;
  role: Role;
  ward: string;
  grantedAt: string;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  detail: Record<string, unknown>;
}

/** A Tổ công nghệ số cộng đồng of one of the officer's wards (bot-server/src/community/teams.ts). */
export interface Team {
  id: string;
  name: string;
  ward: string;
  /** `name` is the member's Zalo name ("Chưa đăng nhập" until they first open the app). */
  members: { externalId: string; name: string; mentees: number }[];
}

/** One team's standing in the year (bot-server/src/community/leaderboard.ts). */
export interface TeamRank {
  teamId: string;
  team: string;
  ward: string;
  members: number;
  /** Members guiding at least five neighbours (Đại sứ số 1:5). */
  mentorsAtTarget: number;
  mentees: number;
  menteesBasic: number;
  helpSessions: number;
  /** 3 × menteesBasic + mentees + helpSessions. */
  score: number;
}

export interface Leaderboard {
  year: number;
  teams: TeamRank[];
  households: {
    top: { household: string; ward: string; members: number; membersBasic: number }[];
    byWard: { ward: string; households: number; covered: number }[];
  };
}
