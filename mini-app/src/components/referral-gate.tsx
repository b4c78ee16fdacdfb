import { useEffect, useRef } from 'react';
import { useLocation } from 'zmp-ui';
import { fetchMyReferral } from '../services/community-api';
import { accountStore } from '../stores/account';
import { clearReferralCode, markReferralHandled, referralStore, setReferralReturnPath } from '../stores/referral';
import { useStore } from '../stores/store';
import { useGo } from './use-go';

/**
 * Once signed in, a referral code from a member's link leads to the consent screen, once, unless the citizen is
 * already linked to someone (then the code is simply dropped: the server would refuse a second link).
 * Offline or a busy server: the code waits for the next start.
 */
export function ReferralGate() {
  const navigate = useGo();
  const { pathname } = useLocation();
  const pending = useStore(referralStore);
  const { status } = useStore(accountStore);
  const where = useRef(pathname);
  where.current = pathname;

  useEffect(() => {
    if (!pending.code || pending.handled || status !== 'signed-in') return;
    // Marked first: the screen changes below give this effect new dependencies, and it must not run twice.
    markReferralHandled();
    fetchMyReferral().then(
      ({ referral }) => {
        if (referral) return clearReferralCode();
        setReferralReturnPath(where.current);
        navigate('/referral');
      },
      () => {
        // Kept for the next start; nothing the citizen must do now.
      },
    );
  }, [pending.code, pending.handled, status, navigate]);

  return null;
}
