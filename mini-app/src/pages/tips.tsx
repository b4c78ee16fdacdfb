import { useEffect, useRef } from 'react';
import { ErrorNote } from '../components/error-note';
import { Screen } from '../components/screen';
import { TipCard } from '../components/tip-card';
import { useGo } from '../components/use-go';
import type { Tip } from '../services/types';
import { accountStore } from '../stores/account';
import { settingsStore } from '../stores/settings';
import { useStore } from '../stores/store';
import { loadTips, markTipsSeen, reportTipOpened, tipsStore, visibleTips } from '../stores/tips';

export function TipsPage() {
  const navigate = useGo();
  const { area } = useStore(settingsStore);
  const { status } = useStore(accountStore);
  const state = useStore(tipsStore);
  const tips = visibleTips(state);

  // Again when signing in completes: the feed then also has the tips addressed to this learner.
  useEffect(() => void loadTips(area), [area?.province, area?.ward, status]);
  // Tips that arrive while this screen is open are in front of the learner already.
  useEffect(markTipsSeen, [state.unseen.length, state.banner]);

  return (
    <Screen title="Tin báo và cảnh báo">
      {!area && (
        <p className="note note-info">
          Bác chọn phường, xã của mình trong{' '}
          <button type="button" className="link" onClick={() => navigate('/settings')}>
            Cài đặt
          </button>{' '}
          để nhận tin của địa phương.
        </p>
      )}
      {state.error && <ErrorNote message={state.error} onRetry={() => void loadTips(area)} />}
      {tips === null && !state.error && <p role="status">Đang tải tin…</p>}
      {tips?.length === 0 && !state.loading && <p>Chưa có tin mới cho khu vực của bác.</p>}
      <ul className="card-list">
        {tips?.map((t) => (
          <SeenTip key={t.id} tip={t} />
        ))}
      </ul>
    </Screen>
  );
}

/**
 * A tip in the feed that tells the server once it has been on screen (at least half of it, or half the screen for
 * a long one), so that the officer's report counts who actually saw it rather than who had the app open.
 */
function SeenTip({ tip }: { tip: Tip }) {
  const ref = useRef<HTMLLIElement>(null);
  const opened = tip.opened === true;
  // Only a signed-in learner is counted; the feed may show before signing in has finished.
  const signedIn = useStore(accountStore).status === 'signed-in';
  useEffect(() => {
    const el = ref.current;
    if (opened || !signedIn || !el) return;
    if (typeof IntersectionObserver === 'undefined') {
      reportTipOpened(tip);
      return;
    }
    const observer = new IntersectionObserver(
      (entries) => {
        const e = entries[0];
        if (e?.isIntersecting && (e.intersectionRatio >= 0.5 || e.intersectionRect.height >= window.innerHeight / 2)) {
          reportTipOpened(tip);
          observer.disconnect();
        }
      },
      { threshold: [0, 0.25, 0.5, 0.75, 1] },
    );
    observer.observe(el);
    return () => observer.disconnect();
  }, [tip.id, opened, signedIn]);
  return (
    <li ref={ref}>
      <TipCard tip={tip} />
    </li>
  );
}
