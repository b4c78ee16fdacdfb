import { useLocation } from 'zmp-ui';
import { dismissBanner, tipsStore } from '../stores/tips';
import { useStore } from '../stores/store';
import { TipCard } from './tip-card';
import { useGo } from './use-go';

/**
 * A tip that just arrived live, at the top of whatever screen is open: a scam running now should not wait for the
 * citizen to open Tips. Part of the page (not floating over it), so at large text nothing is hidden behind it.
 * Not on the Tips screen itself, where the feed shows it.
 */
export function LiveTipBanner() {
  const { banner } = useStore(tipsStore);
  const { pathname } = useLocation();
  const navigate = useGo();
  if (!banner || pathname === '/tips') return null;
  const alert = banner.priority === 'scam_alert';
  return (
    <section className={alert ? 'live-tip live-tip-alert' : 'live-tip'} role={alert ? 'alert' : 'status'} aria-label="Tin mới từ phường, xã">
      <p className="live-tip-label">{alert ? 'Tin mới: cảnh báo lừa đảo' : 'Tin mới từ phường, xã'}</p>
      <TipCard tip={banner} />
      <div className="nav-row">
        <button type="button" className="btn btn-primary" onClick={() => navigate('/tips')}>
          Xem trong Tin báo
        </button>
        <button type="button" className="btn btn-secondary" onClick={dismissBanner}>
          Đóng
        </button>
      </div>
    </section>
  );
}
