import type { LessonRecommendation } from '../services/types';
import { useGo } from './use-go';

/** A review opens straight at the quiz: the lesson is known, practising its questions is what keeps it. */
export function lessonPath(r: Pick<LessonRecommendation, 'id' | 'kind'>): string {
  return r.kind === 'review' ? `/lesson/${r.id}?review=1` : `/lesson/${r.id}`;
}

/** One suggested lesson, tappable as a whole: its title, why it is suggested, and what tapping does. */
export function RecommendationCard({ recommendation: r, label }: { recommendation: LessonRecommendation; label?: string }) {
  const navigate = useGo();
  const review = r.kind === 'review';
  return (
    <div className="rec">
      {label && <p className="rec-label">{label}</p>}
      <button type="button" className={review ? 'card-button rec-button review' : 'card-button rec-button'} onClick={() => navigate(lessonPath(r))}>
        {review && <span className="badge badge-review">Ôn lại</span>}
        <span className="card-title">{r.title}</span>
        <span className="rec-reason">{r.reason}</span>
        <span className="rec-action">{review ? 'Bấm để làm lại bài kiểm tra' : 'Bấm để học bài này'}</span>
      </button>
    </div>
  );
}
