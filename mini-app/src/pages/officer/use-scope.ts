import { useEffect, useState } from 'react';
import { ApiError } from '../../services/api';
import { fetchScope } from '../../services/officer-api';
import type { OfficerScope } from '../../services/officer-types';

/**
 * The wards this officer may address and see, asked on every screen that needs them: roles can change at any time
 * (an admin revokes one), and the server's answer is the only one that counts.
 */
export function useScope(): { scope: OfficerScope | null; error: string; retry: () => void } {
  const [scope, setScope] = useState<OfficerScope | null>(null);
  const [error, setError] = useState('');
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    setError('');
    fetchScope().then(
      (s) => live && setScope(s),
      (e: unknown) => live && setError(e instanceof ApiError ? e.message : 'Chưa tải được danh sách phường, xã.'),
    );
    return () => {
      live = false;
    };
  }, [attempt]);
  return { scope, error, retry: () => setAttempt((a) => a + 1) };
}
