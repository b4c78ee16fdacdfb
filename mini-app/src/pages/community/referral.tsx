import { useEffect, useState } from 'react';
import { ErrorNote } from '../../components/error-note';
import { ListenButton } from '../../components/listen-button';
import { useGo } from '../../components/use-go';
import { ApiError } from '../../services/api';
import { acceptReferral, lookupReferralCode, type ReferralOwner } from '../../services/community-api';
import { accountStore } from '../../stores/account';
import { clearReferralCode, referralReturnPath, referralStore } from '../../stores/referral';
import { useStore } from '../../stores/store';
import { CommunityScreen, mentorLine } from './community-screen';

/**
 * The one screen a neighbour sees after opening a member's link: who invited them, in plain words, then three big
 * choices: be linked and let the member see their progress, be linked only, or nothing. Whatever they choose, the
 * code is not asked about again; they can change or withdraw it in Settings.
 */
export function ReferralPage() {
  return (
    <CommunityScreen title="Người giới thiệu">
      <ReferralConsent />
    </CommunityScreen>
  );
}

type Choice = 'share' | 'link' | 'no';

type State =
  | { step: 'loading' }
  | { step: 'ask'; owner: ReferralOwner }
  | { step: 'sending'; owner: ReferralOwner; choice: Choice }
  | { step: 'done'; owner: ReferralOwner | null; choice: Choice }
  /** The code is wrong, changed, the citizen's own, or they are already linked: said plainly, the code dropped. */
  | { step: 'refused'; message: string }
  /** Offline, busy, too many tries: the code is kept, the citizen may try again now or later. */
  | { step: 'failed'; message: string; owner?: ReferralOwner; choice?: Choice };

const SHARE_LABEL = 'Đồng ý, cho anh/chị ấy xem tiến độ học của tôi để giúp tôi';
const LINK_LABEL = 'Chỉ ghi nhận người giới thiệu, không cho xem tiến độ';
const NO_LABEL = 'Không, cảm ơn';

/** What the member would see, said before the citizen chooses. */
const WHAT_IS_SHARED =
  'Nếu bác cho xem tiến độ, anh/chị ấy sẽ thấy bác đã học xong bao nhiêu bài, bài nào bác đang vướng và bài nên học tiếp, để đến giúp bác. Anh/chị ấy không thấy những câu bác đã hỏi trợ lý.';
const CHANGE_LATER = 'Bác đổi ý lúc nào cũng được, trong Cài đặt, mục "Người giới thiệu bác".';

function ReferralConsent() {
  const navigate = useGo();
  const { code } = useStore(referralStore);
  const { status } = useStore(accountStore);
  const [state, setState] = useState<State>({ step: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!code || status !== 'signed-in') return;
    let live = true;
    setState({ step: 'loading' });
    lookupReferralCode(code).then(
      (owner) => live && setState({ step: 'ask', owner }),
      (e: unknown) => {
        if (!live) return;
        if (e instanceof ApiError && e.code === 'UNKNOWN_CODE') {
          clearReferralCode();
          setState({ step: 'refused', message: e.message });
        } else {
          setState({ step: 'failed', message: e instanceof ApiError ? e.message : 'Chưa kiểm tra được mã giới thiệu.' });
        }
      },
    );
    return () => {
      live = false;
    };
    // Not on `code`: clearing it after the citizen's answer must not look it up again. A retry does.
  }, [attempt, status]);

  async function choose(owner: ReferralOwner, choice: Choice) {
    if (choice === 'no') {
      clearReferralCode();
      return setState({ step: 'done', owner, choice });
    }
    setState({ step: 'sending', owner, choice });
    try {
      await acceptReferral(code ?? '', choice === 'share');
      clearReferralCode();
      setState({ step: 'done', owner, choice });
    } catch (e) {
      if (e instanceof ApiError && ['UNKNOWN_CODE', 'SELF', 'ALREADY_LINKED'].includes(e.code)) {
        clearReferralCode();
        setState({ step: 'refused', message: e.message });
      } else {
        setState({ step: 'failed', message: e instanceof ApiError ? e.message : 'Chưa lưu được lựa chọn của bác.', owner, choice });
      }
    }
  }

  const goOn = () => navigate(referralReturnPath());
  const goOnButton = (
    <div className="choice-stack">
      <button type="button" className="btn btn-primary" onClick={goOn}>
        Tiếp tục dùng trợ lý
      </button>
    </div>
  );

  if (state.step === 'refused') {
    return (
      <>
        <p className="note note-error" role="alert">
          {state.message}
        </p>
        {goOnButton}
      </>
    );
  }
  if (state.step === 'done') {
    const who = state.owner ? `Anh/chị ${state.owner.mentorName}` : 'Người giới thiệu';
    const text =
      state.choice === 'share'
        ? `Cảm ơn bác. ${who} sẽ thấy tiến độ học của bác để giúp bác. ${CHANGE_LATER}`
        : state.choice === 'link'
          ? `Đã ghi nhận ${who.charAt(0).toLowerCase()}${who.slice(1)} là người giới thiệu bác. Anh/chị ấy không xem được tiến độ học của bác. ${CHANGE_LATER}`
          : 'Không sao ạ. Bác vẫn dùng trợ lý như bình thường, không ai xem được tiến độ học của bác.';
    return (
      <>
        <p className="note note-ok lead" role="status">
          {text}
        </p>
        <ListenButton text={text} />
        {goOnButton}
      </>
    );
  }
  if (!code && (state.step === 'loading' || state.step === 'failed')) {
    return (
      <>
        <p>Không có mã giới thiệu nào đang chờ bác trả lời.</p>
        {goOnButton}
      </>
    );
  }
  if (state.step === 'failed') {
    const { owner, choice } = state;
    return (
      <>
        <ErrorNote message={state.message} onRetry={() => (owner && choice ? void choose(owner, choice) : setAttempt((a) => a + 1))} />
        <div className="choice-stack">
          <button type="button" className="btn btn-secondary" onClick={goOn}>
            Để sau
          </button>
        </div>
      </>
    );
  }
  if (state.step === 'loading') return <p role="status">Đang kiểm tra mã giới thiệu…</p>;

  const { owner } = state;
  const busy = state.step === 'sending';
  const intro = `${mentorLine(owner)} đã giới thiệu bác dùng trợ lý này.`;
  const team = 'Anh/chị ấy là thành viên Tổ công nghệ số cộng đồng, giúp bà con dùng điện thoại, VNeID và dịch vụ công trực tuyến.';
  return (
    <section aria-labelledby="referral-intro">
      <p id="referral-intro" className="lead referral-intro">
        {intro}
      </p>
      <p>{team}</p>
      <p>{WHAT_IS_SHARED}</p>
      <p>{CHANGE_LATER}</p>
      <ListenButton text={`${intro} ${team} ${WHAT_IS_SHARED} Bác chọn một trong ba: ${SHARE_LABEL}. ${LINK_LABEL}. ${NO_LABEL}.`} />
      <h2>Bác chọn một</h2>
      <div className="choice-stack" role="group" aria-label="Bác chọn một">
        <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void choose(owner, 'share')}>
          {SHARE_LABEL}
        </button>
        <button type="button" className="btn btn-secondary" disabled={busy} onClick={() => void choose(owner, 'link')}>
          {LINK_LABEL}
        </button>
        <button type="button" className="btn btn-secondary" disabled={busy} onClick={() => void choose(owner, 'no')}>
          {NO_LABEL}
        </button>
      </div>
      {busy && <p role="status">Đang lưu…</p>}
    </section>
  );
}
