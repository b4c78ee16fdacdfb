import type { ReactNode } from 'react';
import { RoleGate } from '../../components/role-gate';
import { Screen } from '../../components/screen';
import { useGo } from '../../components/use-go';
import { canUseConsole, isAdmin } from '../../stores/account';

/**
 * A screen of the officers' console (or, with need="admin", of the admin screen). Shown only to someone whose
 * server profile holds the role; the server refuses everyone else anyway (403), this only spares them a screen of
 * errors. A role granted since signing in is picked up by reading the profile again.
 */
export function OfficerScreen({ title, need = 'officer', back = true, children }: { title: string; need?: 'officer' | 'admin'; back?: boolean; children: ReactNode }) {
  const navigate = useGo();
  return (
    <Screen title={title} className="officer-screen">
      {back && (
        <button type="button" className="btn btn-secondary back" onClick={() => navigate('/officer')}>
          Về trang cán bộ
        </button>
      )}
      <RoleGate
        has={need === 'admin' ? isAdmin : canUseConsole}
        signedOut={<p className="note note-info">Trang này dành cho cán bộ phường, xã. Bác cần mở ứng dụng trong Zalo và có kết nối mạng để đăng nhập.</p>}
        denied={
          <p className="note note-info">
            {need === 'admin'
              ? 'Tài khoản của bác không có quyền quản trị.'
              : 'Tài khoản của bác chưa được cấp quyền cán bộ phường, xã. Bác liên hệ quản trị viên của tỉnh để được cấp quyền.'}
          </p>
        }
      >
        {children}
      </RoleGate>
    </Screen>
  );
}
