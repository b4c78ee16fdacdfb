import { useGo } from '../../components/use-go';
import { accountStore, isAdmin } from '../../stores/account';
import { useStore } from '../../stores/store';
import { OfficerScreen } from './officer-screen';

/** The console's first screen: one big button per task, each on a screen of its own. */
export function OfficerHomePage() {
  return (
    <OfficerScreen title="Trang cán bộ phường, xã" back={false}>
      <OfficerMenu />
    </OfficerScreen>
  );
}

const TASKS = [
  { path: '/officer/compose', title: 'Soạn tin gửi người dân', text: 'Tin báo hoặc cảnh báo lừa đảo, xem trước rồi gửi ngay hay hẹn giờ.' },
  { path: '/officer/broadcasts', title: 'Tin đã gửi', text: 'Bao nhiêu người đã nhận, đã mở; hủy tin đã hẹn giờ.' },
  { path: '/officer/dashboard', title: 'Số liệu và báo cáo', text: 'Tỷ lệ người dân đạt kỹ năng số cơ bản so với chỉ tiêu, tải báo cáo quý.' },
  { path: '/officer/teams', title: 'Tổ công nghệ số', text: 'Lập tổ công nghệ số cộng đồng, thêm hoặc bỏ thành viên.' },
  { path: '/officer/leaderboard', title: 'Bảng xếp hạng', text: 'Tổ công nghệ số tiêu biểu, Gia đình số tiêu biểu trong năm; tải bảng CSV.' },
] as const;

function OfficerMenu() {
  const navigate = useGo();
  const { profile } = useStore(accountStore);
  const tasks = isAdmin(profile) ? [...TASKS, { path: '/admin', title: 'Quản lý quyền', text: 'Cấp, thu hồi quyền cán bộ và xem nhật ký thao tác.' }] : TASKS;
  return (
    <>
      <ul className="card-list">
        {tasks.map((t) => (
          <li key={t.path}>
            <button type="button" className="card-button" onClick={() => navigate(t.path)}>
              <span className="card-title">{t.title}</span>
              <span>{t.text}</span>
            </button>
          </li>
        ))}
      </ul>
      <p className="hint">Mọi thao tác gửi tin, hủy tin, lập tổ, thêm bớt thành viên và tải báo cáo đều được ghi lại trong nhật ký.</p>
      <button type="button" className="btn btn-secondary back" onClick={() => navigate('/settings')}>
        Về Cài đặt
      </button>
    </>
  );
}
