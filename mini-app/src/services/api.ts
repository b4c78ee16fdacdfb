import type { AreaList, ChatReply, Lesson, LessonSummary, Tip, TopicInfo } from './types';

/**
 * HTTP client for the bot server. Same origin by default; inside Zalo the app is served from Zalo's CDN, so the
 * deployment sets VITE_API_BASE at build time.
 */
export const API_BASE: string = (import.meta.env.VITE_API_BASE ?? '').replace(/\/$/, '');

/** An error the citizen can read: short Vietnamese with what to do next. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const OFFLINE_MESSAGE = 'Chưa kết nối được. Bác kiểm tra Wi-Fi hoặc 4G rồi bấm "Thử lại".';
const BUSY_MESSAGE = 'Máy chủ đang bận. Bác chờ một lát rồi bấm "Thử lại", hoặc nhờ Tổ công nghệ số cộng đồng giúp.';

export async function requestJson<T>(path: string, init: RequestInit & { timeoutMs?: number } = {}): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), init.timeoutMs ?? 10_000);
  let res: Response;
  try {
    res = await fetch(`${API_BASE}${path}`, {
      ...init,
      signal: controller.signal,
      headers: { accept: 'application/json', ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers },
    });
  } catch {
    throw new ApiError(OFFLINE_MESSAGE, 0, true);
  } finally {
    clearTimeout(timer);
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const serverMessage = typeof (body as { error?: unknown })?.error === 'string' ? (body as { error: string }).error : '';
    if (res.status >= 500) throw new ApiError(BUSY_MESSAGE, res.status, true);
    throw new ApiError(serverMessage || 'Yêu cầu chưa hợp lệ. Bác thử lại nhé.', res.status, res.status === 429);
  }
  return body as T;
}

export function askOverHttp(message: string): Promise<ChatReply> {
  return requestJson<ChatReply>('/api/chat', { method: 'POST', body: JSON.stringify({ message }) });
}

export function fetchCatalogue(): Promise<{ topics: TopicInfo[]; lessons: LessonSummary[] }> {
  return requestJson('/api/lessons');
}

export function fetchLesson(id: string): Promise<Lesson> {
  return requestJson(`/api/lessons/${encodeURIComponent(id)}`);
}

export function fetchTips(area: { province: string; ward: string } | null): Promise<{ tips: Tip[] }> {
  const q = area ? `?${new URLSearchParams({ province: area.province, ward: area.ward })}` : '';
  return requestJson(`/api/tips${q}`);
}

export function fetchAreas(): Promise<AreaList> {
  return requestJson('/api/areas');
}

/** URL of a lesson illustration (knowledge/media/NAME.svg). */
export function mediaUrl(name: string): string {
  return `${API_BASE}/media/${encodeURIComponent(name)}.svg`;
}
