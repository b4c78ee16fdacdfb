import type { OfficerScope } from '../../services/officer-types';
import { toVnInput } from '../../services/vn-time';
import { catalogueStore } from '../../stores/catalogue';
import { useStore } from '../../stores/store';
import { BODY_MAX, charCount, editForm, EXPIRY_DAYS, TITLE_MAX, type ComposeForm } from './compose-store';

/** The compose form's fields. Every change goes to the compose store (and sets any earlier preview aside). */
export function ComposeFields({ form, scope }: { form: ComposeForm; scope: OfficerScope }) {
  const { topics, lessons } = useStore(catalogueStore);
  const allChosen = scope.wards.every((w) => form.wards.includes(w));
  const toggleWard = (ward: string, on: boolean) => editForm({ wards: on ? [...form.wards, ward] : form.wards.filter((w) => w !== ward) });
  const now = Date.now();

  const lessonOptions = topics.map((t) => (
    <optgroup key={t.id} label={t.label}>
      {lessons
        .filter((l) => l.topic === t.id)
        .map((l) => (
          <option key={l.id} value={l.id}>
            {l.title}
          </option>
        ))}
    </optgroup>
  ));

  return (
    <>
      <div className="field">
        <label htmlFor="tip-title">Tiêu đề</label>
        <input id="tip-title" type="text" value={form.title} onChange={(e) => editForm({ title: e.target.value })} aria-describedby="tip-title-count" autoComplete="off" />
        <Counter id="tip-title-count" text={form.title} max={TITLE_MAX} min={3} />
      </div>

      <div className="field">
        <label htmlFor="tip-body">Nội dung</label>
        <textarea id="tip-body" rows={6} value={form.body} onChange={(e) => editForm({ body: e.target.value })} aria-describedby="tip-body-count tip-body-hint" />
        <Counter id="tip-body-count" text={form.body} max={BODY_MAX} min={10} />
        <p id="tip-body-hint" className="hint">
          Chỉ chữ thường. Đường link chỉ được dẫn tới trang chính thức (.gov.vn, chinhphu.vn). Không bao giờ hỏi mã OTP, mật khẩu hay số giấy tờ.
        </p>
      </div>

      <fieldset className="setting">
        <legend>Loại tin</legend>
        <div className="segmented">
          {(
            [
              ['normal', 'Tin thường'],
              ['scam_alert', 'Cảnh báo lừa đảo'],
            ] as const
          ).map(([value, label]) => (
            <label key={value} className={form.priority === value ? 'seg selected' : 'seg'}>
              <input type="radio" name="tip-priority" value={value} checked={form.priority === value} onChange={() => editForm({ priority: value })} />
              {label}
            </label>
          ))}
        </div>
        <p className="hint">Cảnh báo lừa đảo hiện đầu bảng tin, viền đỏ, và được báo vào điện thoại cả ban đêm.</p>
      </fieldset>

      <fieldset className="setting">
        <legend>Gửi tới phường, xã</legend>
        {scope.wards.length > 1 && (
          <button type="button" className="btn btn-secondary" onClick={() => editForm({ wards: allChosen ? [] : [...scope.wards] })}>
            {allChosen ? 'Bỏ chọn tất cả' : 'Chọn tất cả'}
          </button>
        )}
        {scope.wards.map((w) => (
          <label key={w} className="toggle">
            <input type="checkbox" checked={form.wards.includes(w)} onChange={(e) => toggleWard(w, e.target.checked)} />
            <span>{w}</span>
          </label>
        ))}
      </fieldset>

      <fieldset className="setting">
        <legend>Ai nhận tin</legend>
        {(
          [
            ['all', 'Mọi người ở phường, xã đã chọn'],
            ['topic', 'Chỉ người quan tâm một chủ đề'],
            ['unfinished', 'Chỉ người chưa học xong một bài'],
          ] as const
        ).map(([value, label]) => (
          <label key={value} className="toggle">
            <input type="radio" name="tip-narrowing" value={value} checked={form.narrowing === value} onChange={() => editForm({ narrowing: value })} />
            <span>{label}</span>
          </label>
        ))}
        {form.narrowing === 'topic' && (
          <>
            <label htmlFor="tip-topic">Chủ đề</label>
            <select id="tip-topic" value={form.topic} onChange={(e) => editForm({ topic: e.target.value })}>
              <option value="">Chưa chọn</option>
              {topics.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.label}
                </option>
              ))}
            </select>
          </>
        )}
        {form.narrowing === 'unfinished' && (
          <>
            <label htmlFor="tip-unfinished">Bài chưa học xong</label>
            <select id="tip-unfinished" value={form.unfinishedLesson} onChange={(e) => editForm({ unfinishedLesson: e.target.value })}>
              <option value="">Chưa chọn</option>
              {lessonOptions}
            </select>
          </>
        )}
        {form.narrowing !== 'all' && <p className="hint">Tin gửi cho một nhóm người chỉ hiện với họ, không hiện trong bảng tin chung của phường, xã.</p>}
      </fieldset>

      <div className="field">
        <label htmlFor="tip-lesson">Bài học kèm theo (không bắt buộc)</label>
        <select id="tip-lesson" value={form.lessonId} onChange={(e) => editForm({ lessonId: e.target.value })}>
          <option value="">Không kèm bài học</option>
          {lessonOptions}
        </select>
      </div>

      <fieldset className="setting">
        <legend>Thời điểm gửi</legend>
        {(
          [
            ['now', 'Gửi ngay'],
            ['later', 'Hẹn giờ gửi'],
          ] as const
        ).map(([value, label]) => (
          <label key={value} className="toggle">
            <input
              type="radio"
              name="tip-when"
              value={value}
              checked={form.when === value}
              // A time to start from: in an hour, rounded to the minute.
              onChange={() => editForm({ when: value, ...(value === 'later' && !form.sendAt ? { sendAt: toVnInput(now + 3_600_000) } : {}) })}
            />
            <span>{label}</span>
          </label>
        ))}
        {form.when === 'later' && (
          <>
            <label htmlFor="tip-send-at">Ngày giờ gửi (giờ Việt Nam)</label>
            <input
              id="tip-send-at"
              type="datetime-local"
              value={form.sendAt}
              min={toVnInput(now)}
              max={toVnInput(now + 30 * 86_400_000)}
              onChange={(e) => editForm({ sendAt: e.target.value })}
            />
          </>
        )}
        <p className="hint">Tin thường không báo vào điện thoại từ 22:00 đến 08:00 mà đợi đến 08:00 sáng. Cảnh báo lừa đảo được báo ngay cả ban đêm.</p>
      </fieldset>

      <div className="field">
        <label htmlFor="tip-expiry">Hiện trong mục Tin báo trong</label>
        <select id="tip-expiry" value={form.expiryDays} onChange={(e) => editForm({ expiryDays: Number(e.target.value) })}>
          {EXPIRY_DAYS.map((d) => (
            <option key={d} value={d}>
              {d} ngày
            </option>
          ))}
        </select>
      </div>
    </>
  );
}

/** "12/80 ký tự", and plainly how many too many or too few: the server counts the same way. */
function Counter({ id, text, max, min }: { id: string; text: string; max: number; min: number }) {
  const n = charCount(text);
  const over = n > max;
  return (
    <p id={id} className={over ? 'counter counter-over' : 'counter'}>
      {n}/{max} ký tự
      {over ? ` (thừa ${n - max} ký tự)` : n > 0 && n < min ? ` (cần ít nhất ${min} ký tự)` : ''}
    </p>
  );
}
