import { ApiError, errorText } from '../../services/api';
import { fetchMemberInfo, fetchMentees, type MemberInfo, type Mentee } from '../../services/community-api';
import { createStore } from '../../stores/store';

/** The member's page and the help-session screen share what was loaded: the member's info and their neighbours. */
export interface MemberState {
  info: MemberInfo | null;
  infoError: string;
  /** The server says this account is in no team (the role without a team, or removed from it). */
  notMember: boolean;
  mentees: Mentee[] | null;
  menteesError: string;
  target: number;
}

export const memberStore = createStore<MemberState>({ info: null, infoError: '', notMember: false, mentees: null, menteesError: '', target: 5 });

export async function loadMemberInfo(): Promise<void> {
  memberStore.set((s) => ({ ...s, infoError: '' }));
  try {
    const info = await fetchMemberInfo();
    memberStore.set((s) => ({ ...s, info, target: info.target, notMember: false }));
  } catch (e) {
    const notMember = e instanceof ApiError && (e.code === 'NOT_A_MEMBER' || e.status === 403);
    memberStore.set((s) => ({ ...s, info: null, notMember, infoError: errorText(e, 'Chưa tải được mã giới thiệu của bác.') }));
  }
}

export async function loadMentees(): Promise<void> {
  memberStore.set((s) => ({ ...s, menteesError: '' }));
  try {
    const { mentees, target } = await fetchMentees();
    memberStore.set((s) => ({ ...s, mentees, target }));
  } catch (e) {
    memberStore.set((s) => ({ ...s, menteesError: errorText(e, 'Chưa tải được danh sách người bác giúp.') }));
  }
}

export function updateCode(code: string, link: string): void {
  memberStore.set((s) => ({ ...s, info: s.info && { ...s.info, code, link } }));
}
