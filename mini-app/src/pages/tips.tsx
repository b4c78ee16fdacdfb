import { useEffect, useState } from 'react';
import { ErrorNote } from '../components/error-note';
import { Icon } from '../components/icons';
import { Screen } from '../components/screen';
import { ApiError, fetchTips } from '../services/api';
import type { Tip } from '../services/types';
import { settingsStore } from '../stores/settings';
import { useStore } from '../stores/store';
import { useGo } from '../components/use-go';

export function TipsPage() {
  const navigate = useGo();
  const { area } = useStore(settingsStore);
  const [tips, setTips] = useState<Tip[] | null>(null);
  const [error, setError] = useState('');
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    setError('');
    fetchTips(area).then(
      (r) => live && setTips([...r.tips].sort((a, b) => b.publishedAt.localeCompare(a.publishedAt))),
      (e: unknown) => live && setError(e instanceof ApiError ? e.message : 'Chưa tải được tin.'),
    );
    return () => {
      live = false;
    };
  }, [area?.province, area?.ward, attempt]);

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
      {error && <ErrorNote message={error} onRetry={() => setAttempt((a) => a + 1)} />}
      {tips === null && !error && <p role="status">Đang tải tin…</p>}
      {tips?.length === 0 && <p>Chưa có tin mới cho khu vực của bác.</p>}
      <ul className="card-list">
        {tips?.map((t) => (
          <li key={t.id} className={t.priority === 'scam_alert' ? 'tip tip-alert' : 'tip'}>
            {t.priority === 'scam_alert' && (
              <p className="safety-label">
                <Icon name="warning" />
                <strong>Cảnh báo lừa đảo</strong>
              </p>
            )}
            <h2>{t.title}</h2>
            <p>{t.body}</p>
            <p className="card-meta">{new Date(t.publishedAt).toLocaleDateString('vi-VN')}</p>
            {t.lessonId && (
              <button type="button" className="btn btn-secondary" onClick={() => navigate(`/lesson/${t.lessonId}`)}>
                Xem bài học
              </button>
            )}
          </li>
        ))}
      </ul>
    </Screen>
  );
}
