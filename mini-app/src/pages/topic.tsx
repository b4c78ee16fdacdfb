import { useEffect } from 'react';
import { useParams } from 'zmp-ui';
import { ErrorNote } from '../components/error-note';
import { Icon } from '../components/icons';
import { Screen } from '../components/screen';
import { levelLabel } from '../services/recommend';
import { catalogueStore, loadCatalogue } from '../stores/catalogue';
import { isDone, isMastered, progressStore } from '../stores/progress';
import { useStore } from '../stores/store';
import { useGo } from '../components/use-go';

export function TopicPage() {
  const { topic = '' } = useParams();
  const navigate = useGo();
  const catalogue = useStore(catalogueStore);
  const progress = useStore(progressStore);
  useEffect(() => void loadCatalogue(), []);

  const info = catalogue.topics.find((t) => t.id === topic);
  const lessons = catalogue.lessons.filter((l) => l.topic === topic).sort((a, b) => a.level - b.level);

  return (
    <Screen title={info?.label ?? 'Bài học'}>
      {catalogue.status === 'error' && <ErrorNote message={catalogue.error ?? ''} onRetry={() => void loadCatalogue(true)} />}
      <button type="button" className="btn btn-secondary back" onClick={() => navigate('/lessons')}>
        Quay lại các chủ đề
      </button>
      <ul className="card-list">
        {lessons.map((l) => {
          const done = isDone(progress, l.id);
          return (
            <li key={l.id}>
              <button type="button" className={done ? 'card-button done' : 'card-button'} onClick={() => navigate(`/lesson/${l.id}`)}>
                <span className="card-title">{l.title}</span>
                <span className="card-meta">
                  {levelLabel(l.level)} ·{' '}
                  {done ? (
                    <span className="done-mark">
                      <Icon name="check" size="1em" /> Đã học
                    </span>
                  ) : (
                    'Chưa học'
                  )}
                  {isMastered(progress, l.id) && (
                    <>
                      {' · '}
                      <span className="badge">Đã vững</span>
                    </>
                  )}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </Screen>
  );
}
