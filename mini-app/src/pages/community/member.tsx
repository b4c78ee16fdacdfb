import { useEffect, useRef, useState } from 'react';
import { ConfirmNote } from '../../components/confirm-note';
import { ErrorNote } from '../../components/error-note';
import { FormNotes } from '../../components/form';
import { Icon } from '../../components/icons';
import { lessonPath } from '../../components/recommendation-card';
import { useGo } from '../../components/use-go';
import { errorText } from '../../services/api';
import { groupCode, rotateReferralCode, type MemberInfo, type Mentee } from '../../services/community-api';
import { saveBlob } from '../../services/download';
import { saveImageInZalo, shareReferral } from '../../services/zalo';
import { useStore } from '../../stores/store';
import { CARD_HEADLINE, cardBlob, drawCard, loadQrImage } from './card';
import { CommunityScreen, shortDate } from './community-screen';
import { loadMemberInfo, loadMentees, memberStore, updateCode } from './member-store';

/**
 * A community team member's page (Đại sứ số): their referral code as a link and a printable card, and the
 * neighbours who joined through them and agreed, against the target of five: progress only for those who agreed
 * to share it, who is stuck, the lesson to go through together, and the help sessions recorded.
 */
export function MemberPage() {
  return (
    <CommunityScreen title="Trang Đại sứ số" need="member">
      <Member />
    </CommunityScreen>
  );
}

function Member() {
  const { info, infoError, notMember, mentees, menteesError, target } = useStore(memberStore);
  useEffect(() => {
    void loadMemberInfo();
    void loadMentees();
  }, []);

  if (notMember) return <p className="note note-info">{infoError}</p>;
  const count = mentees?.length ?? info?.mentees;
  return (
    <>
      {info && (
        <p className="lead">
          <strong>{info.team}</strong>, {info.ward}
        </p>
      )}
      {count !== undefined && <TargetBar count={count} target={target} />}
      {infoError && <ErrorNote message={infoError} onRetry={() => void loadMemberInfo()} />}
      {!info && !infoError && <p role="status">Đang tải…</p>}
      {info && <ReferralCard info={info} />}
      <Mentees mentees={mentees} error={menteesError} />
    </>
  );
}

/** "3/5 người": the plans' Đại sứ số 1:5, as a bar and in words. */
function TargetBar({ count, target }: { count: number; target: number }) {
  const share = Math.min(1, target > 0 ? count / target : 1);
  return (
    <div className="target">
      <p className="target-text">
        Bác đang giúp <strong className="target-count">{`${count}/${target} người`}</strong>
        {count >= target ? '. Bác đã đạt chỉ tiêu Đại sứ số 1:5.' : ` (chỉ tiêu Đại sứ số: giúp ${target} người).`}
      </p>
      <div className="target-track" aria-hidden="true">
        <div className="target-fill" style={{ width: `${Math.round(share * 100)}%` }} />
      </div>
    </div>
  );
}

function ReferralCard({ info }: { info: MemberInfo }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [drawn, setDrawn] = useState(false);
  const [qrError, setQrError] = useState('');
  const [attempt, setAttempt] = useState(0);
  const [note, setNote] = useState('');
  const [rotating, setRotating] = useState<'idle' | 'confirming' | 'working'>('idle');
  const [rotateError, setRotateError] = useState('');

  useEffect(() => {
    let live = true;
    setDrawn(false);
    setQrError('');
    loadQrImage().then(
      (img) => {
        if (!live || !canvas.current) return;
        drawCard(canvas.current, img, info);
        setDrawn(true);
      },
      (e: unknown) => live && setQrError(errorText(e, 'Chưa tải được mã QR.')),
    );
    return () => {
      live = false;
    };
  }, [info.code, info.link, info.team, info.ward, attempt]);

  async function download() {
    setNote('');
    const c = canvas.current;
    if (!c || !drawn) return;
    const filename = `the-gioi-thieu-${info.code}.png`;
    if (await saveImageInZalo(c.toDataURL('image/png'))) return setNote('Đã lưu ảnh thẻ vào thư viện ảnh. Bác in ra khổ A6 (10,5 × 14,8 cm).');
    const blob = await cardBlob(c);
    setNote(
      blob && saveBlob(blob, filename)
        ? `Đã tải ảnh thẻ (${filename}). Bác in ra khổ A6 (10,5 × 14,8 cm).`
        : 'Máy này chưa lưu được ảnh. Bác chụp màn hình thẻ, hoặc bấm "Chia sẻ".',
    );
  }

  async function share() {
    setNote('');
    const result = await shareReferral({
      code: info.code,
      link: info.link,
      title: 'Trợ lý Bình dân học vụ số',
      text: `${info.team} giới thiệu trợ lý Bình dân học vụ số: hỏi cách dùng VNeID, dịch vụ công, chuyển tiền an toàn.`,
    });
    setNote(
      result === 'shared'
        ? 'Đã mở chia sẻ.'
        : result === 'copied'
          ? 'Đã sao chép đường link. Bác dán vào tin nhắn Zalo gửi người cần.'
          : 'Chưa chia sẻ được. Bác cho người cần quét mã QR trên thẻ nhé.',
    );
  }

  async function rotate() {
    setRotating('working');
    setRotateError('');
    try {
      const { code, link } = await rotateReferralCode();
      updateCode(code, link);
      setRotating('idle');
      setNote('Đã đổi mã. Thẻ và đường link cũ không dùng được nữa: bác tải và in thẻ mới.');
    } catch (e) {
      setRotateError(errorText(e, 'Chưa đổi được mã.'));
      setRotating('confirming');
    }
  }

  return (
    <section aria-labelledby="my-code-heading">
      <h2 id="my-code-heading">Mã giới thiệu của tôi</h2>
      <p>Người được bác giới thiệu quét mã QR trên thẻ, hoặc mở đường link này:</p>
      <p className="referral-link">{info.link}</p>
      <p>
        Mã: <strong className="big-code">{groupCode(info.code)}</strong>
      </p>
      {qrError && <ErrorNote message={qrError} onRetry={() => setAttempt((a) => a + 1)} />}
      {!drawn && !qrError && <p role="status">Đang vẽ thẻ…</p>}
      <canvas
        ref={canvas}
        className="referral-card"
        data-ready={drawn ? 'true' : 'false'}
        role="img"
        aria-label={`Thẻ giới thiệu khổ A6: mã QR, dòng chữ "${CARD_HEADLINE}", ${info.team}, mã ${groupCode(info.code)}`}
        hidden={!drawn}
      />
      <div className="nav-row">
        <button type="button" className="btn btn-primary" disabled={!drawn} onClick={() => void download()}>
          Tải ảnh thẻ
        </button>
        <button type="button" className="btn btn-secondary" onClick={() => void share()}>
          <Icon name="share" /> Chia sẻ
        </button>
      </div>
      <FormNotes done={note} />
      {rotating === 'idle' ? (
        <div className="nav-row">
          <button type="button" className="btn btn-secondary" onClick={() => setRotating('confirming')}>
            Đổi mã
          </button>
        </div>
      ) : (
        <ConfirmNote
          questionId="rotate-text"
          question="Đổi sang mã mới? Mã, đường link và thẻ đã in hiện nay sẽ không dùng được nữa; bác cần in thẻ mới. Những người bác đã giới thiệu vẫn ở trong danh sách. Chỉ nên đổi khi thẻ bị mất hoặc bị dùng sai."
          cancelText="Không đổi"
          confirmText="Đổi mã mới"
          busyText="Đang đổi…"
          busy={rotating === 'working'}
          cancelDisabled={rotating === 'working'}
          onCancel={() => setRotating('idle')}
          onConfirm={() => void rotate()}
        >
          {rotateError && <p>{rotateError}</p>}
        </ConfirmNote>
      )}
    </section>
  );
}

function Mentees({ mentees, error }: { mentees: Mentee[] | null; error: string }) {
  return (
    <section aria-labelledby="mentees-heading">
      <h2 id="mentees-heading">Người bác đang giúp</h2>
      {error && <ErrorNote message={error} onRetry={() => void loadMentees()} />}
      {mentees === null && !error && <p role="status">Đang tải…</p>}
      {mentees?.length === 0 && <p>Chưa có ai. Khi người được bác giới thiệu quét mã và đồng ý, họ sẽ hiện ở đây.</p>}
      <ul className="card-list mentees">
        {mentees?.map((m) => (
          <li key={m.id}>
            <MenteeCard mentee={m} />
          </li>
        ))}
      </ul>
      {mentees && (
        <div className="nav-row">
          <button type="button" className="btn btn-secondary" onClick={() => void loadMentees()}>
            Cập nhật danh sách
          </button>
        </div>
      )}
    </section>
  );
}

function MenteeCard({ mentee: m }: { mentee: Mentee }) {
  const navigate = useGo();
  const p = m.progress;
  return (
    <article className="mentee" aria-labelledby={`mentee-${m.id}`}>
      <h3 id={`mentee-${m.id}`}>{m.name}</h3>
      <p className="card-meta">Tham gia từ {shortDate(m.joinedAt)}</p>
      {!m.shareProgress && <p className="note note-info">Chưa đồng ý chia sẻ tiến độ</p>}
      {m.shareProgress && !p && <p>Chưa có tiến độ học.</p>}
      {p && (
        <>
          {p.stuck && (
            <p className="note note-error stuck">
              <strong>Cần giúp:</strong> {p.stuck}
            </p>
          )}
          <dl className="figures mentee-figures">
            <div>
              <dt>Bài đã học xong</dt>
              <dd data-key="lessonsDone">{p.lessonsDone}</dd>
            </div>
            <div>
              <dt>Bài đã vững</dt>
              <dd data-key="mastered">{p.mastered}</dd>
            </div>
            <div>
              <dt>Kỹ năng số cơ bản</dt>
              <dd data-key="basic">{p.basic ? 'Đã đạt' : 'Chưa đạt'}</dd>
            </div>
          </dl>
          {p.lastActivity && <p className="card-meta">Học lần cuối: {shortDate(p.lastActivity)}</p>}
          {p.next && (
            <div className="next-together">
              <p>
                <strong>Bài nên học cùng:</strong> {p.next.title}
              </p>
              <p className="hint">{p.next.reason}</p>
              <button type="button" className="btn btn-secondary" onClick={() => navigate(lessonPath(p.next!))}>
                Mở bài này
              </button>
            </div>
          )}
        </>
      )}
      <p>
        Đã hỗ trợ: <strong data-key="helpSessions">{m.helpSessions}</strong> buổi
      </p>
      <div className="nav-row">
        <button type="button" className="btn btn-primary" onClick={() => navigate(`/community/help/${m.id}`)}>
          Ghi lại buổi hỗ trợ
        </button>
      </div>
    </article>
  );
}
