/**
 * The officers' console and the admin screen, loaded only when one of their screens is opened: citizens, who are
 * nearly everyone, never download them.
 */
export { AdminPage } from './admin';
export { BroadcastsPage } from './broadcasts';
export { ComposePage } from './compose';
export { DashboardPage } from './dashboard';
export { LeaderboardPage } from './leaderboard';
export { OfficerHomePage } from './home';
export { TeamsPage } from './teams';
