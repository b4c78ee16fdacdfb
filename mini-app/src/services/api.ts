import type {
  Area,
  AreaList,
  ChatHistoryEntry,
  ChatReply,
  Lesson,
  LessonSummary,
  PlacementQuestion,
  Profile,
  QuizResult,
  Recommendations,
  ServerLessonProgress,
  SessionGrant,
  StepsResult,
  Tip,
  TopicInfo,
} from './types';

/**
 * HTTP client for the bot server. Same origin by default; inside Zalo the app is served from Zalo's CDN, so the
 * deployment sets VITE_API_BASE at build time.
 */
export const API_BASE: string = (import.meta.env.VITE_API_BASE ?? '').replace(/\/$/, '');

/** An error the citizen can read: short Vietnamese with what to do next, and the server's code for the app. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly retryable: boolean,
    readonly code = '',
    /** Seconds the server asked us to wait (Retry-After), when it said. */
    readonly retryAfter?: number,
    /** Each problem of a refused officer's draft (BAD_DRAFT), in Vietnamese. */
    readonly problems: string[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** What to tell the citizen about a failed request: an ApiError's own message, else `fallback`. */
export const errorText = (e: unknown, fallback: string): string => (e instanceof ApiError ? e.message : fallback);

export const OFFLINE_MESSAGE = 'Chưa kết nối được. Bác kiểm tra Wi-Fi hoặc 4G rồi bấm "Thử lại".';
const BUSY_MESSAGE = 'Máy chủ đang bận. Bác chờ một lát rồi bấm "Thử lại", hoặc nhờ Tổ công nghệ số cộng đồng giúp.';
export const NOT_SIGNED_IN_MESSAGE = 'Chưa kết nối được với máy chủ của trợ lý. Bác kiểm tra mạng rồi thử lại nhé.';

/**
 * How requests get the learner's session, supplied by services/session.ts (which itself calls this module to sign
 * in, so it plugs in here rather than being imported).
 */
export interface AuthHooks {
  /** A session token that has not expired yet (signing in again first when the last one has), if any. */
  token(): Promise<string | undefined>;
  /** The token if signed in right now, without waiting for any sign-in. */
  now(): string | undefined;
  /** The server refused `rejected`: sign in again (once, shared by every caller) and give the new token. */
  renew(rejected: string): Promise<string | undefined>;
}

let auth: AuthHooks | undefined;

export function connectAuth(hooks: AuthHooks): void {
  auth = hooks;
}

/**
 * 'none': public data, no header. 'optional': the header when signed in, anonymous otherwise (chat: the citizen gets
 * an answer either way). 'required': the learner's own data; refused locally when there is no session.
 */
export type AuthMode = 'none' | 'optional' | 'required';

type RequestOptions = RequestInit & { timeoutMs?: number; auth?: AuthMode };

/** A file the server sent (the officers' CSV report): its bytes as sent, its text, type and suggested name. */
export interface Download {
  /** Exactly as sent: the CSV's byte order mark, which Excel needs to read Vietnamese, is kept. */
  bytes: ArrayBuffer;
  /** For showing on screen (without the byte order mark). */
  text: string;
  type: string;
  filename: string;
}

export function requestJson<T>(path: string, init: RequestOptions = {}): Promise<T> {
  return withSession(init, (token) => sendOnce<T>(path, init, token, readJson));
}

/**
 * A file behind the session: a link cannot carry the Authorization header, so the app fetches it and hands it to
 * the browser itself (services/download.ts). Errors come as JSON, like every other route's.
 */
export function requestDownload(path: string, init: RequestOptions = {}): Promise<Download> {
  return withSession(init, (token) => sendOnce(path, { ...init, headers: { accept: 'text/csv, application/json', ...init.headers } }, token, readDownload));
}

async function withSession<T>(init: RequestOptions, send: (token: string | undefined) => Promise<T>): Promise<T> {
  const mode = init.auth ?? 'none';
  // 'optional' never waits for a sign-in in flight: on a slow network the first answer would cost a round trip more.
  const token = mode === 'none' ? undefined : mode === 'optional' ? auth?.now() : await auth?.token();
  if (mode === 'required' && !token) throw new ApiError(NOT_SIGNED_IN_MESSAGE, 401, true, 'NOT_SIGNED_IN');
  try {
    return await send(token);
  } catch (err) {
    // An expired or revoked session: sign in again once and repeat the request once.
    if (!(err instanceof ApiError) || err.code !== 'UNAUTHENTICATED' || !token || !auth) throw err;
    const renewed = await auth.renew(token);
    if (renewed) return send(renewed);
    if (mode === 'optional') return send(undefined);
    throw err;
  }
}

/** As before files existed: a body that is not JSON reads as undefined rather than failing the request. */
const readJson = (res: Response): Promise<unknown> => res.json().catch(() => undefined);

async function readDownload(res: Response): Promise<Download> {
  const disposition = res.headers.get('content-disposition') ?? '';
  // Not res.text(): decoding drops the byte order mark, and the saved file would open garbled in Excel.
  const bytes = await res.arrayBuffer();
  return {
    bytes,
    text: new TextDecoder('utf-8').decode(bytes),
    type: res.headers.get('content-type') ?? 'application/octet-stream',
    filename: /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'bao-cao.csv',
  };
}

async function sendOnce<T>(path: string, init: RequestOptions, token: string | undefined, read: (res: Response) => Promise<unknown>): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), init.timeoutMs ?? 10_000);
  let res: Response;
  try {
    res = await fetch(`${API_BASE}${path}`, {
      ...init,
      signal: controller.signal,
      headers: {
        accept: 'application/json',
        ...(init.body ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...init.headers,
      },
    });
  } catch {
    throw new ApiError(OFFLINE_MESSAGE, 0, true, 'OFFLINE');
  } finally {
    clearTimeout(timer);
  }
  if (res.ok) {
    try {
      return (await read(res)) as T;
    } catch {
      // A file cut off half-way: as good as no answer.
      throw new ApiError(OFFLINE_MESSAGE, 0, true, 'OFFLINE');
    }
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  const { error, code, problems } = (typeof body === 'object' && body !== null ? body : {}) as { error?: unknown; code?: unknown; problems?: unknown };
  const serverCode = typeof code === 'string' ? code : '';
  const retryAfter = Number(res.headers.get('retry-after')) || undefined;
  if (res.status >= 500) throw new ApiError(BUSY_MESSAGE, res.status, true, serverCode, retryAfter);
  const message = typeof error === 'string' && error ? error : 'Yêu cầu chưa hợp lệ. Bác thử lại nhé.';
  const listed = Array.isArray(problems) ? problems.filter((p): p is string => typeof p === 'string') : [];
  throw new ApiError(message, res.status, res.status === 429, serverCode, retryAfter, listed);
}

const post = (body: unknown): RequestInit => ({ method: 'POST', body: JSON.stringify(body) });

export function askOverHttp(message: string): Promise<ChatReply> {
  return requestJson<ChatReply>('/api/chat', { ...post({ message }), auth: 'optional' });
}

export function fetchCatalogue(): Promise<{ topics: TopicInfo[]; lessons: LessonSummary[] }> {
  return requestJson('/api/lessons');
}

export function fetchLesson(id: string): Promise<Lesson> {
  return requestJson(`/api/lessons/${encodeURIComponent(id)}`);
}

/** Signed in, the feed also has the tips addressed to this learner, and says which they have opened. */
export function fetchTips(area: Area | null): Promise<{ tips: Tip[] }> {
  const q = area ? `?${new URLSearchParams({ province: area.province, ward: area.ward })}` : '';
  return requestJson(`/api/tips${q}`, { auth: 'optional' });
}

/** Tells the officer who sent it that this learner saw the tip (their report counts it once). */
export function markTipOpened(id: string): Promise<{ opened: boolean }> {
  return requestJson(`/api/tips/${encodeURIComponent(id)}/opened`, { method: 'POST', auth: 'required' });
}

export function fetchAreas(): Promise<AreaList> {
  return requestJson('/api/areas');
}

// Signing in: never with a session header (these create the session).

export function signInWithZalo(accessToken: string): Promise<SessionGrant> {
  return requestJson('/api/session', post({ accessToken }));
}

/** Only for the clearly marked development identity of a normal browser; production servers refuse it. */
export function signInForDevelopment(deviceId: string): Promise<SessionGrant> {
  return requestJson('/api/session/dev', post({ deviceId }));
}

// The signed-in learner's own data.

export function fetchProfile(): Promise<Profile> {
  return requestJson('/api/me', { auth: 'required' });
}

export function changeProfile(change: { area?: Area | null; goal?: string | null }): Promise<Profile> {
  return requestJson('/api/me', { method: 'PATCH', body: JSON.stringify(change), auth: 'required' });
}

/** Erases the learner and everything recorded about them on the server. */
export function eraseProfile(): Promise<{ deleted: boolean }> {
  return requestJson('/api/me', { method: 'DELETE', auth: 'required' });
}

/** The learner's conversation kept on the server (the last exchanges, oldest first). */
export function fetchChatHistory(): Promise<{ messages: ChatHistoryEntry[] }> {
  return requestJson('/api/chat/history', { auth: 'required' });
}

export function deleteChatHistory(): Promise<{ deleted: number }> {
  return requestJson('/api/chat/history', { method: 'DELETE', auth: 'required' });
}

export function fetchProgress(): Promise<{ lessons: ServerLessonProgress[] }> {
  return requestJson('/api/progress', { auth: 'required' });
}

/** stepsSeen: the highest step index viewed + 1. */
export function sendStepsSeen(lessonId: string, stepsSeen: number): Promise<StepsResult> {
  return requestJson(`/api/progress/${encodeURIComponent(lessonId)}/steps`, { ...post({ stepsSeen }), auth: 'required' });
}

/** The same submissionId on a resend is counted once by the server. */
export function submitQuiz(lessonId: string, submissionId: string, answers: number[]): Promise<QuizResult> {
  return requestJson(`/api/progress/${encodeURIComponent(lessonId)}/quiz`, { ...post({ submissionId, answers }), auth: 'required' });
}

export function fetchPlacement(): Promise<{ questions: PlacementQuestion[] }> {
  return requestJson('/api/placement', { auth: 'required' });
}

/** answers: question id -> chosen option; skipped questions left out, {} skips the whole check. */
export function submitPlacement(answers: Record<string, number>): Promise<Recommendations> {
  return requestJson('/api/placement', { ...post({ answers }), auth: 'required' });
}

export function fetchRecommendations(): Promise<Recommendations> {
  return requestJson('/api/recommendations', { auth: 'required' });
}

/** URL of a lesson illustration (knowledge/media/NAME.svg). */
export function mediaUrl(name: string): string {
  return `${API_BASE}/media/${encodeURIComponent(name)}.svg`;
}
