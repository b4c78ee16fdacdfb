import { useCallback, useEffect, useState } from 'react';
import { CodeInput } from '../../components/code-input';
import { ConfirmNote } from '../../components/confirm-note';
import { ErrorNote } from '../../components/error-note';
import { Form, FormNotes, SubmitRow } from '../../components/form';
import { Icon } from '../../components/icons';
import { ListenButton } from '../../components/listen-button';
import { errorText } from '../../services/api';
import { createHousehold, fetchHousehold, groupCode, joinHousehold, leaveHousehold, type Household } from '../../services/community-api';
import { shareText } from '../../services/zalo';
import { CommunityScreen } from './community-screen';

/**
 * Gia đình số: family members learn together. Each member sees the others' names and whether each reached the
 * basic level, nothing else; the household counts as a Gia đình số when one of them has.
 */
export function HouseholdPage() {
  return (
    <CommunityScreen title="Gia đình số">
      <HouseholdView />
    </CommunityScreen>
  );
}

const EXPLAIN =
  'Cả nhà cùng học dùng điện thoại và dịch vụ công. Người trong nhóm gia đình chỉ thấy tên của nhau và ai đã đạt kỹ năng số cơ bản. Không ai thấy câu hỏi hay bài kiểm tra của người khác. Khi một người trong nhà đạt kỹ năng số cơ bản, gia đình được tính là Gia đình số.';

function HouseholdView() {
  const [household, setHousehold] = useState<Household | null | undefined>(undefined);
  const [error, setError] = useState('');

  const load = useCallback(() => {
    setError('');
    fetchHousehold().then(
      (r) => setHousehold(r.household),
      (e: unknown) => setError(errorText(e, 'Chưa tải được nhóm gia đình.')),
    );
  }, []);
  useEffect(load, [load]);

  return (
    <>
      <p>{EXPLAIN}</p>
      <ListenButton text={EXPLAIN} />
      {error && <ErrorNote message={error} onRetry={load} />}
      {household === undefined && !error && <p role="status">Đang tải…</p>}
      {household === null && <NoHousehold onChanged={setHousehold} />}
      {household && <Members household={household} onChanged={setHousehold} onRefresh={load} />}
    </>
  );
}

function NoHousehold({ onChanged }: { onChanged: (h: Household | null) => void }) {
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState('');

  async function run(action: () => Promise<{ household: Household }>, fallback: string) {
    setBusy(true);
    setProblem('');
    try {
      onChanged((await action()).household);
    } catch (e) {
      setProblem(errorText(e, fallback));
      setBusy(false);
    }
  }

  function join() {
    const typed = code.replace(/[\s-]/g, '');
    if (typed.length !== 12) return setProblem('Mã gia đình có 12 chữ và số. Bác xem lại mã người nhà gửi nhé.');
    void run(() => joinHousehold(typed), 'Chưa vào được nhóm gia đình.');
  }

  return (
    <>
      <section className="setting" aria-labelledby="household-create">
        <h2 id="household-create">Lập nhóm cho gia đình</h2>
        <p>Bác lập nhóm rồi gửi mã cho người trong nhà.</p>
        <div className="choice-stack">
          <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void run(createHousehold, 'Chưa lập được nhóm gia đình.')}>
            Lập nhóm gia đình
          </button>
        </div>
      </section>
      <section className="setting" aria-labelledby="household-join">
        <h2 id="household-join">Người nhà đã lập nhóm</h2>
        <Form onSubmit={join}>
          <label htmlFor="household-code" className="field-label">
            Mã gia đình người nhà gửi cho bác
          </label>
          <CodeInput id="household-code" value={code} onChange={setCode} />
          <SubmitRow text="Vào nhóm gia đình" busy={busy} stacked />
        </Form>
      </section>
      <FormNotes problem={problem} />
    </>
  );
}

function Members({ household, onChanged, onRefresh }: { household: Household; onChanged: (h: Household | null) => void; onRefresh: () => void }) {
  const [shared, setShared] = useState('');
  const [leaving, setLeaving] = useState<'idle' | 'confirming' | 'working'>('idle');
  const [problem, setProblem] = useState('');
  const code = groupCode(household.inviteCode);

  async function share() {
    const result = await shareText(`Mã gia đình của mình trên trợ lý Bình dân học vụ số: ${code}. Mở trợ lý, vào Cài đặt, chọn "Gia đình số" rồi nhập mã này.`);
    setShared(
      result === 'shared'
        ? 'Đã mở chia sẻ.'
        : result === 'copied'
          ? 'Đã sao chép mã. Bác dán vào tin nhắn Zalo gửi người nhà.'
          : 'Chưa chia sẻ được. Bác đọc mã cho người nhà nhé.',
    );
  }

  async function leave() {
    setLeaving('working');
    setProblem('');
    try {
      await leaveHousehold();
      onChanged(null);
    } catch (e) {
      setProblem(errorText(e, 'Chưa rời được nhóm gia đình.'));
      setLeaving('idle');
    }
  }

  return (
    <>
      {household.covered ? (
        <p className="note note-ok big-result" role="status">
          <Icon name="check" /> Gia đình đã đạt Gia đình số
        </p>
      ) : (
        <p className="note note-info">Khi một người trong nhà đạt kỹ năng số cơ bản, gia đình sẽ đạt Gia đình số.</p>
      )}

      <section aria-labelledby="household-members">
        <h2 id="household-members">Người trong nhóm ({household.members.length})</h2>
        <ul className="card-list household-members">
          {household.members.map((m, i) => (
            <li key={i} className="figure-card">
              <p className="card-title">
                {m.name}
                {m.you ? ' (bác)' : ''}
              </p>
              <p className={m.basic ? 'basic-yes' : 'basic-no'}>
                {m.basic ? (
                  <>
                    <Icon name="check" /> Đã đạt kỹ năng số cơ bản
                  </>
                ) : (
                  'Chưa đạt kỹ năng số cơ bản'
                )}
              </p>
            </li>
          ))}
        </ul>
        <div className="nav-row">
          <button type="button" className="btn btn-secondary" onClick={onRefresh}>
            Xem lại danh sách
          </button>
        </div>
      </section>

      <section className="setting" aria-labelledby="household-code-heading">
        <h2 id="household-code-heading">Mã gia đình</h2>
        <p>Người trong nhà nhập mã này trong mục "Gia đình số" để vào nhóm.</p>
        <p className="big-code">{code}</p>
        <div className="choice-stack">
          <button type="button" className="btn btn-primary" onClick={() => void share()}>
            <Icon name="share" /> Chia sẻ mã
          </button>
        </div>
        {shared && <p role="status">{shared}</p>}
      </section>

      {leaving !== 'confirming' ? (
        <div className="nav-row">
          <button type="button" className="btn btn-secondary" disabled={leaving === 'working'} onClick={() => setLeaving('confirming')}>
            Rời nhóm gia đình
          </button>
        </div>
      ) : (
        <ConfirmNote
          questionId="leave-text"
          question="Bác rời nhóm gia đình? Người trong nhà sẽ không thấy bác trong nhóm nữa. Muốn vào lại, bác cần mã gia đình."
          cancelText="Không rời"
          confirmText="Rời nhóm"
          onCancel={() => setLeaving('idle')}
          onConfirm={() => void leave()}
        />
      )}
      {problem && <ErrorNote message={problem} />}
    </>
  );
}
