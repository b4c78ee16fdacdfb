/**
 * A local server on 127.0.0.1 speaking Zalo's Graph API for Mini App sign-in: GET /v2.0/me with the headers
 * access_token and appsecret_proof (hex HMAC-SHA256 of the token keyed by the app secret). Like Zalo, it answers
 * errors in the body with a non-zero `error` and a message, with HTTP 200. Tests register tokens and can make it
 * fail the way a remote service fails (HTTP 5xx, slow, not JSON).
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeZalo {
  baseUrl: string;
  appSecret: string;
  /** Valid tokens and the user each belongs to. */
  tokens: Map<string, { id: string; name: string }>;
  /** Tokens that were valid once (Zalo: "Access token has expired"). */
  expired: Set<string>;
  /** Every call: the token and whether the proof was right. */
  calls: { token: string; proofOk: boolean }[];
  /** Set to make the next answers fail like an unavailable service. */
  failure?: 'http500' | 'not-json' | { delayMs: number };
  close(): Promise<void>;
}

export const ZALO_INVALID_TOKEN = -124;
export const ZALO_BAD_PROOF = -201;

export async function startFakeZalo(appSecret = 'test-app-secret-0123'): Promise<FakeZalo> {
  const fake = {
    appSecret,
    tokens: new Map<string, { id: string; name: string }>(),
    expired: new Set<string>(),
    calls: [] as { token: string; proofOk: boolean }[],
    failure: undefined as FakeZalo['failure'],
  };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET' || url.pathname !== '/v2.0/me') return json(404, { error: 404, message: 'Not found' });
    const token = String(req.headers['access_token'] ?? '');
    const proof = String(req.headers['appsecret_proof'] ?? '');
    const proofOk = proof === createHmac('sha256', appSecret).update(token).digest('hex');
    fake.calls.push({ token, proofOk });
    const failure = fake.failure;
    if (failure === 'http500') return json(500, { error: -1, message: 'Internal error' });
    if (failure === 'not-json') {
      res.writeHead(502, { 'content-type': 'text/html' });
      return res.end('<html>Bad gateway</html>');
    }
    const answer = () => {
      if (!token) return json(200, { error: ZALO_INVALID_TOKEN, message: 'Access token is empty' });
      if (fake.expired.has(token)) return json(200, { error: ZALO_INVALID_TOKEN, message: 'Access token has expired' });
      const user = fake.tokens.get(token);
      if (!user) return json(200, { error: ZALO_INVALID_TOKEN, message: 'Access token is invalid' });
      if (!proofOk) return json(200, { error: ZALO_BAD_PROOF, message: 'Invalid appsecret_proof' });
      const fields = (url.searchParams.get('fields') ?? 'id').split(',');
      json(200, {
        id: user.id,
        ...(fields.includes('name') ? { name: user.name } : {}),
        ...(fields.includes('picture') ? { picture: { data: { url: 'https://s120-ava-talk.zadn.vn/a.jpg' } } } : {}),
        error: 0,
        message: 'Success',
      });
    };
    if (typeof failure === 'object') setTimeout(answer, failure.delayMs);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
