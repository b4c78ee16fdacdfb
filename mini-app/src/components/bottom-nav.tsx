import { useLocation } from 'zmp-ui';
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
  return (
    <nav className="bottom-nav" aria-label="Chuyển màn hình">
      {ITEMS.map((item) => {
        const active = isActive(pathname, item.path);
        return (
          <button
            key={item.path}
            type="button"
            className={active ? 'nav-item active' : 'nav-item'}
            aria-current={active ? 'page' : undefined}
            onClick={() => navigate(item.path)}
          >
            <Icon name={item.icon} />
            <span>{item.label}</span>
          </button>
        );
      })}
    </nav>
  );
}
