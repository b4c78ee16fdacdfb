import type { TipView } from './live.js';

/**
 * Pushes a tip to one citizen through the ward's Zalo Official Account: the OA "consultation" message API
 * (POST /v3.0/oa/message/cs, header access_token, body {recipient:{user_id}, message:{text}}). Zalo answers
 * {error: 0, data: {message_id}} or a non-zero error in the body. Assumes the OA is linked to the Mini App's Zalo
 * app, so that the user id from sign-in is the one the OA knows.
 */
export interface ZaloPushConfig {
  baseUrl: string;
  accessToken: string;
  /** Where "Xem chi tiết" leads (the Mini App's deep link base, e.g. https://zalo.me/s/<appId>/). */
  appLink?: string;
  timeoutMs?: number;
}

export type PushOutcome =
  | { ok: true; messageId?: string }
  | { ok: false; retry: boolean; rateLimited: boolean; error: string };

/** Zalo's body code for "too many requests" (also signalled by HTTP 429). */
export const ZALO_RATE_LIMITED = -32;

export function tipText(tip: Pick<TipView, 'title' | 'body' | 'priority' | 'lessonId'>, appLink?: string): string {
  const head = tip.priority === 'scam_alert' ? `CẢNH BÁO LỪA ĐẢO: ${tip.title}` : tip.title;
  const link = appLink ? `\nXem chi tiết: ${appLink}${tip.lessonId ? `?lesson=${encodeURIComponent(tip.lessonId)}` : ''}` : '';
  return `${head}\n${tip.body}${link}`;
}

export async function pushViaZalo(config: ZaloPushConfig, zaloUserId: string, tip: TipView): Promise<PushOutcome> {
  let res: Response;
  try {
    res = await fetch(new URL('/v3.0/oa/message/cs', config.baseUrl), {
      method: 'POST',
      headers: { access_token: config.accessToken, 'content-type': 'application/json' },
      body: JSON.stringify({ recipient: { user_id: zaloUserId }, message: { text: tipText(tip, config.appLink) } }),
      signal: AbortSignal.timeout(config.timeoutMs ?? 10_000),
    });
  } catch (err) {
    // Refused or not found: nothing reached Zalo, so trying again cannot send twice. A timeout or a reset may
    // come after Zalo delivered the message: not retried, because a tip sent twice is worse than one not pushed
    // (it is in the citizen's feed anyway).
    const code = String((err as { cause?: { code?: unknown } }).cause?.code ?? '');
    const neverSent = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'].includes(code);
    return { ok: false, retry: neverSent, rateLimited: false, error: `network${code ? ` ${code}` : ''}: ${(err as Error).message}`.slice(0, 200) };
  }
  if (res.status === 429) return { ok: false, retry: true, rateLimited: true, error: 'HTTP 429' };
  // 502/503/504 come from a gateway before Zalo's service; a 500 may come after the message went out.
  if (res.status >= 500) return { ok: false, retry: res.status !== 500, rateLimited: false, error: `HTTP ${res.status}` };
  let body: { error?: unknown; message?: unknown; data?: { message_id?: unknown } };
  try {
    body = (await res.json()) as typeof body;
  } catch {
    return { ok: false, retry: true, rateLimited: false, error: `HTTP ${res.status} without JSON` };
  }
  const code = Number(body.error ?? (res.ok ? 0 : res.status));
  if (code === 0 && res.ok) return { ok: true, messageId: typeof body.data?.message_id === 'string' ? body.data.message_id : undefined };
  if (code === ZALO_RATE_LIMITED) return { ok: false, retry: true, rateLimited: true, error: `Zalo ${code}: ${String(body.message ?? '')}` };
  // Anything else (not a follower, blocked, invalid recipient, bad token) will not get better by retrying.
  return { ok: false, retry: false, rateLimited: false, error: `Zalo ${code}: ${String(body.message ?? '')}`.slice(0, 200) };
}
