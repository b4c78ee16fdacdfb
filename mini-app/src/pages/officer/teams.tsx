import { useCallback, useEffect, useState } from 'react';
import { ConfirmNote } from '../../components/confirm-note';
import { ErrorNote } from '../../components/error-note';
import { Form, FormNotes, SubmitRow } from '../../components/form';
import { errorText } from '../../services/api';
import { addTeamMember, createTeam, fetchTeams, removeTeamMember } from '../../services/officer-api';
import type { Team } from '../../services/officer-types';
import { EXTERNAL_ID, normaliseId } from './admin';
import { OfficerScreen } from './officer-screen';
import { useScope } from './use-scope';
import { WardSelect } from './ward-select';

/**
 * Tổ công nghệ số cộng đồng of the officer's wards: set up a team, add a member by their Zalo id (they get the
 * community team role and a referral code), take one out. Every change is in the audit log.
 */
export function TeamsPage() {
  return (
    <OfficerScreen title="Tổ công nghệ số">
      <Teams />
    </OfficerScreen>
  );
}

function Teams() {
  const [teams, setTeams] = useState<Team[] | null>(null);
  const [error, setError] = useState('');

  const load = useCallback(() => {
    setError('');
    fetchTeams().then(
      (r) => setTeams(r.teams),
      (e: unknown) => setError(errorText(e, 'Chưa tải được danh sách tổ.')),
    );
  }, []);
  useEffect(load, [load]);

  return (
    <>
      <section aria-labelledby="new-team-heading">
        <h2 id="new-team-heading">Lập tổ mới</h2>
        <NewTeamForm onCreated={setTeams} />
      </section>
      <section aria-labelledby="teams-heading">
        <h2 id="teams-heading">Các tổ</h2>
        {error && <ErrorNote message={error} onRetry={load} />}
        {teams === null && !error && <p role="status">Đang tải…</p>}
        {teams?.length === 0 && <p>Chưa có tổ nào.</p>}
        <ul className="card-list teams">
          {teams?.map((t) => (
            <li key={t.id}>
              <TeamCard team={t} onChanged={setTeams} />
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

function NewTeamForm({ onCreated }: { onCreated: (teams: Team[]) => void }) {
  const { scope, error: scopeError, retry } = useScope();
  const [name, setName] = useState('');
  const [ward, setWard] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState('');
  const [done, setDone] = useState('');
  const onlyWard = scope?.wards.length === 1 ? scope.wards[0]! : '';

  async function submit() {
    setProblem('');
    setDone('');
    const trimmed = name.trim();
    const chosenWard = onlyWard || ward;
    if (trimmed.length < 2 || trimmed.length > 80) return setProblem('Tên tổ từ 2 đến 80 ký tự.');
    if (/[<>]/.test(trimmed)) return setProblem('Tên tổ không dùng dấu < hoặc >.');
    if (!chosenWard) return setProblem('Bác chọn phường, xã của tổ.');
    setBusy(true);
    try {
      const { teams } = await createTeam(trimmed, chosenWard);
      setDone(`Đã lập ${trimmed} (${chosenWard}).`);
      setName('');
      onCreated(teams);
    } catch (e) {
      setProblem(errorText(e, 'Chưa lập được tổ.'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Form onSubmit={submit}>
      <div className="field">
        <label htmlFor="team-name">Tên tổ</label>
        <input id="team-name" type="text" value={name} onChange={(e) => setName(e.target.value)} maxLength={80} autoComplete="off" aria-describedby="team-name-hint" />
        <p id="team-name-hint" className="hint">
          Ví dụ: Tổ công nghệ số khu 3.
        </p>
      </div>
      {scopeError && <ErrorNote message={scopeError} onRetry={retry} />}
      {onlyWard ? (
        <p>Phường, xã: {onlyWard}</p>
      ) : (
        <div className="field">
          <label htmlFor="team-ward">Phường, xã</label>
          <WardSelect id="team-ward" wards={scope?.wards} value={ward} onChange={setWard} />
        </div>
      )}
      <FormNotes problem={problem} done={done} />
      <SubmitRow text="Lập tổ" busy={busy} busyText="Đang lập…" />
    </Form>
  );
}

function TeamCard({ team, onChanged }: { team: Team; onChanged: (teams: Team[]) => void }) {
  const [id, setId] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState('');
  const [done, setDone] = useState('');
  const [removing, setRemoving] = useState<string | null>(null);
  const inputId = `member-id-${team.id}`;

  async function change(action: () => Promise<{ teams: Team[] }>, message: string) {
    setBusy(true);
    setProblem('');
    setDone('');
    try {
      const { teams } = await action();
      setDone(message);
      setRemoving(null);
      onChanged(teams);
      return true;
    } catch (e) {
      setProblem(errorText(e, 'Chưa lưu được thay đổi.'));
      return false;
    } finally {
      setBusy(false);
    }
  }

  async function add() {
    setProblem('');
    setDone('');
    const externalId = normaliseId(id);
    if (!EXTERNAL_ID.test(externalId)) return setProblem('Mã tài khoản chưa đúng: "zalo:" rồi đến mã người dùng Zalo, ví dụ zalo:1234567890.');
    if (await change(() => addTeamMember(team.id, externalId), `Đã thêm ${externalId} vào tổ.`)) setId('');
  }

  return (
    <article className="figure-card team" aria-labelledby={`team-${team.id}`}>
      <h3 id={`team-${team.id}`}>{team.name}</h3>
      <p className="card-meta">{team.ward}</p>
      {team.members.length === 0 ? (
        <p>Tổ chưa có thành viên.</p>
      ) : (
        <ul className="team-members">
          {team.members.map((m) => (
            <li key={m.externalId} className="team-member">
              <p>
                <strong>{m.name}</strong> <span className="card-meta">{m.externalId}</span>
              </p>
              <p>Đang giúp {m.mentees} người</p>
              {removing !== m.externalId ? (
                <button type="button" className="btn btn-secondary" disabled={busy} onClick={() => setRemoving(m.externalId)}>
                  Bỏ khỏi tổ
                </button>
              ) : (
                <ConfirmNote
                  label="Xác nhận bỏ khỏi tổ"
                  question={`Bỏ ${m.name} (${m.externalId}) khỏi ${team.name}? Người này mất quyền thành viên tổ, mã giới thiệu của họ thôi dùng được.`}
                  cancelText="Không"
                  confirmText="Bỏ khỏi tổ"
                  busyText="Đang bỏ…"
                  busy={busy}
                  onCancel={() => setRemoving(null)}
                  onConfirm={() => void change(() => removeTeamMember(team.id, m.externalId), `Đã bỏ ${m.externalId} khỏi tổ.`)}
                />
              )}
            </li>
          ))}
        </ul>
      )}
      <Form onSubmit={add}>
        <div className="field">
          <label htmlFor={inputId}>Thêm thành viên: mã tài khoản Zalo</label>
          <input
            id={inputId}
            type="text"
            value={id}
            onChange={(e) => setId(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            aria-describedby={`${inputId}-hint`}
          />
          <p id={`${inputId}-hint`} className="hint">
            Dạng zalo:1234567890. Người được thêm mở lại ứng dụng là thấy trang Đại sứ số.
          </p>
        </div>
        <FormNotes problem={problem} done={done} />
        <SubmitRow text="Thêm vào tổ" busy={busy} />
      </Form>
    </article>
  );
}
