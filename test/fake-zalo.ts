/**
 * A local server on 127.0.0.1 speaking two of Zalo's APIs:
 * - Graph API for Mini App sign-in: GET /v2.0/me with the headers access_token and appsecret_proof (hex
 *   HMAC-SHA256 of the token keyed by the app secret);
 * - the Official Account message API: POST /v3.0/oa/message/cs with header access_token and body
 *   {recipient:{user_id}, message:{text}}, answering {error:0, message:"Success", data:{message_id, user_id}}.
 * Like Zalo, it answers errors in the body with a non-zero `error` and a message, with HTTP 200. Tests register
 * tokens and can make it fail the way a remote service fails (HTTP 5xx, 429, slow, not JSON, hanging).
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
  /** The OA's access token the message API accepts. */
  oaToken: string;
  /** Every OA message received (recorded on arrival, before any answer). */
  messages: { userId: string; text: string }[];
  /** How the message API answers the next requests, in order (then success). */
  messageScript: ('ok' | 'rate-limit-body' | 'http429' | 'http503' | 'not-follower' | 'hang')[];
  close(): Promise<void>;
}

export const ZALO_OA_RATE_LIMITED = -32;
export const ZALO_OA_NOT_FOLLOWER = -213;

export const ZALO_INVALID_TOKEN = -124;
export const ZALO_BAD_PROOF = -201;

export async function startFakeZalo(appSecret = 'test-app-secret-0123'): Promise<FakeZalo> {
  const fake = {
    appSecret,
    tokens: new Map<string, { id: string; name: string }>(),
    expired: new Set<string>(),
    calls: [] as { token: string; proofOk: boolean }[],
    failure: undefined as FakeZalo['failure'],
    oaToken: 'oa-access-token-0123',
    messages: [] as { userId: string; text: string }[],
    messageScript: [] as FakeZalo['messageScript'],
  };
  const hanging = new Set<import('node:http').ServerResponse>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'POST' && url.pathname === '/v3.0/oa/message/cs') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.headers['access_token'] !== fake.oaToken) return json(200, { error: -216, message: 'Access token is invalid' });
        let body: { recipient?: { user_id?: string }; message?: { text?: string } };
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          return json(200, { error: -201, message: 'Body is not JSON' });
        }
        const userId = body.recipient?.user_id;
        const text = body.message?.text;
        if (!userId || typeof text !== 'string' || text.length === 0 || text.length > 2000) {
          return json(200, { error: -201, message: 'Parameter is invalid' });
        }
        const step = fake.messageScript.shift() ?? 'ok';
        if (step === 'http429') return json(429, { error: ZALO_OA_RATE_LIMITED, message: 'Too many requests' });
        if (step === 'rate-limit-body') return json(200, { error: ZALO_OA_RATE_LIMITED, message: 'Request rate is limited' });
        if (step === 'http503') return json(503, { error: -1, message: 'Service unavailable' });
        if (step === 'not-follower') return json(200, { error: ZALO_OA_NOT_FOLLOWER, message: 'User has not followed OA' });
        fake.messages.push({ userId, text });
        if (step === 'hang') return void hanging.add(res);
        json(200, { error: 0, message: 'Success', data: { message_id: `msg-${fake.messages.length}`, user_id: userId } });
      });
      return;
    }
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
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
