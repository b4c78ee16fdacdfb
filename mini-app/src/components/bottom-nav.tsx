import { useLocation } from 'zmp-ui';
import { useStore } from '../stores/store';
import { tipsStore } from '../stores/tips';
import { Icon } from './icons';
import { useGo } from './use-go';

const ITEMS = [
  { path: '/', label: 'Hỏi đáp', icon: 'chat' },
  { path: '/lessons', label: 'Bài học', icon: 'book' },
  { path: '/progress', label: 'Tiến độ', icon: 'chart' },
  { path: '/tips', label: 'Tin báo', icon: 'bell' },
  { path: '/settings', label: 'Cài đặt', icon: 'gear' },
] as const;

function isActive(current: string, path: string): boolean {
  if (path === '/') return current === '/';
  return current === path || current.startsWith(`${path}/`) || (path === '/lessons' && current.startsWith('/lesson/'));
}

export function BottomNav() {
  const navigate = useGo();
  const { pathname } = useLocation();
  const unseen = useStore(tipsStore).unseen.length;
  return (
    <nav className="bottom-nav" aria-label="Chuyển màn hình">
      {ITEMS.map((item) => {
        const active = isActive(pathname, item.path);
        const badge = item.path === '/tips' && unseen > 0 ? unseen : 0;
        return (
          <button
            key={item.path}
            type="button"
            className={active ? 'nav-item active' : 'nav-item'}
            aria-current={active ? 'page' : undefined}
            // The count is described, not named: the tab is "Tin báo" whatever arrives.
            aria-describedby={badge ? 'tips-badge' : undefined}
            onClick={() => navigate(item.path)}
          >
            <span className="nav-icon">
              <Icon name={item.icon} />
              {badge > 0 && (
                <span className="nav-badge" aria-hidden="true">
                  {badge > 9 ? '9+' : badge}
                </span>
              )}
            </span>
            <span>{item.label}</span>
          </button>
        );
      })}
      {unseen > 0 && (
        <span id="tips-badge" className="sr-only">
          {unseen} tin mới
        </span>
      )}
    </nav>
  );
}
