import { useEffect, useRef, useState } from 'react';
import { useLocation, useParams } from 'zmp-ui';
import { ErrorNote } from '../components/error-note';
import { Icon } from '../components/icons';
import { Illustration } from '../components/illustration';
import { ListenButton } from '../components/listen-button';
import { Screen } from '../components/screen';
import { lessonPath } from '../components/recommendation-card';
import { ApiError, fetchLesson } from '../services/api';
import { levelLabel } from '../services/recommend';
import type { Lesson, QuizResult } from '../services/types';
import { shareLesson } from '../services/zalo';
import { accountStore } from '../stores/account';
import { finishQuiz, recordStepSeen } from '../stores/progress';
import { useStore } from '../stores/store';
import { useGo } from '../components/use-go';

/** Where the citizen is in a lesson: one thing per screen. */
type Phase =
  | { at: 'intro' }
  | { at: 'step'; index: number }
  | { at: 'pitfalls' }
  | { at: 'quiz'; index: number; chosen: number | null; correct: number; answers: number[] }
  | { at: 'done'; correct: number };

/** What the server made of a finished quiz: its result, or why there is none (yet). */
type Outcome = { state: 'sending' } | { state: 'sent'; result: QuizResult } | { state: 'kept' } | { state: 'local' };

export function LessonPage() {
  const { id = '' } = useParams();
  // ?review=1 (a review suggested by the server) opens the lesson at its quiz.
  const review = new URLSearchParams(useLocation().search).get('review') === '1';
  const [lesson, setLesson] = useState<Lesson | null>(null);
  const [error, setError] = useState('');
  const [phase, setPhase] = useState<Phase>({ at: 'intro' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    setLesson(null);
    setError('');
    setPhase(review ? startQuiz() : { at: 'intro' });
    fetchLesson(id).then(
      (l) => live && setLesson(l),
      (e: unknown) => live && setError(e instanceof ApiError ? e.message : 'Chưa mở được bài học này.'),
    );
    return () => {
      live = false;
    };
  }, [id, attempt, review]);

  if (error) {
    return (
      <Screen title="Bài học">
        <ErrorNote message={error} onRetry={() => setAttempt((a) => a + 1)} />
      </Screen>
    );
  }
  if (!lesson) {
    return (
      <Screen title="Bài học">
        <p role="status">Đang mở bài học…</p>
      </Screen>
    );
  }
  return (
    <Screen title={lesson.title} className="lesson-screen">
      <LessonFlow lesson={lesson} phase={phase} setPhase={setPhase} review={review} />
    </Screen>
  );
}

function startQuiz(): Phase {
  return { at: 'quiz', index: 0, chosen: null, correct: 0, answers: [] };
}

function LessonFlow({ lesson, phase, setPhase, review }: { lesson: Lesson; phase: Phase; setPhase: (p: Phase) => void; review: boolean }) {
  const navigate = useGo();
  const topRef = useRef<HTMLDivElement>(null);
  const { status } = useStore(accountStore);
  const [outcome, setOutcome] = useState<Outcome>({ state: 'local' });
  // One thing per screen: every new screen starts at its top, with the reader's focus on it.
  useEffect(() => {
    topRef.current?.closest('.zaui-page')?.scrollTo?.({ top: 0 });
    topRef.current?.focus({ preventScroll: true });
  }, [phase]);
  const steps = lesson.steps.length;
  const afterSteps: Phase = lesson.pitfalls.length > 0 ? { at: 'pitfalls' } : startQuiz();
  function goStep(index: number) {
    recordStepSeen(lesson.id, index);
    setPhase({ at: 'step', index });
  }

  /** Shows the result at once from the device; the server's result (mastery, what next) follows when it arrives. */
  function finish(answers: number[], correct: number) {
    setPhase({ at: 'done', correct });
    if (status !== 'signed-in') {
      // Device-only (no account or not yet): recorded here, and queued for the server in case signing in works later.
      void finishQuiz(lesson.id, answers, correct);
      setOutcome({ state: 'local' });
      return;
    }
    setOutcome({ state: 'sending' });
    void finishQuiz(lesson.id, answers, correct).then((result) => setOutcome(result ? { state: 'sent', result } : { state: 'kept' }));
  }

  return (
    <div ref={topRef} tabIndex={-1} className="lesson-top">
      {renderPhase()}
    </div>
  );

  function renderPhase() {
    switch (phase.at) {
      case 'intro':
        return (
          <section className="lesson-card" aria-label="Giới thiệu bài học">
            <Illustration image={lesson.images[0]} topic={lesson.topic} />
            <p className="meta">
              {lesson.topicLabel} · {levelLabel(lesson.level)} · {steps} bước
            </p>
            <p className="lead">{lesson.summary}</p>
            <ListenButton text={`${lesson.title}. ${lesson.summary}`} />
            <div className="nav-row">
              <button type="button" className="btn btn-primary" onClick={() => goStep(0)}>
                Bắt đầu học
              </button>
            </div>
            <ShareLesson lesson={lesson} />
          </section>
        );
      case 'step': {
        const text = lesson.steps[phase.index]!;
        return (
          <section className="lesson-card" aria-label={`Bước ${phase.index + 1}`}>
            <p className="progress-label">
              Bước {phase.index + 1} trên {steps}
            </p>
            <Illustration image={lesson.images[phase.index]} topic={lesson.topic} />
            <p className="step-text">{text}</p>
            <ListenButton text={`Bước ${phase.index + 1}. ${text}`} />
            <div className="nav-row">
              <button
                type="button"
                className="btn btn-secondary"
                onClick={() => (phase.index === 0 ? setPhase({ at: 'intro' }) : goStep(phase.index - 1))}
              >
                Quay lại
              </button>
              <button
                type="button"
                className="btn btn-primary"
                onClick={() => (phase.index + 1 < steps ? goStep(phase.index + 1) : setPhase(afterSteps))}
              >
                Tiếp theo
              </button>
            </div>
          </section>
        );
      }
      case 'pitfalls':
        return (
          <section className="lesson-card" aria-label="Cần cẩn thận">
            <p className="safety-label">
              <Icon name="warning" />
              <strong>Cần cẩn thận</strong>
            </p>
            <ul className="pitfalls">
              {lesson.pitfalls.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
            <ListenButton text={`Cần cẩn thận. ${lesson.pitfalls.join('. ')}`} />
            <div className="nav-row">
              <button type="button" className="btn btn-secondary" onClick={() => goStep(steps - 1)}>
                Quay lại
              </button>
              <button type="button" className="btn btn-primary" onClick={() => setPhase(startQuiz())}>
                Làm bài kiểm tra
              </button>
            </div>
          </section>
        );
      case 'quiz': {
        const q = lesson.quiz[phase.index]!;
        const answered = phase.chosen !== null;
        const right = phase.chosen === q.answer;
        const last = phase.index + 1 >= lesson.quiz.length;
        return (
          <section className="lesson-card" aria-label={`Câu hỏi ${phase.index + 1}`}>
            <p className="progress-label">
              {review && <span className="badge badge-review">Ôn lại</span>} Câu hỏi {phase.index + 1} trên {lesson.quiz.length}
            </p>
            <h2 className="question" id="quiz-question">
              {q.question}
            </h2>
            <ListenButton text={`${q.question} ${q.options.map((o, i) => `Ý ${i + 1}: ${o}`).join('. ')}`} />
            <div className="options" role="group" aria-labelledby="quiz-question">
              {q.options.map((o, i) => {
                const cls = !answered ? 'option' : i === q.answer ? 'option right' : i === phase.chosen ? 'option wrong' : 'option';
                return (
                  <button
                    key={i}
                    type="button"
                    className={cls}
                    disabled={answered}
                    aria-pressed={phase.chosen === i}
                    onClick={() =>
                      setPhase({ ...phase, chosen: i, correct: phase.correct + (i === q.answer ? 1 : 0), answers: [...phase.answers, i] })
                    }
                  >
                    {o}
                    {answered && i === q.answer && <span className="sr-only"> (đáp án đúng)</span>}
                  </button>
                );
              })}
            </div>
            {answered && (
              <div className={right ? 'note note-ok' : 'note note-error'} role="status">
                <p>
                  <strong>{right ? 'Đúng rồi!' : `Chưa đúng. Đáp án đúng: ${q.options[q.answer]}.`}</strong>
                </p>
                <p>{q.why}</p>
              </div>
            )}
            {answered && (
              <div className="nav-row">
                <button
                  type="button"
                  className="btn btn-primary"
                  onClick={() => {
                    if (!last) return setPhase({ ...phase, index: phase.index + 1, chosen: null });
                    finish(phase.answers, phase.correct);
                  }}
                >
                  {last ? 'Xem kết quả' : 'Câu tiếp theo'}
                </button>
              </div>
            )}
          </section>
        );
      }
      case 'done':
        return (
          <section className="lesson-card" aria-label="Kết quả">
            <p className="big-result" role="status">
              <Icon name="check" /> Bác đã học xong bài này!
            </p>
            <p>
              Trả lời đúng {phase.correct} trên {lesson.quiz.length} câu.
            </p>
            <QuizOutcome outcome={outcome} />
            {outcome.state === 'sent' && outcome.result.next ? (
              <section className="next-up" aria-label="Học tiếp">
                <p className="next-up-label">Học tiếp</p>
                <button type="button" className="btn btn-primary" onClick={() => navigate(lessonPath(outcome.result.next!))}>
                  {outcome.result.next.kind === 'review' ? `Ôn lại: ${outcome.result.next.title}` : outcome.result.next.title}
                </button>
                <p className="next-up-reason">{outcome.result.next.reason}</p>
              </section>
            ) : (
              lesson.next &&
              outcome.state !== 'sending' && (
                <div className="nav-row">
                  <button type="button" className="btn btn-primary" onClick={() => navigate(`/lesson/${lesson.next!.id}`)}>
                    Học tiếp: {lesson.next.title}
                  </button>
                </div>
              )
            )}
            <div className="nav-row">
              <button type="button" className="btn btn-secondary" onClick={() => setPhase({ at: 'intro' })}>
                Học lại bài này
              </button>
              <button type="button" className="btn btn-secondary" onClick={() => navigate(`/lessons/${lesson.topic}`)}>
                Các bài cùng chủ đề
              </button>
            </div>
            <ShareLesson lesson={lesson} />
            <details className="sources">
              <summary>Nguồn thông tin</summary>
              <ul>
                {lesson.sources.map((s) => (
                  <li key={s.url}>
                    <a href={s.url} target="_blank" rel="noopener noreferrer">
                      {s.title ?? s.url}
                    </a>{' '}
                    (kiểm tra ngày {s.checked.split('-').reverse().join('/')})
                  </li>
                ))}
              </ul>
            </details>
          </section>
        );
    }
  }
}

function formatDay(iso: string): string {
  const d = new Date(iso);
  return `${d.getDate()}/${d.getMonth() + 1}/${d.getFullYear()}`;
}

/** The server's view of the quiz just finished, in words; nothing when the app works without an account. */
function QuizOutcome({ outcome }: { outcome: Outcome }) {
  switch (outcome.state) {
    case 'local':
      return null;
    case 'sending':
      return <p role="status">Đang lưu kết quả…</p>;
    case 'kept':
      return (
        <p className="note note-info" role="status">
          Kết quả đã lưu trên máy này. Khi có mạng, trợ lý sẽ tự gửi lên để bác học tiếp trên máy khác.
        </p>
      );
    case 'sent': {
      const r = outcome.result;
      return (
        <div role="status">
          {r.mastered ? (
            <p>
              <span className="badge">Đã vững</span> Bác đã nắm vững bài này.
            </p>
          ) : (
            <p>Bác làm lại bài kiểm tra sau vài hôm để nắm chắc hơn nhé.</p>
          )}
          {r.reviewDue && <p>Trợ lý sẽ nhắc bác ôn lại bài này vào ngày {formatDay(r.reviewDue)}, để nhớ lâu và không bị kẻ gian lừa.</p>}
        </div>
      );
    }
  }
}

/** "Send this lesson to a relative": Zalo's share sheet inside Zalo, the phone's share sheet or a copied link elsewhere. */
function ShareLesson({ lesson }: { lesson: Lesson }) {
  const [note, setNote] = useState('');
  async function share() {
    const r = await shareLesson(lesson);
    setNote(r === 'copied' ? 'Đã chép đường dẫn bài học. Bác dán vào Zalo để gửi cho người thân.' : r === 'failed' ? 'Chưa chia sẻ được. Bác thử lại sau nhé.' : '');
  }
  return (
    <>
      <div className="nav-row">
        <button type="button" className="btn btn-secondary" onClick={() => void share()}>
          <Icon name="share" />
          <span>Gửi bài này cho người thân</span>
        </button>
      </div>
      {note && (
        <p className="note note-info" role="status">
          {note}
        </p>
      )}
    </>
  );
}
