import { useEffect, useRef, useState, type FormEvent } from 'react';
import { AnswerCard } from '../components/answer-card';
import { ErrorNote } from '../components/error-note';
import { Icon } from '../components/icons';
import { PlacementOffer } from '../components/placement-offer';
import { Screen } from '../components/screen';
import { canListen, listenOnce } from '../services/speech';
import { ask, chatStore, retry } from '../stores/chat';
import { identityStore } from '../stores/identity';
import { useStore } from '../stores/store';

/** The main needs, in the words people use. */
export const QUICK_QUESTIONS = [
  { label: 'Cài VNeID', message: 'Cách cài và kích hoạt VNeID' },
  { label: 'Dịch vụ công', message: 'Làm sao nộp hồ sơ dịch vụ công trên mạng' },
  { label: 'Chuyển tiền', message: 'Cách chuyển tiền bằng ứng dụng ngân hàng' },
  { label: 'Tránh lừa đảo', message: 'Làm sao nhận biết cuộc gọi lừa đảo' },
  { label: 'Khám bệnh', message: 'Dùng thẻ bảo hiểm y tế trên VNeID khi đi khám' },
  { label: 'Bán hàng', message: 'Tạo mã QR nhận tiền cho sạp hàng' },
];

const MAX_CHARS = 1000;

export function ChatPage() {
  const { messages, busy, draft: streaming } = useStore(chatStore);
  const identity = useStore(identityStore);
  const [draft, setDraft] = useState('');
  const [listening, setListening] = useState(false);
  const [micProblem, setMicProblem] = useState('');
  const stopRef = useRef<() => void>();
  const endRef = useRef<HTMLDivElement>(null);
  const micSupported = canListen();

  // A new answer is read from its first line; while waiting, the "thinking" line is what matters.
  const last = messages.at(-1);
  useEffect(() => {
    if (busy) endRef.current?.scrollIntoView?.({ block: 'end' });
    else if (last?.role === 'assistant') document.getElementById(`msg-${last.id}`)?.scrollIntoView?.({ block: 'start' });
  }, [last?.id, busy]);

  function send(text: string) {
    if (!text.trim() || busy) return;
    setDraft('');
    void ask(text.slice(0, MAX_CHARS));
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    send(draft);
  }

  async function onMic() {
    if (listening) {
      stopRef.current?.();
      return;
    }
    setMicProblem('');
    setListening(true);
    const session = listenOnce();
    stopRef.current = session.stop;
    try {
      const heard = await session.result;
      if (heard) setDraft(heard);
      else setMicProblem('Chưa nghe rõ. Bác bấm micro rồi nói lại chậm hơn nhé.');
    } catch {
      setMicProblem('Chưa dùng được micro. Bác cho phép ứng dụng dùng micro, hoặc gõ câu hỏi.');
    } finally {
      setListening(false);
    }
  }

  return (
    <Screen title="Hỏi trợ lý" className="chat-screen">
      <div className="chat-log" role="log" aria-live="polite" aria-label="Cuộc trò chuyện">
        {messages.length === 0 && (
          <div className="answer welcome">
            <p>
              Chào {identity?.source === 'zalo' ? identity.name : 'bác'}! Bác hỏi gì về điện thoại, VNeID, dịch vụ công, chuyển tiền hay
              tránh lừa đảo, trợ lý sẽ chỉ từng bước.
            </p>
            <p>Bác có thể gõ không dấu, ví dụ: «cach cai vneid».</p>
          </div>
        )}
        {messages.length === 0 && <PlacementOffer />}
        {messages.map((m) =>
          m.role === 'user' ? (
            <div key={m.id} className="bubble-user">
              <p>
                <span className="sr-only">Bác hỏi: </span>
                {m.text}
              </p>
              {m.error && <ErrorNote message={m.error} onRetry={() => void retry(m.id)} />}
            </div>
          ) : (
            m.reply && <AnswerCard key={m.id} id={`msg-${m.id}`} reply={m.reply} onChoose={send} />
          ),
        )}
        {busy && streaming && (
          <div className="answer answer-draft" aria-hidden="true">
            {streaming.split('\n').map((line, i) => (
              <p key={i}>{line}</p>
            ))}
          </div>
        )}
        {busy && (
          <p className="thinking" role="status">
            {streaming ? 'Trợ lý đang viết…' : 'Trợ lý đang tìm câu trả lời…'}
          </p>
        )}
        <div ref={endRef} />
      </div>

      <div className="quick" role="group" aria-label="Câu hỏi hay gặp">
        {QUICK_QUESTIONS.map((q) => (
          <button key={q.label} type="button" className="chip" onClick={() => send(q.message)} disabled={busy}>
            {q.label}
          </button>
        ))}
      </div>

      <form className="composer" onSubmit={onSubmit}>
        <label htmlFor="question" className="composer-label">
          Câu hỏi của bác
        </label>
        <textarea
          id="question"
          name="question"
          rows={2}
          maxLength={MAX_CHARS}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              send(draft);
            }
          }}
          placeholder="Ví dụ: cách chuyển tiền qua điện thoại"
          aria-describedby="privacy-hint"
        />
        <p id="privacy-hint" className="hint">
          Đừng gõ mã OTP, mật khẩu hay số căn cước vào đây.
        </p>
        <div className="composer-actions">
          {micSupported && (
            <button type="button" className="btn btn-secondary" onClick={() => void onMic()} aria-pressed={listening}>
              <Icon name="mic" />
              <span>{listening ? 'Đang nghe… bấm để dừng' : 'Nói'}</span>
            </button>
          )}
          <button type="submit" className="btn btn-primary" disabled={busy || !draft.trim()}>
            <Icon name="send" />
            <span>Gửi</span>
          </button>
        </div>
        {micProblem && (
          <p className="note note-info" role="status">
            {micProblem}
          </p>
        )}
      </form>
    </Screen>
  );
}
