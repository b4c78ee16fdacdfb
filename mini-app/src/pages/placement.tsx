import { useEffect, useRef, useState } from 'react';
import { ErrorNote } from '../components/error-note';
import { ListenButton } from '../components/listen-button';
import { RecommendationCard } from '../components/recommendation-card';
import { Screen } from '../components/screen';
import { useGo } from '../components/use-go';
import { ApiError, fetchPlacement } from '../services/api';
import { ensureSession } from '../services/session';
import type { PlacementQuestion, Recommendations } from '../services/types';
import { accountStore, finishPlacement } from '../stores/account';
import { useStore } from '../stores/store';

/** Where the citizen is in the check: one question per screen, then the lesson it suggests. */
type Phase =
  | { at: 'loading' }
  | { at: 'error'; message: string }
  | { at: 'question'; index: number }
  | { at: 'sending' }
  | { at: 'done'; recommendations: Recommendations };

const LOAD_PROBLEM = 'Chưa mở được phần này.';

/**
 * The optional placement check: a few questions about what the citizen already does with the phone and what they
 * want to learn. Nothing is right or wrong here, so there is no score, only the lesson to start with.
 */
export function PlacementPage() {
  const navigate = useGo();
  const { status } = useStore(accountStore);
  const accountKnown = status !== 'starting';
  const [questions, setQuestions] = useState<PlacementQuestion[]>([]);
  const [answers, setAnswers] = useState<Record<string, number>>({});
  const [phase, setPhase] = useState<Phase>({ at: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const topRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    // Signing in may still be under way when the page opens: the questions come from the learner's account.
    if (!accountKnown) return;
    let live = true;
    setPhase({ at: 'loading' });
    void ensureSession()
      .then(() => fetchPlacement())
      .then(
        (r) => {
          if (!live) return;
          setQuestions(r.questions);
          // No questions on this server: the check is simply done.
          if (r.questions.length === 0) void send({});
          else setPhase({ at: 'question', index: 0 });
        },
        (e: unknown) => live && setPhase({ at: 'error', message: e instanceof ApiError ? e.message : LOAD_PROBLEM }),
      );
    return () => {
      live = false;
    };
  }, [attempt, accountKnown]);

  // One thing per screen: every new screen starts at its top, with the reader's focus on it.
  useEffect(() => {
    topRef.current?.closest('.zaui-page')?.scrollTo?.({ top: 0 });
    topRef.current?.focus({ preventScroll: true });
  }, [phase]);

  async function send(final: Record<string, number>) {
    setPhase({ at: 'sending' });
    try {
      setPhase({ at: 'done', recommendations: await finishPlacement(final) });
    } catch (e) {
      setPhase({ at: 'error', message: e instanceof ApiError ? e.message : LOAD_PROBLEM });
    }
  }

  function move(index: number, next: Record<string, number>) {
    setAnswers(next);
    if (index + 1 < questions.length) setPhase({ at: 'question', index: index + 1 });
    else void send(next);
  }

  return (
    <Screen title="Chọn bài hợp với bác" className="placement-screen">
      <div ref={topRef} tabIndex={-1} className="lesson-top">
        {renderPhase()}
      </div>
    </Screen>
  );

  function renderPhase() {
    switch (phase.at) {
      case 'loading':
        return <p role="status">Đang mở câu hỏi…</p>;
      case 'sending':
        return <p role="status">Đang chọn bài cho bác…</p>;
      case 'error':
        return (
          <>
            <ErrorNote message={phase.message} onRetry={() => (questions.length > 0 ? void send(answers) : setAttempt((a) => a + 1))} />
            <div className="nav-row">
              <button type="button" className="btn btn-secondary" onClick={() => navigate('/')}>
                Để sau
              </button>
            </div>
          </>
        );
      case 'question': {
        const q = questions[phase.index]!;
        const chosen = answers[q.id];
        return (
          <section className="lesson-card" aria-label={`Câu ${phase.index + 1}`}>
            <p className="progress-label">
              Câu {phase.index + 1}/{questions.length}
            </p>
            <h2 className="question" id="placement-question">
              {q.question}
            </h2>
            <ListenButton text={`${q.question} ${q.options.map((o, i) => `Ý ${i + 1}: ${o}`).join('. ')}`} />
            <div className="options" role="group" aria-labelledby="placement-question">
              {q.options.map((o, i) => (
                <button
                  key={i}
                  type="button"
                  className="option"
                  aria-pressed={chosen === i}
                  onClick={() => move(phase.index, { ...answers, [q.id]: i })}
                >
                  {o}
                </button>
              ))}
            </div>
            <div className="nav-row">
              {phase.index > 0 && (
                <button type="button" className="btn btn-secondary" onClick={() => setPhase({ at: 'question', index: phase.index - 1 })}>
                  Quay lại
                </button>
              )}
              <button
                type="button"
                className="btn btn-secondary"
                onClick={() => {
                  const { [q.id]: _skipped, ...rest } = answers;
                  move(phase.index, rest);
                }}
              >
                Bỏ qua câu này
              </button>
            </div>
          </section>
        );
      }
      case 'done': {
        const { next, alternative } = phase.recommendations;
        return (
          <section className="lesson-card" aria-label="Bài hợp với bác">
            <p className="big-result" role="status">
              Cảm ơn bác! Đây là bài hợp với bác.
            </p>
            {next ? (
              <RecommendationCard recommendation={next} label="Bài nên học trước" />
            ) : (
              <p>Bác đã biết nhiều điều rồi. Bác chọn một chủ đề để học thêm nhé.</p>
            )}
            {alternative && <RecommendationCard recommendation={alternative} label="Hoặc bài này" />}
            <div className="nav-row">
              <button type="button" className="btn btn-secondary" onClick={() => navigate('/lessons')}>
                Xem tất cả bài học
              </button>
            </div>
          </section>
        );
      }
    }
  }
}
