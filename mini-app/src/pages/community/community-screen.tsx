import { useEffect, type ReactNode } from 'react';
import { Screen } from '../../components/screen';
import { accountStore, isTeamMember, refreshProfile } from '../../stores/account';
import { useStore } from '../../stores/store';

/**
 * A community screen: it needs the account on the server (referrals and households live there), and with
 * need="member" the community team role. The server checks both on every request; this only spares a screen of
 * errors. A role granted since signing in is picked up by reading the profile again.
 */
export function CommunityScreen({ title, need, children }: { title: string; need?: 'member'; children: ReactNode }) {
  const { status, profile } = useStore(accountStore);
  const allowed = need !== 'member' || isTeamMember(profile);
  useEffect(() => {
    if (status === 'signed-in' && !allowed) void refreshProfile();
  }, [status, allowed]);

  let body: ReactNode = children;
  if (status === 'starting') body = <p role="status">Đang đăng nhập…</p>;
  else if (status !== 'signed-in')
    body = (
      <p className="note note-info">
        Phần này cần kết nối với máy chủ của trợ lý. Bác kiểm tra Wi-Fi hoặc 4G rồi mở lại ứng dụng nhé.
      </p>
    );
  else if (!allowed)
    body = (
      <p className="note note-info">
        Trang này dành cho thành viên Tổ công nghệ số cộng đồng. Bác liên hệ cán bộ phường, xã để tham gia.
      </p>
    );

  return (
    <Screen title={title} className="community-screen">
      {body}
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
