import { useCallback, useEffect, useState } from 'react';
import { errorText } from '../services/api';
import { changeReferralSharing, fetchMyReferral, withdrawReferral, type MyReferral } from '../services/community-api';
import { rememberReferralCode, setReferralReturnPath } from '../stores/referral';
import { CodeInput } from './code-input';
import { ConfirmNote } from './confirm-note';
import { ErrorNote } from './error-note';
import { Form, FormNotes } from './form';
import { useGo } from './use-go';

/**
 * Settings, "Người giới thiệu bác": the community team member the citizen agreed to be linked to, whether that
 * member may see their progress (changed here at any time), and withdrawing altogether. Without one, a code read
 * from a member's card can be typed here instead of scanning it.
 */
export function ReferralSetting() {
  const [referral, setReferral] = useState<MyReferral | null | undefined>(undefined);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [done, setDone] = useState('');

  const load = useCallback(() => {
    setError('');
    fetchMyReferral().then(
      (r) => setReferral(r.referral),
      (e: unknown) => setError(errorText(e, 'Chưa tải được người giới thiệu.')),
    );
  }, []);
  useEffect(load, [load]);

  async function change(action: () => Promise<MyReferral | null>, message: string) {
    setBusy(true);
    setProblem('');
    setDone('');
    try {
      setReferral(await action());
      setConfirming(false);
      setDone(message);
    } catch (e) {
      setProblem(errorText(e, 'Chưa lưu được. Bác thử lại sau nhé.'));
    } finally {
      setBusy(false);
    }
  }

  const name = referral ? `anh/chị ${referral.mentorName}` : '';
  const Mentor = referral ? `Anh/chị ${referral.mentorName}` : '';
  return (
    <fieldset className="setting referral-setting">
      <legend>Người giới thiệu bác</legend>
      {error && <ErrorNote message={error} onRetry={load} />}
      {referral === undefined && !error && <p role="status">Đang tải…</p>}
      {referral === null && <NoReferral />}
      {referral && (
        <>
          <p>
            <strong>Anh/chị {referral.mentorName}</strong>
            {referral.teamName ? `, ${referral.teamName}` : ''} giới thiệu bác từ ngày {new Date(referral.consentedAt).toLocaleDateString('vi-VN')}.
          </p>
          <p className="sharing-status">
            {referral.shareProgress
              ? `Bác đang cho ${name} xem tiến độ học: số bài đã học, bài đang vướng và bài nên học tiếp.`
              : `${Mentor} không xem được tiến độ học của bác.`}
          </p>
          <div className="choice-stack">
            <button
              type="button"
              className="btn btn-secondary"
              disabled={busy}
              onClick={() =>
                void change(
                  async () => (await changeReferralSharing(!referral.shareProgress)).referral,
                  referral.shareProgress ? 'Đã thôi cho xem tiến độ học.' : 'Đã cho xem tiến độ học.',
                )
              }
            >
              {referral.shareProgress ? 'Thôi, không cho xem tiến độ học' : 'Cho anh/chị ấy xem tiến độ học'}
            </button>
            {!confirming && (
              <button type="button" className="btn btn-secondary" disabled={busy} onClick={() => setConfirming(true)}>
                Bỏ người giới thiệu
              </button>
            )}
          </div>
          {confirming && (
            <ConfirmNote
              questionId="withdraw-text"
              question={`Bỏ người giới thiệu? ${Mentor} sẽ không còn thấy bác trong danh sách người mình giúp, và không xem được tiến độ học của bác nữa.`}
              cancelText="Không bỏ"
              confirmText="Bỏ người giới thiệu"
              busy={busy}
              onCancel={() => setConfirming(false)}
              onConfirm={() => void change(async () => (await withdrawReferral(), null), 'Đã bỏ người giới thiệu.')}
            />
          )}
        </>
      )}
      {problem && <ErrorNote message={problem} />}
      <FormNotes done={done} />
    </fieldset>
  );
}

/** A code typed from a member's card: the consent screen then asks, as after scanning it. */
function NoReferral() {
  const navigate = useGo();
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState('');

  function submit() {
    const typed = code.replace(/[\s-]/g, '');
    if (typed.length !== 12 || !rememberReferralCode(typed, { handled: true })) {
      return setProblem('Mã giới thiệu có 12 chữ và số, in dưới mã QR trên thẻ. Bác xem lại nhé.');
    }
    setReferralReturnPath('/settings');
    navigate('/referral');
  }

  return (
    <>
      <p>Bác chưa có người giới thiệu.</p>
      <Form onSubmit={submit}>
        <label htmlFor="referral-code">Mã giới thiệu trên thẻ của Tổ công nghệ số (nếu có)</label>
        <CodeInput id="referral-code" value={code} onChange={setCode} />
        <FormNotes problem={problem} />
        <div className="nav-row">
          <button type="submit" className="btn btn-secondary">
            Xem ai giới thiệu
          </button>
        </div>
      </Form>
    </>
  );
}
