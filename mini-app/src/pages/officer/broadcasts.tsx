import { useEffect, useState } from 'react';
import { ConfirmNote } from '../../components/confirm-note';
import { ErrorNote } from '../../components/error-note';
import { Icon } from '../../components/icons';
import { useGo } from '../../components/use-go';
import { errorText } from '../../services/api';
import { cancelBroadcast, fetchBroadcasts } from '../../services/officer-api';
import type { Broadcast, BroadcastReport, BroadcastStatus } from '../../services/officer-types';
import { vnDate, vnDateTime } from '../../services/vn-time';
import { OfficerScreen } from './officer-screen';

/** The report changes while a broadcast goes out and as people open it; the list is read again this often. */
const REFRESH_MS = 15_000;

export function BroadcastsPage() {
  return (
    <OfficerScreen title="Tin đã gửi">
      <BroadcastList />
    </OfficerScreen>
  );
}

const STATUS: Record<BroadcastStatus, string> = {
  scheduled: 'Đã hẹn giờ',
  fanning_out: 'Đang gửi',
  sent: 'Đã gửi',
  cancelled: 'Đã hủy',
};

/** The delivery report in the officer's words, in this order. */
export const REPORT_LABELS: [keyof BroadcastReport, string][] = [
  ['targeted', 'Đã nhắm tới'],
  ['delivered', 'Đã gửi tới'],
  ['failed', 'Lỗi'],
  ['feedOnly', 'Chỉ trong bảng tin'],
  ['pending', 'Đang chờ'],
  ['opened', 'Đã mở'],
];

function BroadcastList() {
  const navigate = useGo();
  const [list, setList] = useState<Broadcast[] | null>(null);
  const [error, setError] = useState('');
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    const load = () =>
      fetchBroadcasts().then(
        (r) => {
          if (!live) return;
          setList(r.broadcasts);
          setError('');
        },
        (e: unknown) => live && setError(errorText(e, 'Chưa tải được danh sách tin.')),
      );
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [attempt]);

  const replace = (b: Broadcast) => setList((l) => l && l.map((x) => (x.id === b.id ? b : x)));

  return (
    <>
      <div className="nav-row">
        <button type="button" className="btn btn-primary" onClick={() => navigate('/officer/compose')}>
          Soạn tin mới
        </button>
        <button type="button" className="btn btn-secondary" onClick={() => setAttempt((a) => a + 1)}>
          Cập nhật số liệu
        </button>
      </div>
      {error && <ErrorNote message={error} onRetry={() => setAttempt((a) => a + 1)} />}
      {list === null && !error && <p role="status">Đang tải…</p>}
      {list?.length === 0 && <p>Chưa có tin nào.</p>}
      <ul className="card-list">
        {list?.map((b) => (
          <li key={b.id}>
            <BroadcastItem broadcast={b} onChanged={replace} />
          </li>
        ))}
      </ul>
    </>
  );
}

function BroadcastItem({ broadcast: b, onChanged }: { broadcast: Broadcast; onChanged: (b: Broadcast) => void }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState('');
  const cancellable = b.status === 'scheduled' || b.status === 'fanning_out';
  const alert = b.priority === 'scam_alert';
  const titleId = `broadcast-${b.id}`;

  async function cancel() {
    setBusy(true);
    setProblem('');
    try {
      onChanged(await cancelBroadcast(b.id));
      setConfirming(false);
    } catch (e) {
      setProblem(errorText(e, 'Chưa hủy được. Bác thử lại nhé.'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <article className={alert ? 'broadcast tip-alert' : 'broadcast'} aria-labelledby={titleId}>
      <p className="broadcast-tags">
        <span className={`badge status-${b.status}`}>{STATUS[b.status] ?? b.status}</span>{' '}
        {alert && (
          <span className="badge badge-alert">
            <Icon name="warning" size="1em" /> Cảnh báo lừa đảo
          </span>
        )}
      </p>
      <h2 id={titleId}>{b.title}</h2>
      <p className="tip-body">{b.body}</p>
      <p className="card-meta">
        {b.status === 'scheduled' ? 'Hẹn gửi lúc' : 'Gửi lúc'} {vnDateTime(b.sendAt)} · hiện đến {vnDate(b.expiresAt)}
      </p>
      <p className="card-meta">Tới: {b.wards.join(', ')}</p>
      <dl className="report" aria-label="Kết quả gửi">
        {REPORT_LABELS.map(([key, label]) => (
          <div key={key} className="report-item">
            <dt>{label}</dt>
            <dd data-key={key}>{b.report[key].toLocaleString('vi-VN')}</dd>
          </div>
        ))}
      </dl>
      {cancellable && !confirming && (
        <button type="button" className="btn btn-danger" onClick={() => setConfirming(true)}>
          Hủy tin này
        </button>
      )}
      {confirming && (
        <ConfirmNote
          questionId={`${titleId}-confirm`}
          question={`Bác chắc chắn muốn hủy tin «${b.title}»? Tin chưa gửi sẽ không gửi nữa và tin sẽ không còn trong bảng tin.`}
          cancelText="Không hủy"
          confirmText="Hủy tin"
          busyText="Đang hủy…"
          busy={busy}
          cancelDisabled={busy}
          onCancel={() => setConfirming(false)}
          onConfirm={() => void cancel()}
        />
      )}
      {problem && <ErrorNote message={problem} />}
    </article>
  );
}
