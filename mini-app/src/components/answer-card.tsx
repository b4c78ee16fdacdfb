import type { ChatReply } from '../services/types';
import { Icon } from './icons';
import { ListenButton } from './listen-button';
import { useGo } from './use-go';

type Block = { kind: 'para'; text: string } | { kind: 'steps'; items: string[] };

/** The plain-text answer names its lesson on a line of its own; here the lesson link below says it. */
const LESSON_LINE = /^Theo bài: «[^»]*»\.?$/;

/** Splits the server's plain answer into paragraphs and numbered steps ("1. ..." lines). */
export function splitAnswer(answer: string): Block[] {
  const blocks: Block[] = [];
  for (const raw of answer.split('\n')) {
    const line = raw.trim();
    if (!line || LESSON_LINE.test(line)) continue;
    const step = /^\d+\.\s+(.*)$/.exec(line);
    const last = blocks.at(-1);
    if (step) {
      if (last?.kind === 'steps') last.items.push(step[1]!);
      else blocks.push({ kind: 'steps', items: [step[1]!] });
    } else {
      blocks.push({ kind: 'para', text: line });
    }
  }
  return blocks;
}

export function AnswerCard({ reply, onChoose, id }: { reply: ChatReply; onChoose: (message: string) => void; id?: string }) {
  const navigate = useGo();
  const safety = reply.kind === 'safety';
  const cited = reply.lessons[0];
  return (
    <article id={id} className={safety ? 'answer answer-safety' : 'answer'} aria-label={safety ? 'Cảnh báo lừa đảo' : 'Trợ lý trả lời'}>
      {safety && (
        <p className="safety-label">
          <Icon name="warning" />
          <strong>Cảnh báo: có thể là lừa đảo</strong>
        </p>
      )}
      {reply.prerequisite && reply.kind === 'answer' && (
        // Above the answer: following the steps without this lesson is where a beginner gets stuck.
        <div className="note note-info prerequisite" role="note" aria-label="Nên học trước">
          <p>{reply.prerequisite.text}</p>
          <button type="button" className="btn btn-primary" onClick={() => navigate(`/lesson/${reply.prerequisite!.id}`)}>
            Học trước: {reply.prerequisite.title}
          </button>
        </div>
      )}
      {splitAnswer(reply.answer).map((b, i) =>
        b.kind === 'para' ? (
          <p key={i}>{b.text}</p>
        ) : (
          <ol key={i} className="steps">
            {b.items.map((s, j) => (
              <li key={j}>{s}</li>
            ))}
          </ol>
        ),
      )}
      {reply.generated && <p className="hint">Trợ lý AI viết lại từ bài học bên dưới.</p>}
      {cited && (
        <p className="cite">
          Theo bài học:{' '}
          <button type="button" className="link" onClick={() => navigate(`/lesson/${cited.id}`)}>
            {cited.title}
          </button>
        </p>
      )}
      {reply.choices && reply.choices.length > 0 && (
        <div className="choices" role="group" aria-label="Bác chọn một">
          {reply.choices.map((c) => (
            <button key={c.message} type="button" className="btn btn-choice" onClick={() => onChoose(c.message)}>
              {c.label}
            </button>
          ))}
        </div>
      )}
      <div className="answer-actions">
        <ListenButton text={reply.answer} />
      </div>
      {reply.next && reply.kind === 'answer' && (
        <section className="next-up" aria-label="Học tiếp">
          <p className="next-up-label">Học tiếp</p>
          <button type="button" className="btn btn-secondary" onClick={() => navigate(`/lesson/${reply.next!.id}`)}>
            {reply.next.title}
          </button>
          {reply.next.reason && <p className="next-up-reason">{reply.next.reason}</p>}
        </section>
      )}
    </article>
  );
}
