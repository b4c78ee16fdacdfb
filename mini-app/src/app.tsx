import { lazy, Suspense, useEffect, useRef, type ComponentType } from 'react';
import { AnimationRoutes, App, Route, SnackbarProvider, ZMPRouter } from 'zmp-ui';
import { BottomNav } from './components/bottom-nav';
import { ChatPage } from './pages/chat';
import { LessonPage } from './pages/lesson';
import { PlacementPage } from './pages/placement';
import { ProgressPage } from './pages/progress';
import { SettingsPage } from './pages/settings';
import { TipsPage } from './pages/tips';
import { TopicPage } from './pages/topic';
import { TopicsPage } from './pages/topics';
import { storage } from './services/storage';
import { readRouteParams } from './services/zalo';
import { useGo } from './components/use-go';
// Live tips arrive over the chat socket from start-up, whichever screen is open.
import './stores/tips';

export const REFERRAL_KEY = 'bhvs.ref';
const LESSON_ID = /^[a-z0-9-]{1,100}$/;
const REF_CODE = /^[A-Za-z0-9_-]{4,64}$/;

/** ?lesson=ID opens that lesson; ?ref=CODE is remembered for the community team that shared the link. */
function DeepLinks() {
  const navigate = useGo();
  // Once per start: the router gives a new navigate function on every screen change, and following the link again
  // then would pull the citizen back to the lesson from whatever tab they tapped.
  const followed = useRef(false);
  useEffect(() => {
    if (followed.current) return;
    followed.current = true;
    void readRouteParams().then((params) => {
      if (params.ref && REF_CODE.test(params.ref)) storage.set(REFERRAL_KEY, params.ref);
      if (params.lesson && LESSON_ID.test(params.lesson)) navigate(`/lesson/${params.lesson}`);
    });
  }, [navigate]);
  return null;
}

/** A screen of the officers' console, from its own chunk (fetched once, when the first officer screen opens). */
type OfficerScreenName = 'OfficerHomePage' | 'ComposePage' | 'BroadcastsPage' | 'DashboardPage' | 'AdminPage';
const officerPage = (name: OfficerScreenName) => lazy(() => import('./pages/officer').then((m) => ({ default: m[name] as ComponentType })));
const OFFICER_PAGES = {
  OfficerHomePage: officerPage('OfficerHomePage'),
  ComposePage: officerPage('ComposePage'),
  BroadcastsPage: officerPage('BroadcastsPage'),
  DashboardPage: officerPage('DashboardPage'),
  AdminPage: officerPage('AdminPage'),
};

function Officer({ page }: { page: OfficerScreenName }) {
  const Page = OFFICER_PAGES[page];
  return (
    <Suspense fallback={<p role="status">Đang tải…</p>}>
      <Page />
    </Suspense>
  );
}

/**
 * memoryRouter: ZMPRouter's default BrowserRouter uses basename /zapps/<APP_ID> in production, which matches no
 * route in a normal browser; a memory router works the same inside Zalo and at http://localhost:3000.
 */
export function MiniApp() {
  return (
    <App>
      <SnackbarProvider>
        <ZMPRouter memoryRouter>
          <DeepLinks />
          <AnimationRoutes>
            <Route path="/" element={<ChatPage />} />
            <Route path="/lessons" element={<TopicsPage />} />
            <Route path="/lessons/:topic" element={<TopicPage />} />
            <Route path="/lesson/:id" element={<LessonPage />} />
            <Route path="/progress" element={<ProgressPage />} />
            <Route path="/placement" element={<PlacementPage />} />
            <Route path="/tips" element={<TipsPage />} />
            <Route path="/settings" element={<SettingsPage />} />
            <Route path="/officer" element={<Officer page="OfficerHomePage" />} />
            <Route path="/officer/compose" element={<Officer page="ComposePage" />} />
            <Route path="/officer/broadcasts" element={<Officer page="BroadcastsPage" />} />
            <Route path="/officer/dashboard" element={<Officer page="DashboardPage" />} />
            <Route path="/admin" element={<Officer page="AdminPage" />} />
          </AnimationRoutes>
          <BottomNav />
        </ZMPRouter>
      </SnackbarProvider>
    </App>
  );
}
