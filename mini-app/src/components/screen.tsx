import type { ReactNode } from 'react';
import { Page } from 'zmp-ui';
import { identityStore } from '../stores/identity';
import { useStore } from '../stores/store';
import { LiveTipBanner } from './live-tip-banner';

/** One screen: a heading, the development-identity marker when not in Zalo, a tip that just arrived, then the content. */
export function Screen({ title, children, className }: { title: string; children: ReactNode; className?: string }) {
  const identity = useStore(identityStore);
  return (
    <Page className={className ? `screen ${className}` : 'screen'} resetScroll>
      <header className="screen-header">
        <h1>{title}</h1>
        {identity?.source === 'development' && (
          <p className="dev-banner" role="note">
            Chế độ thử nghiệm (không mở trong Zalo): dùng tài khoản thử của riêng máy này.
          </p>
        )}
      </header>
      <main className="screen-body">
        <LiveTipBanner />
        {children}
      </main>
    </Page>
  );
}
