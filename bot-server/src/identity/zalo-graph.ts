import { createHmac } from 'node:crypto';

/** Who Zalo says the holder of an access token is. */
export interface ZaloUser {
  id: string;
  name: string;
}

/** The token is not valid for our app (expired, forged, revoked, issued to another app): the citizen gets 401. */
export class ZaloTokenRejected extends Error {
  constructor(readonly zaloCode: number | undefined, message: string) {
    super(message);
    this.name = 'ZaloTokenRejected';
  }
}

/** Zalo could not be asked (network, timeout, 5xx, an answer we cannot read): nothing is known, the citizen may retry. */
export class ZaloUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZaloUnavailable';
  }
}

export interface ZaloGraphOptions {
  /** https://graph.zalo.me in production; a local server in tests. */
  baseUrl: string;
  appSecret: string;
  timeoutMs?: number;
}

/** appsecret_proof = hex HMAC-SHA256 of the access token keyed by the app secret (zalo-php-sdk, Zalo.php). */
export function appSecretProof(appSecret: string, accessToken: string): string {
  return createHmac('sha256', appSecret).update(accessToken).digest('hex');
}

/**
 * Verifies a Mini App access token with Zalo's Graph API: GET /v2.0/me with the token and the proof as headers.
 * The proof binds the call to our app secret, so a token issued to another app is refused by Zalo.
 * Zalo reports errors in the body ({error: non-zero, message}), often with HTTP 200.
 */
export async function verifyZaloToken(accessToken: string, opts: ZaloGraphOptions): Promise<ZaloUser> {
  const url = new URL('/v2.0/me', opts.baseUrl);
  url.searchParams.set('fields', 'id,name');
  let res: Response;
  try {
    res = await fetch(url, {
      headers: { access_token: accessToken, appsecret_proof: appSecretProof(opts.appSecret, accessToken) },
      signal: AbortSignal.timeout(opts.timeoutMs ?? 5000),
    });
  } catch (err) {
    throw new ZaloUnavailable(`Zalo Graph API unreachable: ${(err as Error).message}`);
  }
  if (res.status >= 500) throw new ZaloUnavailable(`Zalo Graph API answered HTTP ${res.status}`);
  let body: Record<string, unknown>;
  try {
    body = (await res.json()) as Record<string, unknown>;
  } catch {
    throw new ZaloUnavailable(`Zalo Graph API answered HTTP ${res.status} without JSON`);
  }
  const code = typeof body.error === 'number' ? body.error : Number(body.error ?? 0);
  if (res.status === 401 || res.status === 403 || (Number.isFinite(code) && code !== 0)) {
    throw new ZaloTokenRejected(Number.isFinite(code) ? code : undefined, String(body.message ?? `HTTP ${res.status}`));
  }
  if (!res.ok) throw new ZaloUnavailable(`Zalo Graph API answered HTTP ${res.status}`);
  const id = typeof body.id === 'string' || typeof body.id === 'number' ? String(body.id) : '';
  if (!/^\d{1,32}$/.test(id)) throw new ZaloUnavailable('Zalo Graph API answered without a user id');
  const name = typeof body.name === 'string' && body.name.trim() ? body.name.trim().slice(0, 80) : 'Bác';
  return { id, name };
}
