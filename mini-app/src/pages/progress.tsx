import { useEffect, useState } from 'react';
import { HouseholdEntry, MemberEntry } from '../components/community-entries';
import { ErrorNote } from '../components/error-note';
import { Icon } from '../components/icons';
import { PlacementOffer } from '../components/placement-offer';
import { RecommendationCard } from '../components/recommendation-card';
import { Screen } from '../components/screen';
import { fetchRecommendations } from '../services/api';
import { recommendNext } from '../services/recommend';
import type { Recommendations } from '../services/types';
import { accountStore, isTeamMember } from '../stores/account';
import { catalogueStore, loadCatalogue } from '../stores/catalogue';
import { identityStore } from '../stores/identity';
import { progressStore } from '../stores/progress';
import { settingsStore } from '../stores/settings';
import { useStore } from '../stores/store';
import { useGo } from '../components/use-go';

function formatDate(iso: string): string {
  const d = new Date(iso);
  return `${d.getDate()}/${d.getMonth() + 1}/${d.getFullYear()}`;
}

export function ProgressPage() {
  const navigate = useGo();
  const catalogue = useStore(catalogueStore);
  const progress = useStore(progressStore);
  const identity = useStore(identityStore);
  const { area } = useStore(settingsStore);
  const { status, profile } = useStore(accountStore);
  const [fromServer, setFromServer] = useState<Recommendations | null>(null);
  useEffect(() => void loadCatalogue(), []);

  const doneLessons = catalogue.lessons.filter((l) => progress[l.id]?.completedAt);
  const masteredCount = Object.values(progress).filter((p) => p.mastered).length;

  // The server knows what this learner asked, answered and should review; without an account, the device decides.
  useEffect(() => {
    if (status !== 'signed-in') return setFromServer(null);
    let live = true;
    fetchRecommendations().then(
      (r) => live && setFromServer(r),
      () => live && setFromServer(null),
    );
    return () => {
      live = false;
    };
  }, [status, doneLessons.length, masteredCount]);
  const local = fromServer ? undefined : recommendNext(catalogue.lessons, progress);

  return (
    <Screen title="Tiến độ học">
      {catalogue.status === 'error' && <ErrorNote message={catalogue.error ?? ''} onRetry={() => void loadCatalogue(true)} />}
      <p className="lead">
        Bác đã học xong <strong>{doneLessons.length}</strong> trên {catalogue.lessons.length} bài.
      </p>

      <PlacementOffer />

      {fromServer?.next && (
        <section className="answer" aria-labelledby="next-heading">
          <h2 id="next-heading">Bài nên học tiếp</h2>
          <RecommendationCard recommendation={fromServer.next} />
          {fromServer.alternative && <RecommendationCard recommendation={fromServer.alternative} label="Hoặc bài khác:" />}
        </section>
      )}
      {local && (
        <section className="answer" aria-labelledby="next-heading">
          <h2 id="next-heading">Bài nên học tiếp</h2>
          <p className="card-title">{local.lesson.title}</p>
          <p>{local.reason}</p>
          <button type="button" className="btn btn-primary" onClick={() => navigate(`/lesson/${local.lesson.id}`)}>
            Học bài này
          </button>
        </section>
      )}

      <h2>Giấy ghi nhận theo chủ đề</h2>
      {doneLessons.length === 0 && <p>Khi bác học xong một bài, giấy ghi nhận của chủ đề đó sẽ hiện ở đây.</p>}
      {catalogue.topics.map((t) => {
        const inTopic = catalogue.lessons.filter((l) => l.topic === t.id);
        const done = inTopic.filter((l) => progress[l.id]?.completedAt);
        if (done.length === 0) return null;
        const complete = done.length === inTopic.length;
        const correct = done.reduce((n, l) => n + (progress[l.id]?.quiz?.correct ?? 0), 0);
        const total = done.reduce((n, l) => n + (progress[l.id]?.quiz?.total ?? 0), 0);
        return (
          <section key={t.id} className="certificate" aria-label={`Giấy ghi nhận: ${t.label}`}>
            <p className="certificate-head">Bình dân học vụ số · Giấy ghi nhận</p>
            <h3>{t.label}</h3>
            <p>
              {identity?.source === 'zalo' ? identity.name : 'Người học'}
              {area ? ` · ${area.ward}, ${area.province}` : ''}
            </p>
            <p className={complete ? 'certificate-status complete' : 'certificate-status'}>
              {complete ? (
                <>
                  <Icon name="check" /> Đã học xong cả chủ đề
                </>
              ) : (
                `Đã học ${done.length} trên ${inTopic.length} bài`
              )}
            </p>
            <ul>
              {done.map((l) => (
                <li key={l.id}>
                  {l.title} ({formatDate(progress[l.id]!.completedAt!)})
                  {progress[l.id]!.mastered && (
                    <>
                      {' '}
                      <span className="badge">Đã vững</span>
                    </>
                  )}
                </li>
              ))}
            </ul>
            <p>
              Bài kiểm tra: đúng {correct} trên {total} câu.
            </p>
            <p className="hint">Bác đưa màn hình này cho thành viên Tổ công nghệ số cộng đồng xem.</p>
          </section>
        );
      })}

      {status === 'signed-in' && <HouseholdEntry />}
      {status === 'signed-in' && isTeamMember(profile) && <MemberEntry />}
    </Screen>
  );
}
