import { useEffect } from 'react';
import { ErrorNote } from '../components/error-note';
import { Screen } from '../components/screen';
import { catalogueStore, loadCatalogue } from '../stores/catalogue';
import { isDone, progressStore } from '../stores/progress';
import { useStore } from '../stores/store';
import { useGo } from '../components/use-go';

export function TopicsPage() {
  const navigate = useGo();
  const catalogue = useStore(catalogueStore);
  const progress = useStore(progressStore);
  useEffect(() => void loadCatalogue(), []);

  return (
    <Screen title="Bài học">
      {catalogue.status === 'error' && <ErrorNote message={catalogue.error ?? ''} onRetry={() => void loadCatalogue(true)} />}
      {catalogue.status === 'loading' && <p role="status">Đang tải bài học…</p>}
      <p>Bác chọn một chủ đề:</p>
      <ul className="card-list">
        {catalogue.topics.map((t) => {
          const done = catalogue.lessons.filter((l) => l.topic === t.id && isDone(progress, l.id)).length;
          return (
            <li key={t.id}>
              <button type="button" className="card-button" onClick={() => navigate(`/lessons/${t.id}`)}>
                <span className="card-title">{t.label}</span>
                <span className="card-meta">
                  Đã học {done} trên {t.count} bài
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </Screen>
  );
}
