import { useEffect, type ReactNode } from 'react';
import { Screen } from '../../components/screen';
import { useGo } from '../../components/use-go';
import { accountStore, canUseConsole, isAdmin, refreshProfile } from '../../stores/account';
import { useStore } from '../../stores/store';

/**
 * A screen of the officers' console (or, with need="admin", of the admin screen). Shown only to someone whose
 * server profile holds the role; the server refuses everyone else anyway (403), this only spares them a screen of
 * errors. A role granted since signing in is picked up by reading the profile again.
 */
export function OfficerScreen({ title, need = 'officer', back = true, children }: { title: string; need?: 'officer' | 'admin'; back?: boolean; children: ReactNode }) {
  const navigate = useGo();
  const { status, profile } = useStore(accountStore);
  const allowed = need === 'admin' ? isAdmin(profile) : canUseConsole(profile);
  useEffect(() => {
    if (status === 'signed-in' && !allowed) void refreshProfile();
  }, [status, allowed]);

  let body: ReactNode = children;
  if (status === 'starting') body = <p role="status">Đang đăng nhập…</p>;
  else if (status !== 'signed-in')
    body = <p className="note note-info">Trang này dành cho cán bộ phường, xã. Bác cần mở ứng dụng trong Zalo và có kết nối mạng để đăng nhập.</p>;
  else if (!allowed)
    body = (
      <p className="note note-info">
        {need === 'admin'
          ? 'Tài khoản của bác không có quyền quản trị.'
          : 'Tài khoản của bác chưa được cấp quyền cán bộ phường, xã. Bác liên hệ quản trị viên của tỉnh để được cấp quyền.'}
      </p>
    );

  return (
    <Screen title={title} className="officer-screen">
      {back && (
        <button type="button" className="btn btn-secondary back" onClick={() => navigate('/officer')}>
          Về trang cán bộ
        </button>
      )}
      {body}
    </Screen>
  );
}
