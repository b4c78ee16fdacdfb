import { requestDownload, requestJson, type Download } from './api';
import type { LessonRecommendation } from './types';

/**
 * Tổ công nghệ số cộng đồng as the mini app sees it (bot-server/src/community: citizen-plugin.ts, member-plugin.ts).
 * Every call needs the session. A neighbour is linked to the member who brought them only when they agree, and the
 * member sees their progress only when they agree to that as well; either can be changed or withdrawn.
 */

/** Who a referral code belongs to, as the consent screen names them. */
export interface ReferralOwner {
  mentorName: string;
  teamName: string;
  ward: string;
}

/** The neighbour's own link to the member who brought them. */
export interface MyReferral {
  mentorName: string;
  teamName: string;
  shareProgress: boolean;
  consentedAt: string;
}

export interface Household {
  inviteCode: string;
  members: { name: string; basic: boolean; you: boolean }[];
  /** At least one member reached the basic level: the household counts as a Gia đình số. */
  covered: boolean;
}

/** The member's own page: their team, code and link, and their neighbours against the target (Đại sứ số 1:5). */
export interface MemberInfo {
  team: string;
  ward: string;
  code: string;
  link: string;
  mentees: number;
  target: number;
  /** What a help session may record: id → Vietnamese label. */
  activities: Record<string, string>;
}

export interface MenteeProgress {
  lessonsDone: number;
  mastered: number;
  basic: boolean;
  lastActivity?: string;
  /** Why the neighbour needs a visit, in Vietnamese (a quiz failed twice, two weeks without learning). */
  stuck?: string;
  /** The lesson to go through together, with its reason. */
  next?: LessonRecommendation;
}

export interface Mentee {
  id: string;
  name: string;
  joinedAt: string;
  shareProgress: boolean;
  helpSessions: number;
  /** Only when the neighbour agreed to share their progress. */
  progress?: MenteeProgress;
}

const post = (body?: unknown): RequestInit => ({ method: 'POST', ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
const enc = encodeURIComponent;

// A neighbour's side.

export function lookupReferralCode(code: string): Promise<ReferralOwner> {
  return requestJson(`/api/referrals/code/${enc(code)}`, { auth: 'required' });
}

export function acceptReferral(code: string, shareProgress: boolean): Promise<{ referral: MyReferral | null }> {
  return requestJson('/api/referrals', { ...post({ code, shareProgress }), auth: 'required' });
}

export function fetchMyReferral(): Promise<{ referral: MyReferral | null }> {
  return requestJson('/api/referrals/mine', { auth: 'required' });
}

export function changeReferralSharing(shareProgress: boolean): Promise<{ referral: MyReferral | null }> {
  return requestJson('/api/referrals/mine', { method: 'PATCH', body: JSON.stringify({ shareProgress }), auth: 'required' });
}

export function withdrawReferral(): Promise<{ removed: boolean }> {
  return requestJson('/api/referrals/mine', { method: 'DELETE', auth: 'required' });
}

export function fetchHousehold(): Promise<{ household: Household | null }> {
  return requestJson('/api/household', { auth: 'required' });
}

export function createHousehold(): Promise<{ household: Household }> {
  return requestJson('/api/household', { ...post(), auth: 'required' });
}

export function joinHousehold(code: string): Promise<{ household: Household }> {
  return requestJson('/api/household/join', { ...post({ code }), auth: 'required' });
}

export function leaveHousehold(): Promise<{ left: boolean }> {
  return requestJson('/api/household/leave', { ...post(), auth: 'required' });
}

// A member's side.

export function fetchMemberInfo(): Promise<MemberInfo> {
  return requestJson('/api/community/me', { auth: 'required' });
}

/** The QR code of the member's link, as PNG bytes (behind the session, so fetched rather than linked). */
export function fetchReferralQr(): Promise<Download> {
  return requestDownload('/api/community/qr.png', { auth: 'required', headers: { accept: 'image/png, application/json' } });
}

export function rotateReferralCode(): Promise<{ code: string; link: string }> {
  return requestJson('/api/community/code/rotate', { ...post(), auth: 'required' });
}

export function fetchMentees(): Promise<{ mentees: Mentee[]; target: number }> {
  return requestJson('/api/community/mentees', { auth: 'required' });
}

export function recordHelpSession(learnerId: string, activities: string[], note?: string): Promise<{ id: number }> {
  return requestJson('/api/community/help-sessions', { ...post({ learnerId, activities, ...(note ? { note } : {}) }), auth: 'required' });
}

/** A code as printed and read aloud: in groups of four ("ABCD EFGH JKMN"); the server ignores the spaces. */
export function groupCode(code: string): string {
  return code.replace(/(.{4})(?=.)/g, '$1 ');
}
