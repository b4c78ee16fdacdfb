import { storage } from '../services/storage';
import { createStore } from './store';

/**
 * A referral code waiting for the citizen's answer: from a community member's link (`?ref=CODE`, kept across a
 * restart until the citizen has chosen) or typed from a member's card in Settings. `handled`: already offered in
 * this visit, so the consent screen is not pushed a second time.
 */
export interface PendingReferral {
  code: string | null;
  handled: boolean;
}

export const REFERRAL_KEY = 'bhvs.ref';
const CODE = /^[A-Za-z0-9_-]{4,64}$/;

export const referralStore = createStore<PendingReferral>({ code: null, handled: false });

/** Where the citizen was when the consent screen was shown: they go back there after choosing. */
let returnPath = '/';

export function hydrateReferral(): void {
  const code = storage.get(REFERRAL_KEY);
  referralStore.set({ code: code && CODE.test(code) ? code : null, handled: false });
}

/** Remembers a code until the citizen answers; false for something that cannot be a code. */
export function rememberReferralCode(code: string, opts: { handled?: boolean } = {}): boolean {
  if (!CODE.test(code)) return false;
  storage.set(REFERRAL_KEY, code);
  referralStore.set({ code, handled: opts.handled ?? false });
  return true;
}

/** After any answer (or a code the server does not know): not asked again. */
export function clearReferralCode(): void {
  storage.remove(REFERRAL_KEY);
  referralStore.set({ code: null, handled: false });
}

export function markReferralHandled(): void {
  referralStore.set((s) => ({ ...s, handled: true }));
}

export function setReferralReturnPath(path: string): void {
  returnPath = path === '/referral' ? '/' : path;
}

export function referralReturnPath(): string {
  return returnPath;
}
