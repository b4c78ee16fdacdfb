import type { ReactNode } from 'react';
import { RoleGate } from '../../components/role-gate';
import { Screen } from '../../components/screen';
import { isTeamMember } from '../../stores/account';

/**
 * A community screen: it needs the account on the server (referrals and households live there), and with
 * need="member" the community team role. The server checks both on every request; this only spares a screen of
 * errors. A role granted since signing in is picked up by reading the profile again.
 */
export function CommunityScreen({ title, need, children }: { title: string; need?: 'member'; children: ReactNode }) {
  return (
    <Screen title={title} className="community-screen">
      <RoleGate
        has={(profile) => need !== 'member' || isTeamMember(profile)}
        signedOut={<p className="note note-info">Phần này cần kết nối với máy chủ của trợ lý. Bác kiểm tra Wi-Fi hoặc 4G rồi mở lại ứng dụng nhé.</p>}
        denied={<p className="note note-info">Trang này dành cho thành viên Tổ công nghệ số cộng đồng. Bác liên hệ cán bộ phường, xã để tham gia.</p>}
      >
        {children}
      </RoleGate>
    </Screen>
  );
}

/** "12/3/2026", as the citizen's other screens write dates. */
export function shortDate(iso: string): string {
  const d = new Date(iso);
  return `${d.getDate()}/${d.getMonth() + 1}/${d.getFullYear()}`;
}

/** "Anh/chị Lan, Tổ công nghệ số khu 3, Phường Việt Trì": the parts the server gave, in that order. */
export function mentorLine(r: { mentorName: string; teamName?: string; ward?: string }): string {
  return [`Anh/chị ${r.mentorName}`, r.teamName, r.ward].filter(Boolean).join(', ');
}
