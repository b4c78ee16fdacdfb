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
import { readRouteParams } from './services/zalo';
import { ReferralGate } from './components/referral-gate';
import { useGo } from './components/use-go';
import { rememberReferralCode } from './stores/referral';
// Live tips arrive over the chat socket from start-up, whichever screen is open.
import './stores/tips';

const LESSON_ID = /^[a-z0-9-]{1,100}$/;

/**
 * ?lesson=ID opens that lesson; ?ref=CODE is remembered for the community team member who shared the link, until
 * the citizen has said on the consent screen whether to be linked to them (components/referral-gate.tsx).
 */
function DeepLinks() {
  const navigate = useGo();
  // Once per start: the router gives a new navigate function on every screen change, and following the link again
  // then would pull the citizen back to the lesson from whatever tab they tapped.
  const followed = useRef(false);
  useEffect(() => {
    if (followed.current) return;
    followed.current = true;
    void readRouteParams().then((params) => {
      if (params.ref) rememberReferralCode(params.ref);
      if (params.lesson && LESSON_ID.test(params.lesson)) navigate(`/lesson/${params.lesson}`);
    });
  }, [navigate]);
  return null;
}

/** A screen of the officers' console, from its own chunk (fetched once, when the first officer screen opens). */
type OfficerScreenName = 'OfficerHomePage' | 'ComposePage' | 'BroadcastsPage' | 'DashboardPage' | 'TeamsPage' | 'LeaderboardPage' | 'AdminPage';
const officerPage = (name: OfficerScreenName) => lazy(() => import('./pages/officer').then((m) => ({ default: m[name] as ComponentType })));
const OFFICER_PAGES = {
  OfficerHomePage: officerPage('OfficerHomePage'),
  ComposePage: officerPage('ComposePage'),
  BroadcastsPage: officerPage('BroadcastsPage'),
  DashboardPage: officerPage('DashboardPage'),
  TeamsPage: officerPage('TeamsPage'),
  LeaderboardPage: officerPage('LeaderboardPage'),
  AdminPage: officerPage('AdminPage'),
};

function Officer({ page }: { page: OfficerScreenName }) {
  return <Lazy Page={OFFICER_PAGES[page]} />;
}

/**
 * The community screens (the consent to a referral, Gia đình số, the team member's page), from a chunk of their
 * own: most citizens open none of them, and the first screen stays small.
 */
type CommunityScreenName = 'ReferralPage' | 'HouseholdPage' | 'MemberPage' | 'HelpSessionPage';
const communityPage = (name: CommunityScreenName) => lazy(() => import('./pages/community').then((m) => ({ default: m[name] as ComponentType })));
const COMMUNITY_PAGES = {
  ReferralPage: communityPage('ReferralPage'),
  HouseholdPage: communityPage('HouseholdPage'),
  MemberPage: communityPage('MemberPage'),
  HelpSessionPage: communityPage('HelpSessionPage'),
};

function Community({ page }: { page: CommunityScreenName }) {
  return <Lazy Page={COMMUNITY_PAGES[page]} />;
}

function Lazy({ Page }: { Page: ComponentType }) {
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
          <ReferralGate />
          <AnimationRoutes>
            <Route path="/" element={<ChatPage />} />
            <Route path="/lessons" element={<TopicsPage />} />
            <Route path="/lessons/:topic" element={<TopicPage />} />
            <Route path="/lesson/:id" element={<LessonPage />} />
            <Route path="/progress" element={<ProgressPage />} />
            <Route path="/placement" element={<PlacementPage />} />
            <Route path="/tips" element={<TipsPage />} />
            <Route path="/settings" element={<SettingsPage />} />
            <Route path="/referral" element={<Community page="ReferralPage" />} />
            <Route path="/household" element={<Community page="HouseholdPage" />} />
            <Route path="/community" element={<Community page="MemberPage" />} />
            <Route path="/community/help/:id" element={<Community page="HelpSessionPage" />} />
            <Route path="/officer" element={<Officer page="OfficerHomePage" />} />
            <Route path="/officer/compose" element={<Officer page="ComposePage" />} />
            <Route path="/officer/broadcasts" element={<Officer page="BroadcastsPage" />} />
            <Route path="/officer/dashboard" element={<Officer page="DashboardPage" />} />
            <Route path="/officer/teams" element={<Officer page="TeamsPage" />} />
            <Route path="/officer/leaderboard" element={<Officer page="LeaderboardPage" />} />
            <Route path="/admin" element={<Officer page="AdminPage" />} />
          </AnimationRoutes>
          <BottomNav />
        </ZMPRouter>
      </SnackbarProvider>
    </App>
  );
}
