import { useEffect, type ReactNode } from 'react';
import type { Profile } from '../services/types';
import { accountStore, refreshProfile } from '../stores/account';
import { useStore } from '../stores/store';

/**
 * The part of a screen that needs the account on the server and a role in it (`has`): shown only once signed in
 * with the role, else a note while signing in, `signedOut` or `denied`. The server checks every request anyway; this
 * only spares a screen of errors. A role granted since signing in is picked up by reading the profile again.
 */
export function RoleGate({ has, signedOut, denied, children }: { has: (profile: Profile | null) => boolean; signedOut: ReactNode; denied: ReactNode; children: ReactNode }) {
  const { status, profile } = useStore(accountStore);
  const allowed = has(profile);
  useEffect(() => {
    if (status === 'signed-in' && !allowed) void refreshProfile();
  }, [status, allowed]);

  if (status === 'starting') return <p role="status">Đang đăng nhập…</p>;
  if (status !== 'signed-in') return signedOut;
  if (!allowed) return denied;
  return children;
}
