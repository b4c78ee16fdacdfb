import { useCallback } from 'react';
import { useNavigate } from 'zmp-ui';

/**
 * Moves to a screen without zmp-ui's slide animation: on cheap phones the animation stutters, and for older
 * readers a screen that simply appears is easier to follow (it also honours reduced-motion needs).
 */
export function useGo(): (path: string) => void {
  const navigate = useNavigate();
  return useCallback((path: string) => navigate(path, { animate: false }), [navigate]);
}
