import type { Tip } from '../services/types';
import { Icon } from './icons';
import { ListenButton } from './listen-button';
import { useGo } from './use-go';

/** What "Nghe" reads: the warning first, as the card shows it. */
export function tipSpeech(tip: Tip): string {
  return `${tip.priority === 'scam_alert' ? 'Cảnh báo lừa đảo. ' : ''}${tip.title}. ${tip.body}`;
}

/**
 * One officer's tip as the citizen sees it: in the Tips feed, in the live banner, and in the officers' preview
 * (the same component, so that the preview is exactly what people will get). Plain text only: the title and body
 * are React text, never markup, whatever they contain.
 */
export function TipCard({ tip }: { tip: Tip }) {
  const navigate = useGo();
  const alert = tip.priority === 'scam_alert';
  return (
    <article className={alert ? 'tip tip-alert' : 'tip'} aria-label={alert ? `Cảnh báo lừa đảo: ${tip.title}` : tip.title}>
      {alert && (
        <p className="safety-label">
          <Icon name="warning" />
          <strong>Cảnh báo lừa đảo</strong>
        </p>
      )}
      <h2 className="tip-title">{tip.title}</h2>
      <p className="tip-body">{tip.body}</p>
      <p className="card-meta">{new Date(tip.publishedAt).toLocaleDateString('vi-VN')}</p>
      <div className="tip-actions">
        <ListenButton text={tipSpeech(tip)} />
        {tip.lessonId && (
          <button type="button" className="btn btn-secondary" onClick={() => navigate(`/lesson/${tip.lessonId}`)}>
            Xem bài học
          </button>
        )}
      </div>
    </article>
  );
}
