import { ApiError, changeProfile, eraseProfile, fetchProfile, submitPlacement } from '../services/api';
import { describeServerFailure, endSession, ensureSession, onSessionChange, serverHasNoAccounts, startSession, type SessionEvent } from '../services/session';
import type { Area, Profile, Recommendations } from '../services/types';
import type { Identity } from '../services/zalo';
import { syncProgress } from './progress';
import { settingsStore, updateSettings } from './settings';
import { createStore } from './store';

/**
 * The learner's account on our server, as the screens need it. 'signed-out' is not an error the citizen must fix:
 * the app then works with what is on the device, as it did before accounts existed.
 */
export interface AccountState {
  status: 'starting' | 'signed-in' | 'signed-out' | 'erased';
  profile: Profile | null;
  /** The placement offer was put aside in this visit (even if the server could not be told). */
  placementDismissed: boolean;
}

export const accountStore = createStore<AccountState>({ status: 'starting', profile: null, placementDismissed: false });

export function startAccount(identity: Identity): Promise<void> {
  return startSession(identity);
}

/**
 * Whether the officers' console (officer or admin) or the admin screen is offered. Only which buttons show: the
 * server checks the role and the wards of every request itself.
 */
export function canUseConsole(profile: Profile | null): boolean {
  return (profile?.roles ?? []).some((r) => r.role === 'officer' || r.role === 'admin');
}

/** A member of a Tổ công nghệ số cộng đồng (Đại sứ số): their page with their code and the neighbours they help. */
export function isTeamMember(profile: Profile | null): boolean {
  return (profile?.roles ?? []).some((r) => r.role === 'team_member');
}

export function isAdmin(profile: Profile | null): boolean {
  return (profile?.roles ?? []).some((r) => r.role === 'admin');
}

/** Counts profile changes sent from this device: a profile read before one of them is older than what we hold. */
let profileWrites = 0;

/** Reads the profile again (a role granted since signing in shows without signing in again). */
export async function refreshProfile(): Promise<void> {
  if (accountStore.get().status !== 'signed-in') return;
  const writes = profileWrites;
  try {
    const profile = await fetchProfile();
    if (writes === profileWrites) accountStore.set((s) => ({ ...s, profile }));
  } catch {
    // The profile from signing in stays; nothing the learner must do.
  }
}

export function isPlacementOffered(a: AccountState): boolean {
  return a.status === 'signed-in' && a.profile !== null && !a.profile.placementDone && !a.placementDismissed;
}

onSessionChange(followSession);

function followSession(event: SessionEvent): void {
  const was = accountStore.get().status;
  if (!event) {
    accountStore.set((s) => ({ ...s, status: was === 'erased' ? 'erased' : 'signed-out', profile: null }));
    return;
  }
  accountStore.set((s) => ({ ...s, status: 'signed-in', profile: event.profile ?? s.profile }));
  // Renewing an expired session changes nothing else; coming (back) online sends and fetches progress.
  if (was !== 'signed-in') void settleAccount(event.profile);
}

async function settleAccount(profile: Profile | undefined): Promise<void> {
  const p = profile ?? (await fetchProfile().catch(() => undefined));
  if (p) {
    accountStore.set((s) => ({ ...s, profile: p }));
    await reconcileArea(p);
  }
  await syncProgress();
}

/**
 * The ward chosen on this device is the learner's latest choice (it may have been made offline), so it is sent;
 * a new device without one takes the account's.
 */
async function reconcileArea(profile: Profile): Promise<void> {
  const local = settingsStore.get().area;
  if (!local) {
    if (profile.area) updateSettings({ area: profile.area });
    return;
  }
  if (profile.area?.ward === local.ward && profile.area.province === local.province) return;
  await saveArea(local);
}

/** Sends the ward to the server when signed in. Resolves with a Vietnamese problem, or '' when saved or not needed. */
export async function saveArea(area: Area | null): Promise<string> {
  return saveProfile({ area });
}

export async function saveGoal(goal: string | null): Promise<string> {
  return saveProfile({ goal });
}

async function saveProfile(change: { area?: Area | null; goal?: string | null }): Promise<string> {
  if (accountStore.get().status !== 'signed-in') return '';
  profileWrites++;
  try {
    const profile = await changeProfile(change);
    accountStore.set((s) => ({ ...s, profile }));
    return '';
  } catch (err) {
    return err instanceof ApiError ? err.message : 'Chưa lưu được lên máy chủ. Bác thử lại sau nhé.';
  }
}

/** Sends the placement answers (skipped questions left out); the check is then not offered again. */
export async function finishPlacement(answers: Record<string, number>): Promise<Recommendations> {
  const recs = await submitPlacement(answers);
  accountStore.set((s) => ({ ...s, profile: s.profile && { ...s.profile, placementDone: true } }));
  // The goal question may have set the learner's goal: Settings shows it.
  fetchProfile().then(
    (profile) => accountStore.set((s) => ({ ...s, profile })),
    () => {},
  );
  return recs;
}

/** "Bỏ qua": the check is put aside now; the server is told so that it is not offered again on any device. */
export async function skipPlacement(): Promise<void> {
  accountStore.set((s) => ({ ...s, placementDismissed: true }));
  try {
    await finishPlacement({});
  } catch {
    // Not told this time: it will be offered once more on the next start, which is harmless.
  }
}

export type EraseOutcome = { ok: true; onServer: boolean } | { ok: false; problem: string };

/**
 * "Xóa dữ liệu của tôi", the server part: everything the server holds about the learner is erased first, and the
 * session ends so that the learner is not created again in this visit. onServer is false when the server never
 * accepted this identity (Zalo sign-in not configured, development sign-in disabled), so it holds nothing of it.
 */
export async function eraseAccount(): Promise<EraseOutcome> {
  if (accountStore.get().status === 'erased') return { ok: true, onServer: true };
  const token = await ensureSession();
  if (!token && serverHasNoAccounts()) return { ok: true, onServer: false };
  try {
    await eraseProfile();
  } catch (err) {
    return { ok: false, problem: describeServerFailure(err) };
  }
  accountStore.set((s) => ({ ...s, status: 'erased', profile: null }));
  endSession();
  return { ok: true, onServer: true };
}
