import { useEffect, useRef } from 'react';
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
          </AnimationRoutes>
          <BottomNav />
        </ZMPRouter>
      </SnackbarProvider>
    </App>
  );
}
