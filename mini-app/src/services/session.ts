import { ApiError, connectAuth, OFFLINE_MESSAGE, signInForDevelopment, signInWithZalo } from './api';
import { readJson, storage, writeJson } from './storage';
import type { Profile, SessionGrant } from './types';
import { fetchZaloAccessToken, type Identity } from './zalo';

/**
 * The learner's session with our server: signed in with the Zalo access token inside Zalo, or with the development
 * identity in a browser. The token lives in memory and in app storage, so reopening the app within its lifetime
 * needs no sign-in round trip. When signing in fails (offline, Zalo not configured on the server) the app keeps
 * working with what is on the device, and tries again later.
 */
export const SESSION_KEY = 'bhvs.session';

/** A token this close to its end counts as expired: a request sent now could arrive after it. */
const EXPIRY_MARGIN_MS = 60_000;
const FIRST_RETRY_MS = 15_000;
const MAX_RETRY_MS = 5 * 60_000;

interface StoredSession {
  token: string;
  expiresAt: string;
  /** The identity the token was issued to: a different person on this device must not reuse it. */
  owner: string;
}

/** What listeners hear: a usable token (with the profile when it came from a sign-in), or no session. */
export type SessionEvent = { token: string; profile?: Profile } | undefined;

let current: StoredSession | undefined;
let identity: Identity | undefined;
let signingIn: Promise<SessionGrant> | undefined;
let usedStartupToken = false;
/** After "delete my data": no new session in this visit, or the erased learner would be created again. */
let ended = false;
let blockedUntil = 0;
let retryDelay = FIRST_RETRY_MS;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let lastProblem: ApiError | undefined;
const listeners = new Set<(event: SessionEvent) => void>();

const isValid = (s: StoredSession | undefined): s is StoredSession => !!s && Date.parse(s.expiresAt) - EXPIRY_MARGIN_MS > Date.now();

/** Picks up the session saved by an earlier visit, if it is still valid. Call once storage is open. */
export function restoreSession(): void {
  const saved = readJson<Partial<StoredSession> | null>(SESSION_KEY, null);
  const s = saved && typeof saved.token === 'string' && typeof saved.expiresAt === 'string' && typeof saved.owner === 'string' ? (saved as StoredSession) : undefined;
  current = isValid(s) ? s : undefined;
  if (!current && saved) storage.remove(SESSION_KEY);
}

/** Signs in for this identity unless a saved session of the same identity is still valid. */
export async function startSession(who: Identity): Promise<void> {
  identity = who;
  if (current && current.owner !== who.id) dropSession();
  if (current) {
    notify({ token: current.token });
    return;
  }
  await attemptSignIn();
}

/** The token, if signed in and not about to expire (no network). */
export function currentToken(): string | undefined {
  return isValid(current) ? current.token : undefined;
}

export function isSignedIn(): boolean {
  return currentToken() !== undefined;
}

/** A valid token, signing in again first when the last one expired (unless a recent attempt failed). */
export async function validToken(): Promise<string | undefined> {
  const token = currentToken();
  if (token || !identity || ended || Date.now() < blockedUntil) return token;
  return (await attemptSignIn())?.token;
}

/** A valid token now if at all possible: a sign-in is tried even while waiting to retry (the citizen asked). */
export async function ensureSession(): Promise<string | undefined> {
  const token = currentToken();
  if (token || !identity || ended || blockedUntil === Number.POSITIVE_INFINITY) return token;
  return (await attemptSignIn())?.token;
}

/** Why the last sign-in failed (cleared by a successful one). */
export function lastSignInProblem(): ApiError | undefined {
  return lastProblem;
}

/**
 * Whether this server has no accounts to sign in to (Zalo not configured, development sign-in off): then nothing
 * about this phone is on the server, and erasing needs only the phone.
 */
export function serverHasNoAccounts(): boolean {
  return lastProblem?.code === 'ZALO_NOT_CONFIGURED' || lastProblem?.code === 'DEV_LOGIN_DISABLED';
}

/** Why a call that needed the server failed, for the citizen: the server's (or the sign-in's) message, else offline. */
export function describeServerFailure(err: unknown): string {
  const why = err instanceof ApiError && err.code === 'NOT_SIGNED_IN' ? (lastProblem ?? err) : err;
  return why instanceof ApiError && why.status !== 0 && why.code !== 'NOT_SIGNED_IN' ? why.message : OFFLINE_MESSAGE;
}

/** The server refused `rejected` (expired or revoked): sign in again once, shared by everyone who saw the refusal. */
export async function renewSession(rejected: string): Promise<string | undefined> {
  if (current && current.token !== rejected && isValid(current)) return current.token;
  if (current?.token === rejected) dropSession();
  if (!identity || ended) return undefined;
  return (await attemptSignIn())?.token;
}

/** Forgets the session for the rest of this visit (after the learner's data was erased on the server). */
export function endSession(): void {
  ended = true;
  clearTimeout(retryTimer);
  dropSession();
  notify(undefined);
}

export function onSessionChange(listener: (event: SessionEvent) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** One sign-in at a time; failures are reported to listeners and retried later when retrying can help. */
async function attemptSignIn(): Promise<SessionGrant | undefined> {
  try {
    return await signIn();
  } catch (err) {
    lastProblem = err instanceof ApiError ? err : new ApiError(OFFLINE_MESSAGE, 0, true, 'OFFLINE');
    scheduleRetry(err);
    if (!current) notify(undefined);
    return undefined;
  }
}

function signIn(): Promise<SessionGrant> {
  signingIn ??= (async () => {
    const who = identity!;
    const grant = who.source === 'zalo' ? await signInAsZaloUser(who) : await signInForDevelopment(who.id);
    if (ended || identity !== who) throw new ApiError('Phiên đăng nhập đã kết thúc.', 401, false, 'ENDED');
    current = { token: grant.token, expiresAt: grant.expiresAt, owner: who.id };
    writeJson(SESSION_KEY, current);
    blockedUntil = 0;
    lastProblem = undefined;
    retryDelay = FIRST_RETRY_MS;
    clearTimeout(retryTimer);
    notify({ token: grant.token, profile: grant.profile });
    return grant;
  })().finally(() => {
    signingIn = undefined;
  });
  return signingIn;
}

/**
 * With the token read at start-up first; later sign-ins ask Zalo for a fresh one, as the old one may have expired.
 * A start-up token the server says Zalo refused is replaced by a fresh one once, straight away.
 */
async function signInAsZaloUser(who: Identity): Promise<SessionGrant> {
  const startup = !usedStartupToken && who.accessToken ? who.accessToken : '';
  usedStartupToken = true;
  const token = startup || (await fetchZaloAccessToken());
  if (!token) throw new ApiError('Zalo chưa cho biết tài khoản của bác.', 401, false, 'NO_ZALO_TOKEN');
  try {
    return await signInWithZalo(token);
  } catch (err) {
    if (!startup || !(err instanceof ApiError) || err.code !== 'ZALO_TOKEN_REJECTED') throw err;
    const fresh = await fetchZaloAccessToken();
    if (!fresh || fresh === token) throw err;
    return signInWithZalo(fresh);
  }
}

/**
 * Offline, a busy server or too many sign-ins from one address: try again later (sooner when the phone comes back
 * online). Zalo not configured, development sign-in disabled, a token Zalo refuses: not again in this visit.
 */
function scheduleRetry(err: unknown): void {
  const retryable = err instanceof ApiError ? err.retryable && err.code !== 'ZALO_NOT_CONFIGURED' : true;
  clearTimeout(retryTimer);
  if (!retryable || ended) {
    blockedUntil = Number.POSITIVE_INFINITY;
    return;
  }
  const delay = err instanceof ApiError && err.retryAfter ? err.retryAfter * 1000 : retryDelay;
  retryDelay = Math.min(MAX_RETRY_MS, retryDelay * 2);
  blockedUntil = Date.now() + delay;
  retryTimer = setTimeout(() => void attemptSignIn(), delay);
}

function dropSession(): void {
  current = undefined;
  storage.remove(SESSION_KEY);
}

function notify(event: SessionEvent): void {
  for (const l of listeners) l(event);
}

if (typeof window !== 'undefined') {
  window.addEventListener('online', () => {
    if (current || !identity || ended || blockedUntil === Number.POSITIVE_INFINITY) return;
    blockedUntil = 0;
    void attemptSignIn();
  });
}

connectAuth({ token: validToken, now: currentToken, renew: renewSession });
