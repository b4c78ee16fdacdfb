import { useEffect, useState } from 'react';
import { ConfirmNote } from '../components/confirm-note';
import { type EraseState, EraseOutcome } from '../components/erase-outcome';
import { ErrorNote } from '../components/error-note';
import { ListenButton } from '../components/listen-button';
import { HouseholdEntry, MemberEntry } from '../components/community-entries';
import { ReferralSetting } from '../components/referral-setting';
import { Screen } from '../components/screen';
import { ApiError, fetchAreas } from '../services/api';
import { SESSION_KEY } from '../services/session';
import { removeAllAppData } from '../services/storage';
import type { AreaList } from '../services/types';
import { followWardAccount, isInsideZalo, OA_ID } from '../services/zalo';
import { useGo } from '../components/use-go';
import { accountStore, canUseConsole, eraseAccount, isAdmin, isTeamMember, refreshProfile, saveArea, saveGoal } from '../stores/account';
import { catalogueStore, loadCatalogue } from '../stores/catalogue';
import { CHAT_KEY, clearChat, clearChatEverywhere, KEEP_DAYS } from '../stores/chat';
import { OUTBOX_KEY } from '../stores/outbox';
import { clearProgress, PROGRESS_KEY } from '../stores/progress';
import { clearReferralCode, REFERRAL_KEY } from '../stores/referral';
import { resetSettings, SETTINGS_KEY, settingsStore, SPEECH_RATES, TEXT_SCALES, updateSettings } from '../stores/settings';
import { useStore } from '../stores/store';
import { clearTips } from '../stores/tips';

export function SettingsPage() {
  const settings = useStore(settingsStore);
  const account = useStore(accountStore);
  const [areas, setAreas] = useState<AreaList | null>(null);
  const [areaError, setAreaError] = useState('');
  const [areaSyncProblem, setAreaSyncProblem] = useState('');
  const [goalProblem, setGoalProblem] = useState('');
  const [deletion, setDeletion] = useState<EraseState>({ state: 'idle' });
  const [chatClearing, setChatClearing] = useState<EraseState>({ state: 'idle' });
  const [followNote, setFollowNote] = useState('');
  const signedIn = account.status === 'signed-in';

  useEffect(() => {
    // A role granted since signing in (the officers' console) shows without signing in again.
    void refreshProfile();
  }, [signedIn]);

  useEffect(() => {
    fetchAreas().then(setAreas, (e: unknown) => setAreaError(e instanceof ApiError ? e.message : 'Chưa tải được danh sách phường, xã.'));
  }, []);

  function chooseWard(ward: string) {
    const area = ward && areas ? { province: areas.province, ward } : null;
    updateSettings({ area });
    setAreaSyncProblem('');
    void saveArea(area).then(setAreaSyncProblem);
  }

  function chooseGoal(goal: string) {
    setGoalProblem('');
    void saveGoal(goal || null).then(setGoalProblem);
  }

  /** The server's copy first: if it cannot be erased, the device keeps everything so that nothing is half done. */
  async function deleteEverywhere() {
    setDeletion({ state: 'working' });
    const outcome = await eraseAccount();
    if (!outcome.ok) return setDeletion({ state: 'failed', problem: outcome.problem });
    wipeDevice();
    setDeletion({ state: 'done', where: outcome.onServer ? 'everywhere' : 'device' });
  }

  function deleteOnDeviceOnly() {
    wipeDevice();
    setDeletion({ state: 'done', where: 'device-only' });
  }

  /** As for "Xóa dữ liệu của tôi": the server's copy first, and the phone's stays when that cannot be cleared. */
  async function clearQuestionsEverywhere() {
    setChatClearing({ state: 'working' });
    const outcome = await clearChatEverywhere();
    if (!outcome.ok) return setChatClearing({ state: 'failed', problem: outcome.problem });
    setChatClearing({ state: 'done', where: outcome.onServer ? 'everywhere' : 'device' });
  }

  function clearQuestionsOnDeviceOnly() {
    clearChat();
    setChatClearing({ state: 'done', where: 'device-only' });
  }

  function wipeDevice() {
    clearProgress();
    clearChat();
    clearTips();
    clearReferralCode();
    resetSettings();
    // Last: resetting the stores above writes their empty values, which must not stay behind either.
    removeAllAppData([SETTINGS_KEY, PROGRESS_KEY, CHAT_KEY, OUTBOX_KEY, SESSION_KEY, REFERRAL_KEY]);
  }

  return (
    <Screen title="Cài đặt">
      {signedIn && canUseConsole(account.profile) && <OfficerEntry admin={isAdmin(account.profile)} />}
      {signedIn && isTeamMember(account.profile) && <MemberEntry />}

      <fieldset className="setting">
        <legend>Cỡ chữ</legend>
        <div className="segmented">
          {TEXT_SCALES.map((s) => (
            <label key={s} className={settings.textScale === s ? 'seg selected' : 'seg'}>
              <input type="radio" name="text-size" value={s} checked={settings.textScale === s} onChange={() => updateSettings({ textScale: s })} />
              {Math.round(s * 100)}%
            </label>
          ))}
        </div>
        <p className="hint">Chữ mẫu: Bình dân học vụ số.</p>
      </fieldset>

      <fieldset className="setting">
        <legend>Độ tương phản</legend>
        <label className="toggle">
          <input type="checkbox" checked={settings.highContrast} onChange={(e) => updateSettings({ highContrast: e.target.checked })} />
          <span>Tương phản cao (chữ đậm, nền đen trắng rõ hơn)</span>
        </label>
      </fieldset>

      <fieldset className="setting">
        <legend>Tốc độ đọc</legend>
        <div className="segmented">
          {SPEECH_RATES.map((r) => (
            <label key={r.value} className={settings.speechRate === r.value ? 'seg selected' : 'seg'}>
              <input type="radio" name="speech-rate" value={r.value} checked={settings.speechRate === r.value} onChange={() => updateSettings({ speechRate: r.value })} />
              {r.label}
            </label>
          ))}
        </div>
        <ListenButton text="Xin chào bác. Đây là tốc độ đọc bác vừa chọn." label="Nghe thử" />
      </fieldset>

      <fieldset className="setting">
        <legend>Nơi bác ở</legend>
        {areaError && <ErrorNote message={areaError} />}
        {areas && (
          <>
            <p>Tỉnh, thành phố: {areas.province}</p>
            <label htmlFor="ward">Phường, xã</label>
            <select
              id="ward"
              value={settings.area?.ward ?? ''}
              onChange={(e) => chooseWard(e.target.value)}
            >
              <option value="">Chưa chọn</option>
              {areas.wards.map((w) => (
                <option key={w} value={w}>
                  {w}
                </option>
              ))}
            </select>
            {areaSyncProblem && (
              <p className="note note-info" role="status">
                Đã lưu trên máy này, nhưng chưa lưu được lên máy chủ: {areaSyncProblem}
              </p>
            )}
          </>
        )}
        {OA_ID && isInsideZalo() && (
          <>
            <button
              type="button"
              className="btn btn-secondary"
              onClick={() => void followWardAccount().then((ok) => setFollowNote(ok ? 'Bác đã quan tâm trang của phường.' : 'Chưa quan tâm được, bác thử lại sau.'))}
            >
              Quan tâm trang Zalo của phường
            </button>
            {followNote && <p role="status">{followNote}</p>}
          </>
        )}
      </fieldset>

      {signedIn && account.profile && <GoalSetting goal={account.profile.goal} onChoose={chooseGoal} problem={goalProblem} />}

      {signedIn && <HouseholdEntry />}
      {signedIn && <ReferralSetting />}

      <fieldset className="setting">
        <legend>Các câu bác đã hỏi</legend>
        {signedIn ? (
          <p>
            Các câu bác đã hỏi và câu trả lời được giữ {KEEP_DAYS} ngày trên máy này và trên máy chủ của trợ lý, để bác xem lại được trên máy
            khác. Số căn cước, số điện thoại, mã OTP, số tài khoản hay mật khẩu bác lỡ gõ vào đều được bỏ đi, không lưu lại.
          </p>
        ) : (
          <p>Các câu bác đã hỏi và câu trả lời được giữ {KEEP_DAYS} ngày trên máy này.</p>
        )}
        {(chatClearing.state === 'idle' || chatClearing.state === 'done') && (
          <button type="button" className="btn btn-danger" onClick={() => setChatClearing({ state: 'confirming' })}>
            Xóa các câu đã hỏi
          </button>
        )}
        {chatClearing.state === 'confirming' && (
          <ConfirmNote
            questionId="confirm-chat-text"
            question={`Bác chắc chắn muốn xóa các câu đã hỏi và câu trả lời${signedIn ? ', trên máy này và trên máy chủ của trợ lý' : ''}? Không lấy lại được.`}
            cancelText="Không xóa"
            confirmText="Xóa các câu hỏi"
            onCancel={() => setChatClearing({ state: 'idle' })}
            onConfirm={() => void clearQuestionsEverywhere()}
          />
        )}
        <EraseOutcome
          erase={chatClearing}
          stillKept="Máy chủ của trợ lý chưa nhận được yêu cầu xóa, nên các câu bác đã hỏi trên máy chủ vẫn còn. Trên máy này cũng chưa xóa."
          done={{
            everywhere: 'Đã xóa các câu bác đã hỏi trên máy này và trên máy chủ của trợ lý.',
            device: 'Đã xóa các câu bác đã hỏi trên máy này.',
            'device-only':
              'Đã xóa các câu bác đã hỏi trên máy này. Trên máy chủ của trợ lý vẫn còn: khi có mạng, bác mở lại ứng dụng và bấm "Xóa các câu đã hỏi" lần nữa.',
          }}
          onRetry={() => void clearQuestionsEverywhere()}
          onDeviceOnly={clearQuestionsOnDeviceOnly}
        />
      </fieldset>

      <fieldset className="setting">
        <legend>Dữ liệu của bác</legend>
        {signedIn ? (
          <p>
            Tiến độ học, các câu bác đã hỏi, bài bác muốn học và nơi bác ở được lưu trên máy chủ của trợ lý, để bác học tiếp được trên máy
            khác. Cài đặt chỉ lưu trên máy này.
          </p>
        ) : (
          <p>Tiến độ học, câu hỏi và cài đặt được lưu trên máy này.</p>
        )}
        {(deletion.state === 'idle' || deletion.state === 'done') && (
          <button type="button" className="btn btn-danger" onClick={() => setDeletion({ state: 'confirming' })}>
            Xóa dữ liệu của tôi
          </button>
        )}
        {deletion.state === 'confirming' && (
          <ConfirmNote
            questionId="confirm-text"
            question={`Bác chắc chắn muốn xóa hết tiến độ học, câu hỏi và cài đặt${signedIn ? ', trên máy này và trên máy chủ của trợ lý' : ''}? Không lấy lại được.`}
            cancelText="Không xóa"
            confirmText="Xóa hết"
            onCancel={() => setDeletion({ state: 'idle' })}
            onConfirm={() => void deleteEverywhere()}
          />
        )}
        <EraseOutcome
          erase={deletion}
          stillKept="Máy chủ của trợ lý chưa nhận được yêu cầu xóa, nên dữ liệu của bác trên máy chủ vẫn còn. Dữ liệu trên máy này cũng chưa xóa."
          done={{
            everywhere: 'Đã xóa dữ liệu của bác trên máy này và trên máy chủ của trợ lý.',
            device: 'Đã xóa dữ liệu của bác trên máy này.',
            'device-only':
              'Đã xóa dữ liệu của bác trên máy này. Dữ liệu trên máy chủ của trợ lý vẫn còn: khi có mạng, bác mở lại ứng dụng và bấm "Xóa dữ liệu của tôi" lần nữa.',
          }}
          onRetry={() => void deleteEverywhere()}
          onDeviceOnly={deleteOnDeviceOnly}
        />
      </fieldset>
    </Screen>
  );
}

/** Only for officers and admins (their role comes from the server): the way into their console. */
function OfficerEntry({ admin }: { admin: boolean }) {
  const navigate = useGo();
  return (
    <section className="setting officer-entry" aria-labelledby="officer-entry-heading">
      <h2 id="officer-entry-heading">Dành cho cán bộ phường, xã</h2>
      <div className="nav-row">
        <button type="button" className="btn btn-primary" onClick={() => navigate('/officer')}>
          Mở trang cán bộ
        </button>
        {admin && (
          <button type="button" className="btn btn-secondary" onClick={() => navigate('/admin')}>
            Quản lý quyền
          </button>
        )}
      </div>
    </section>
  );
}

/** "Bác muốn học gì trước": the server puts lessons of this topic first in its suggestions. */
function GoalSetting({ goal, onChoose, problem }: { goal: string | null; onChoose: (goal: string) => void; problem: string }) {
  const catalogue = useStore(catalogueStore);
  useEffect(() => void loadCatalogue(), []);
  if (catalogue.topics.length === 0) return null;
  return (
    <fieldset className="setting">
      <legend>Bác muốn học gì trước</legend>
      <label htmlFor="goal">Chủ đề</label>
      <select id="goal" value={goal ?? ''} onChange={(e) => onChoose(e.target.value)}>
        <option value="">Chưa chọn</option>
        {catalogue.topics.map((t) => (
          <option key={t.id} value={t.id}>
            {t.label}
          </option>
        ))}
      </select>
      {problem && (
        <p className="note note-info" role="status">
          Chưa lưu được: {problem}
        </p>
      )}
    </fieldset>
  );
}
