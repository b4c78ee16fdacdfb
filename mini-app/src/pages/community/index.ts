/**
 * The community screens, loaded only when one of them is opened: the consent to a referral, Gia đình số, and the
 * team member's page with its help sessions.
 */
export { HelpSessionPage } from './help-session';
export { HouseholdPage } from './household';
export { MemberPage } from './member';
export { ReferralPage } from './referral';
