import { useEffect, useState } from 'react';
import { useParams } from 'zmp-ui';
import { ErrorNote } from '../../components/error-note';
import { Form, FormNotes, SubmitRow } from '../../components/form';
import { useGo } from '../../components/use-go';
import { errorText } from '../../services/api';
import { recordHelpSession } from '../../services/community-api';
import { useStore } from '../../stores/store';
import { CommunityScreen } from './community-screen';
import { loadMemberInfo, loadMentees, memberStore } from './member-store';

/** "Ghi lại buổi hỗ trợ": what the member did with a neighbour in person, ticked from a short list, with a note. */
export function HelpSessionPage() {
  return (
    <CommunityScreen title="Ghi lại buổi hỗ trợ" need="member">
      <HelpSession />
    </CommunityScreen>
  );
}

const NOTE_MAX = 200;

function HelpSession() {
  const navigate = useGo();
  const { id = '' } = useParams();
  const { info, infoError, mentees, menteesError } = useStore(memberStore);
  const [chosen, setChosen] = useState<string[]>([]);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState('');
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (!memberStore.get().info) void loadMemberInfo();
    if (!memberStore.get().mentees) void loadMentees();
  }, []);

  const mentee = mentees?.find((m) => m.id === id);
  const back = (
    <button type="button" className="btn btn-secondary back" onClick={() => navigate('/community')}>
      Về trang Đại sứ số
    </button>
  );

  if (infoError || menteesError) {
    return (
      <>
        {back}
        <ErrorNote
          message={infoError || menteesError}
          onRetry={() => {
            void loadMemberInfo();
            void loadMentees();
          }}
        />
      </>
    );
  }
  if (!info || !mentees) return <p role="status">Đang tải…</p>;
  if (!mentee) {
    return (
      <>
        {back}
        <p className="note note-info">Không tìm thấy người này trong danh sách người bác giúp. Có thể họ đã thôi nhận bác là người giới thiệu.</p>
      </>
    );
  }

  async function save() {
    setProblem('');
    // One line: the server keeps a short plain note, without line breaks.
    const text = note.replace(/\s+/g, ' ').trim();
    if (chosen.length === 0) return setProblem('Bác chọn ít nhất một việc đã giúp.');
    if (text.length > NOTE_MAX) return setProblem(`Ghi chú dài quá: tối đa ${NOTE_MAX} ký tự.`);
    setBusy(true);
    try {
      await recordHelpSession(id, chosen, text || undefined);
      setSaved(true);
      await loadMentees();
    } catch (e) {
      setProblem(errorText(e, 'Chưa lưu được buổi hỗ trợ.'));
    } finally {
      setBusy(false);
    }
  }

  if (saved) {
    return (
      <>
        <p className="note note-ok lead" role="status">
          Đã ghi lại buổi hỗ trợ với {mentee.name}. Bác đã hỗ trợ {mentee.name} {mentee.helpSessions} buổi.
        </p>
        <div className="choice-stack">
          <button type="button" className="btn btn-primary" onClick={() => navigate('/community')}>
            Về trang Đại sứ số
          </button>
        </div>
      </>
    );
  }

  const toggle = (activity: string, on: boolean) => setChosen((c) => (on ? [...c, activity] : c.filter((a) => a !== activity)));
  return (
    <>
      {back}
      <p className="lead">
        Buổi hỗ trợ với <strong>{mentee.name}</strong> hôm nay.
      </p>
      <p className="card-meta">Đã hỗ trợ trước đây: {mentee.helpSessions} buổi</p>
      <Form onSubmit={save}>
        <fieldset className="setting">
          <legend>Bác đã giúp gì?</legend>
          <div className="check-list">
            {Object.entries(info.activities).map(([activity, label]) => (
              <label key={activity} className="check-option">
                <input type="checkbox" checked={chosen.includes(activity)} onChange={(e) => toggle(activity, e.target.checked)} />
                <span>{label}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <div className="field">
          <label htmlFor="help-note">Ghi chú ngắn (không bắt buộc)</label>
          <textarea id="help-note" rows={3} value={note} onChange={(e) => setNote(e.target.value)} aria-describedby="help-note-hint help-note-count" />
          <p id="help-note-hint" className="hint">
            Không ghi số căn cước, mật khẩu hay mã OTP của người được giúp.
          </p>
          <p id="help-note-count" className={note.length > NOTE_MAX ? 'counter counter-over' : 'counter'}>
            {note.length}/{NOTE_MAX} ký tự
          </p>
        </div>
        <FormNotes problem={problem} />
        <SubmitRow text="Lưu buổi hỗ trợ" busy={busy} busyText="Đang lưu…" stacked />
      </Form>
    </>
  );
}
