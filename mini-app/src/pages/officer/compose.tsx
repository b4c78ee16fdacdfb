import { useEffect, useRef } from 'react';
import { ErrorNote } from '../../components/error-note';
import { Form, SubmitRow } from '../../components/form';
import { TipCard } from '../../components/tip-card';
import { useGo } from '../../components/use-go';
import { ApiError, OFFLINE_MESSAGE } from '../../services/api';
import { previewBroadcast, sendBroadcast } from '../../services/officer-api';
import type { Preview } from '../../services/officer-types';
import { vnDate, vnDateTime } from '../../services/vn-time';
import { catalogueStore, loadCatalogue } from '../../stores/catalogue';
import { useStore } from '../../stores/store';
import { composeStore, editForm, resetCompose, toDraft, type ComposeForm } from './compose-store';
import { ComposeFields } from './compose-fields';
import { OfficerScreen } from './officer-screen';
import { useScope } from './use-scope';

/** Compose a tip, see it exactly as citizens will, then send it now or at a set time. One step per screen. */
export function ComposePage() {
  return (
    <OfficerScreen title="Soạn tin gửi người dân">
      <Compose />
    </OfficerScreen>
  );
}

/** The server's problems in Vietnamese, or its one message (OUT_OF_SCOPE, offline...). */
function problemsOf(err: unknown): string[] {
  if (!(err instanceof ApiError)) return [OFFLINE_MESSAGE];
  return err.problems.length > 0 ? err.problems : [err.message];
}

function Compose() {
  const { scope, error, retry } = useScope();
  const state = useStore(composeStore);
  useEffect(() => void loadCatalogue(), []);

  // With a single ward there is nothing to choose: it is ticked. Wards outside the scope are never kept.
  useEffect(() => {
    if (!scope) return;
    const kept = state.form.wards.filter((w) => scope.wards.includes(w));
    if (kept.length === 0 && scope.wards.length === 1) editForm({ wards: [...scope.wards] });
    else if (kept.length !== state.form.wards.length) editForm({ wards: kept });
  }, [scope]);

  async function preview() {
    const { draft, problems } = toDraft(composeStore.get().form);
    if (!draft) return composeStore.set((s) => ({ ...s, problems }));
    composeStore.set((s) => ({ ...s, busy: true }));
    try {
      const p = await previewBroadcast(draft);
      composeStore.set((s) => ({ ...s, busy: false, step: 'preview', preview: p, problems: [] }));
    } catch (err) {
      composeStore.set((s) => ({ ...s, busy: false, problems: problemsOf(err) }));
    }
  }

  async function send() {
    const { draft, problems } = toDraft(composeStore.get().form);
    if (!draft) return composeStore.set((s) => ({ ...s, step: 'edit', problems }));
    composeStore.set((s) => ({ ...s, busy: true }));
    try {
      const sent = await sendBroadcast(draft);
      composeStore.set((s) => ({ ...s, busy: false, step: 'sent', sent, problems: [] }));
    } catch (err) {
      // Back to the form, with what to fix next to it (a scheduled time that has passed meanwhile, a ward taken away).
      composeStore.set((s) => ({ ...s, busy: false, step: 'edit', preview: null, problems: problemsOf(err) }));
    }
  }

  if (error) return <ErrorNote message={error} onRetry={retry} />;
  if (!scope) return <p role="status">Đang tải…</p>;
  if (scope.wards.length === 0) return <p className="note note-info">Tài khoản của bác chưa được giao phường, xã nào.</p>;
  if (state.step === 'sent' && state.sent) return <Sent title={state.sent.title} sendAt={state.sent.sendAt} onAgain={() => resetCompose(scope.wards.length === 1 ? scope.wards : [])} />;
  if (state.step === 'preview' && state.preview)
    return <PreviewStep preview={state.preview} form={state.form} busy={state.busy} onSend={() => void send()} onEdit={() => composeStore.set((s) => ({ ...s, step: 'edit' }))} />;
  return (
    <Form className="compose" onSubmit={preview}>
      <ComposeFields form={state.form} scope={scope} />
      <Problems problems={state.problems} />
      <SubmitRow text="Xem trước" busy={state.busy} busyText="Đang kiểm tra…" />
    </Form>
  );
}

/** What to fix before the tip can go, in the server's words, next to the button that was just pressed. */
function Problems({ problems }: { problems: string[] }) {
  if (problems.length === 0) return null;
  return (
    <div className="note note-error problems" role="alert">
      <p>
        <strong>Chưa gửi được. Bác sửa giúp:</strong>
      </p>
      <ul>
        {problems.map((p, i) => (
          <li key={i}>{p}</li>
        ))}
      </ul>
    </div>
  );
}

function PreviewStep({ preview, form, busy, onSend, onEdit }: { preview: Preview; form: ComposeForm; busy: boolean; onSend: () => void; onEdit: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const { lessons, topics } = useStore(catalogueStore);
  const lessonTitle = (id: string) => lessons.find((l) => l.id === id)?.title ?? id;
  const later = form.when === 'later';
  const alert = preview.tip.priority === 'scam_alert';
  const expires = toDraft(form).draft?.expiresAt ?? new Date(Date.parse(preview.tip.publishedAt) + 14 * 86_400_000).toISOString();
  return (
    <section aria-labelledby="preview-heading">
      <h2 id="preview-heading" ref={heading} tabIndex={-1}>
        Xem trước
      </h2>
      <p>Người dân sẽ thấy tin đúng như sau:</p>
      <div className="preview-frame">
        <TipCard tip={preview.tip} />
      </div>
      <h3>Gửi tới</h3>
      <ul className="summary">
        <li>{form.wards.join(', ')}</li>
        {form.narrowing === 'topic' && <li>Chỉ người quan tâm chủ đề «{topics.find((t) => t.id === form.topic)?.label ?? form.topic}»</li>}
        {form.narrowing === 'unfinished' && <li>Chỉ người chưa học xong bài «{lessonTitle(form.unfinishedLesson)}»</li>}
      </ul>
      <h3>Khi nào</h3>
      <ul className="summary">
        <li>{later ? `Vào mục Tin báo lúc ${vnDateTime(preview.tip.publishedAt)} (giờ Việt Nam).` : 'Vào mục Tin báo ngay khi bác bấm "Gửi".'}</li>
        {preview.heldForQuietHours ? (
          <li className="note note-info quiet-hours">
            <strong>Giờ yên tĩnh:</strong> tin thường không báo vào điện thoại từ 22:00 đến 08:00. Tin này sẽ được báo vào điện thoại lúc{' '}
            {vnDateTime(preview.pushAt)}.
          </li>
        ) : (
          <li>
            {alert ? 'Cảnh báo lừa đảo được báo vào điện thoại ngay, kể cả ban đêm' : 'Báo vào điện thoại của người dân'}
            {later ? ` lúc ${vnDateTime(preview.pushAt)}.` : alert ? '.' : ' ngay.'}
          </li>
        )}
        <li>Hiện trong mục Tin báo đến hết ngày {vnDate(expires)}.</li>
      </ul>
      <div className="nav-row">
        <button type="button" className="btn btn-primary" onClick={onSend} disabled={busy}>
          {busy ? 'Đang gửi…' : 'Gửi'}
        </button>
        <button type="button" className="btn btn-secondary" onClick={onEdit} disabled={busy}>
          Sửa lại
        </button>
      </div>
    </section>
  );
}

function Sent({ title, sendAt, onAgain }: { title: string; sendAt: string; onAgain: () => void }) {
  const navigate = useGo();
  const scheduled = Date.parse(sendAt) > Date.now() + 60_000;
  return (
    <>
      <p className="note note-ok" role="status">
        {scheduled ? `Đã hẹn gửi tin «${title}» lúc ${vnDateTime(sendAt)}.` : `Đã gửi tin «${title}».`}
      </p>
      <div className="nav-row">
        <button type="button" className="btn btn-primary" onClick={() => navigate('/officer/broadcasts')}>
          Xem tin đã gửi
        </button>
        <button type="button" className="btn btn-secondary" onClick={onAgain}>
          Soạn tin khác
        </button>
      </div>
    </>
  );
}
