import { useCallback, useEffect, useState } from 'react';
import { ConfirmNote } from '../../components/confirm-note';
import { ErrorNote } from '../../components/error-note';
import { Form, FormNotes, SubmitRow } from '../../components/form';
import { errorText } from '../../services/api';
import { fetchAudit, fetchGrants, grantRole, revokeRole } from '../../services/officer-api';
import type { AuditEntry, Grant } from '../../services/officer-types';
import type { Role } from '../../services/types';
import { vnDateTime } from '../../services/vn-time';
import { OfficerScreen } from './officer-screen';
import { useScope } from './use-scope';
import { WardSelect } from './ward-select';

/** Admins only: who holds which role where, granting and revoking, and the audit log of every officer's action. */
export function AdminPage() {
  return (
    <OfficerScreen title="Quản lý quyền" need="admin">
      <Admin />
    </OfficerScreen>
  );
}

export const ROLE_LABELS: Record<Role, string> = {
  officer: 'Cán bộ phường, xã',
  team_member: 'Thành viên Tổ công nghệ số cộng đồng',
  admin: 'Quản trị viên (cả tỉnh)',
};

const ACTION_LABELS: Record<string, string> = {
  'role.grant': 'Cấp quyền',
  'role.revoke': 'Thu hồi quyền',
  'broadcast.create': 'Tạo tin',
  'broadcast.cancel': 'Hủy tin',
  'report.export': 'Tải báo cáo',
  'team.create': 'Lập tổ công nghệ số',
  'team.member.add': 'Thêm thành viên tổ',
  'team.member.remove': 'Bỏ thành viên khỏi tổ',
  'leaderboard.export': 'Tải bảng xếp hạng',
};

export const EXTERNAL_ID = /^(zalo|dev):[A-Za-z0-9-]{1,40}$/;
const AUDIT_PAGE = 20;

/** A Zalo user id typed on its own gets its "zalo:" prefix. */
export function normaliseId(typed: string): string {
  const s = typed.trim();
  return /^\d+$/.test(s) ? `zalo:${s}` : s;
}

function Admin() {
  const [grants, setGrants] = useState<Grant[] | null>(null);
  const [grantsError, setGrantsError] = useState('');
  const [audit, setAudit] = useState<AuditEntry[] | null>(null);
  const [auditError, setAuditError] = useState('');
  const [moreAudit, setMoreAudit] = useState(false);

  const loadGrants = useCallback(() => {
    setGrantsError('');
    fetchGrants().then(
      (r) => setGrants(r.grants),
      (e: unknown) => setGrantsError(errorText(e, 'Chưa tải được danh sách quyền.')),
    );
  }, []);

  const loadAudit = useCallback((before?: number) => {
    setAuditError('');
    fetchAudit({ limit: AUDIT_PAGE, before }).then(
      (r) => {
        setAudit((a) => (before && a ? [...a, ...r.entries] : r.entries));
        setMoreAudit(r.entries.length === AUDIT_PAGE);
      },
      (e: unknown) => setAuditError(errorText(e, 'Chưa tải được nhật ký.')),
    );
  }, []);

  useEffect(() => {
    loadGrants();
    loadAudit();
  }, [loadGrants, loadAudit]);

  /** After a change: the new list from the server, and the log that now records it. */
  const changed = (next: Grant[]) => {
    setGrants(next);
    loadAudit();
  };

  return (
    <>
      <section aria-labelledby="grant-heading">
        <h2 id="grant-heading">Cấp quyền</h2>
        <GrantForm onGranted={changed} />
      </section>

      <section aria-labelledby="grants-heading">
        <h2 id="grants-heading">Người đang có quyền</h2>
        {grantsError && <ErrorNote message={grantsError} onRetry={loadGrants} />}
        {grants === null && !grantsError && <p role="status">Đang tải…</p>}
        {grants?.length === 0 && <p>Chưa có ai.</p>}
        <ul className="card-list grants">
          {grants?.map((g) => (
            <li key={`${g.externalId}|${g.role}|${g.ward}`}>
              <GrantItem grant={g} onRevoked={changed} />
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="audit-heading">
        <h2 id="audit-heading">Nhật ký thao tác</h2>
        {auditError && <ErrorNote message={auditError} onRetry={() => loadAudit()} />}
        {audit === null && !auditError && <p role="status">Đang tải…</p>}
        {audit?.length === 0 && <p>Chưa có thao tác nào.</p>}
        <ul className="card-list audit">
          {audit?.map((a) => (
            <li key={a.id} className="audit-entry">
              <p>
                <strong>{ACTION_LABELS[a.action] ?? a.action}</strong>
                {a.target ? `: ${a.target}` : ''}
              </p>
              {Object.keys(a.detail).length > 0 && <p className="audit-detail">{describeDetail(a.detail)}</p>}
              <p className="card-meta">
                {vnDateTime(a.at)} · bởi {a.actor}
              </p>
            </li>
          ))}
        </ul>
        {moreAudit && audit && audit.length > 0 && (
          <button type="button" className="btn btn-secondary" onClick={() => loadAudit(audit.at(-1)!.id)}>
            Xem thêm
          </button>
        )}
      </section>
    </>
  );
}

/** An entry's details as one line of text: "role: officer; ward: Phường Việt Trì". */
function describeDetail(detail: Record<string, unknown>): string {
  const names: Record<string, string> = {
    role: 'vai trò',
    ward: 'phường, xã',
    wards: 'phường, xã',
    title: 'tiêu đề',
    priority: 'loại tin',
    sendAt: 'gửi lúc',
    name: 'tên',
    teamId: 'mã tổ',
  };
  return Object.entries(detail)
    .map(([k, v]) => {
      let value = Array.isArray(v) ? v.join(', ') : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
      if (k === 'role' && typeof v === 'string' && v in ROLE_LABELS) value = ROLE_LABELS[v as Role];
      if (k === 'sendAt' && typeof v === 'string' && !Number.isNaN(Date.parse(v))) value = vnDateTime(v);
      return `${names[k] ?? k}: ${value || '(không)'}`;
    })
    .join('; ');
}

function GrantForm({ onGranted }: { onGranted: (grants: Grant[]) => void }) {
  const { scope, error: scopeError, retry } = useScope();
  const [id, setId] = useState('');
  const [role, setRole] = useState<Role>('officer');
  const [ward, setWard] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState('');
  const [done, setDone] = useState('');

  async function submit() {
    setProblem('');
    setDone('');
    const externalId = normaliseId(id);
    if (!EXTERNAL_ID.test(externalId)) return setProblem('Mã tài khoản chưa đúng: "zalo:" rồi đến mã người dùng Zalo, ví dụ zalo:1234567890.');
    if (role !== 'admin' && !ward) return setProblem('Bác chọn phường, xã cho vai trò này.');
    setBusy(true);
    try {
      const { grants } = await grantRole(externalId, role, ward);
      setDone(`Đã cấp quyền ${ROLE_LABELS[role]}${role === 'admin' ? '' : ` (${ward})`} cho ${externalId}.`);
      setId('');
      onGranted(grants);
    } catch (e) {
      setProblem(errorText(e, 'Chưa cấp được quyền.'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Form onSubmit={submit}>
      <div className="field">
        <label htmlFor="grant-id">Mã tài khoản Zalo</label>
        <input id="grant-id" type="text" value={id} onChange={(e) => setId(e.target.value)} aria-describedby="grant-id-hint" autoComplete="off" spellCheck={false} />
        <p id="grant-id-hint" className="hint">
          Dạng zalo:1234567890. Người được cấp quyền mở lại ứng dụng là thấy trang cán bộ.
        </p>
      </div>
      <div className="field">
        <label htmlFor="grant-role">Vai trò</label>
        <select id="grant-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {(Object.keys(ROLE_LABELS) as Role[]).map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </select>
      </div>
      {role !== 'admin' && (
        <div className="field">
          <label htmlFor="grant-ward">Phường, xã</label>
          {scopeError && <ErrorNote message={scopeError} onRetry={retry} />}
          <WardSelect id="grant-ward" wards={scope?.wards} value={ward} onChange={setWard} />
        </div>
      )}
      <FormNotes problem={problem} done={done} />
      <SubmitRow text="Cấp quyền" busy={busy} busyText="Đang cấp…" />
    </Form>
  );
}

function GrantItem({ grant: g, onRevoked }: { grant: Grant; onRevoked: (grants: Grant[]) => void }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState('');

  async function revoke() {
    setBusy(true);
    setProblem('');
    try {
      const { grants } = await revokeRole(g.externalId, g.role, g.ward);
      onRevoked(grants);
    } catch (e) {
      setProblem(errorText(e, 'Chưa thu hồi được.'));
      setBusy(false);
    }
  }

  const what = `${ROLE_LABELS[g.role] ?? g.role}${g.ward ? ` (${g.ward})` : ''}`;
  return (
    <div className="grant">
      <p>
        <strong>{g.name}</strong> <span className="card-meta">{g.externalId}</span>
      </p>
      <p>{what}</p>
      <p className="card-meta">Cấp lúc {vnDateTime(g.grantedAt)}</p>
      {!confirming ? (
        <button type="button" className="btn btn-secondary" onClick={() => setConfirming(true)}>
          Thu hồi
        </button>
      ) : (
        <ConfirmNote
          label="Xác nhận thu hồi quyền"
          question={`Thu hồi quyền ${what} của ${g.name}?`}
          cancelText="Không"
          confirmText="Thu hồi quyền"
          busyText="Đang thu hồi…"
          busy={busy}
          cancelDisabled={busy}
          onCancel={() => setConfirming(false)}
          onConfirm={() => void revoke()}
        />
      )}
      {problem && <ErrorNote message={problem} />}
    </div>
  );
}
