import { useEffect, useState } from 'react';
import { ErrorNote } from '../components/error-note';
import { ListenButton } from '../components/listen-button';
import { Screen } from '../components/screen';
import { ApiError, fetchAreas } from '../services/api';
import { removeAllAppData } from '../services/storage';
import type { AreaList } from '../services/types';
import { followWardAccount, isInsideZalo, OA_ID } from '../services/zalo';
import { CHAT_KEY, clearChat } from '../stores/chat';
import { clearProgress, PROGRESS_KEY } from '../stores/progress';
import { resetSettings, SETTINGS_KEY, settingsStore, SPEECH_RATES, TEXT_SCALES, updateSettings } from '../stores/settings';
import { useStore } from '../stores/store';

export function SettingsPage() {
  const settings = useStore(settingsStore);
  const [areas, setAreas] = useState<AreaList | null>(null);
  const [areaError, setAreaError] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [deleted, setDeleted] = useState(false);
  const [followNote, setFollowNote] = useState('');

  useEffect(() => {
    fetchAreas().then(setAreas, (e: unknown) => setAreaError(e instanceof ApiError ? e.message : 'Chưa tải được danh sách phường, xã.'));
  }, []);

  function deleteEverything() {
    clearProgress();
    clearChat();
    resetSettings();
    // Last: resetting the stores above writes their empty values, which must not stay behind either.
    removeAllAppData([SETTINGS_KEY, PROGRESS_KEY, CHAT_KEY]);
    setConfirming(false);
    setDeleted(true);
  }

  return (
    <Screen title="Cài đặt">
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
              onChange={(e) => updateSettings({ area: e.target.value ? { province: areas.province, ward: e.target.value } : null })}
            >
              <option value="">Chưa chọn</option>
              {areas.wards.map((w) => (
                <option key={w} value={w}>
                  {w}
                </option>
              ))}
            </select>
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

      <fieldset className="setting">
        <legend>Dữ liệu của bác</legend>
        <p>Tiến độ học, câu hỏi và cài đặt được lưu trên máy này.</p>
        {!confirming && (
          <button type="button" className="btn btn-danger" onClick={() => setConfirming(true)}>
            Xóa dữ liệu của tôi
          </button>
        )}
        {confirming && (
          <div className="note note-error" role="alertdialog" aria-labelledby="confirm-text">
            <p id="confirm-text">Bác chắc chắn muốn xóa hết tiến độ học, câu hỏi và cài đặt? Không lấy lại được.</p>
            <div className="nav-row">
              <button type="button" className="btn btn-secondary" onClick={() => setConfirming(false)} autoFocus>
                Không xóa
              </button>
              <button type="button" className="btn btn-danger" onClick={deleteEverything}>
                Xóa hết
              </button>
            </div>
          </div>
        )}
        {deleted && (
          <p className="note note-ok" role="status">
            Đã xóa dữ liệu của bác trên máy này.
          </p>
        )}
      </fieldset>
    </Screen>
  );
}
