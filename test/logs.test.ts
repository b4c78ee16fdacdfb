/**
 * Secrets come only from the environment and never reach the logs; nor do citizens' personal data or session
 * tokens. A real server process with every secret set (Zalo app secret, OA token, model API key), logging at
 * trace level, goes through sign-in, chat with personal data over HTTP and the WebSocket, a failing model, a
 * broadcast pushed through Zalo and a refused request; then its whole output is searched.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAreas } from '../bot-server/src/areas/areas.js';
import { loadConfig } from '../bot-server/src/config.js';
import { startFakeOpenAI, type FakeOpenAI } from './fake-openai.js';
import { startFakeZalo, type FakeZalo } from './fake-zalo.js';
import { eventually } from './helpers.js';
import { killAllProcesses, type ServerProcess, spawnTsx, startServerProcess } from './server-processes.js';
import { Client, closeClients } from './ws-client.js';

const AREAS = loadAreas(loadConfig({}).areasFile);
const WARD = AREAS.wards[0]!;
const SECRETS = {
  ZALO_APP_SECRET: 'zalo-app-secret-5f1c9a7e2b',
  ZALO_OA_ACCESS_TOKEN: 'oa-token-8d2e6b4a9c1f',
  LLM_API_KEY: 'sk-llm-key-3a7c9e1b5d',
};
/** What citizens type that must never be logged (the ID number, phone, OTP, card, password and address). */
const PERSONAL = ['001089012345', '0912 345 678', '482913', '4111 1111 1111 1111', 'Hoa@1975', 'ngõ 45'];

let zalo: FakeZalo;
let model: FakeOpenAI;
let server: ServerProcess;
let dataDir: string;
const zaloToken = 'zalo-user-access-token-77aa';

beforeAll(async () => {
  zalo = await startFakeZalo(SECRETS.ZALO_APP_SECRET);
  zalo.oaToken = SECRETS.ZALO_OA_ACCESS_TOKEN;
  zalo.tokens.set(zaloToken, { id: '4400123', name: 'Bà Hoa' });
  model = await startFakeOpenAI();
  // The model fails: its error (with the request that carried the key) goes through the error path and its logs.
  model.chat = () => ({ status: 500, error: 'upstream exploded' });
  dataDir = mkdtempSync(join(tmpdir(), 'bhvs-logs-'));
  const admin = spawnTsx('scripts/admin.ts', { DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, ['grant', 'officer', 'zalo:4400123', WARD]);
  expect((await admin.exited).code, admin.stderr()).toBe(0);
  server = await startServerProcess({
    dataDir,
    env: {
      ...SECRETS,
      LOG_LEVEL: 'trace',
      ZALO_APP_ID: '1234567890',
      ZALO_GRAPH_URL: zalo.baseUrl,
      ZALO_OPENAPI_URL: zalo.baseUrl,
      LLM_BASE_URL: model.baseURL,
      LLM_MODEL: 'fake-model',
      OUTBOX_INTERVAL_MS: '100',
    },
  });
});

afterAll(async () => {
  closeClients();
  await server?.kill('SIGTERM');
  killAllProcesses();
  await zalo?.close();
  await model?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('logs of a real server process', () => {
  it('hold no secret, no session or Zalo token and none of what citizens typed', async () => {
    const post = (path: string, body: object, token?: string) =>
      fetch(`${server.base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
    const signIn = await post('/api/session', { accessToken: zaloToken });
    expect(signIn.status).toBe(200);
    const { token } = (await signIn.json()) as { token: string };
    await fetch(`${server.base}/api/me`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ area: { province: AREAS.province, ward: WARD } }),
    });

    const questions = [
      `Số căn cước của tôi là ${PERSONAL[0]}, kích hoạt VNeID thế nào?`,
      `Tôi ở số 12 ${PERSONAL[5]} đường Hùng Vương, sđt ${PERSONAL[1]}, cài VNeID ra sao?`,
      `Có người gọi bảo đọc mã OTP ${PERSONAL[2]} cho họ`,
      `Thẻ ${PERSONAL[3]} bị trừ tiền lạ`,
      `mật khẩu ngân hàng của tôi là ${PERSONAL[4]} có an toàn không`,
    ];
    for (const message of questions) expect((await post('/api/chat', { message }, token)).status).toBe(200);
    const socket = await Client.connect(`${server.base.replace('http', 'ws')}/ws`);
    socket.send({ type: 'auth', id: 'a', token });
    await socket.next((f) => f.id === 'a');
    for (const [i, message] of questions.entries()) {
      socket.send({ type: 'chat', id: i, message });
      await socket.next((f) => f.id === i && f.type === 'reply');
    }
    // A forged session, a bad Zalo token and a refused origin are logged as events, without the tokens.
    expect((await post('/api/chat', { message: 'otp' }, 'forged-session-token-xyz')).status).toBe(401);
    expect((await post('/api/session', { accessToken: 'stolen-zalo-token-991' })).status).toBe(401);
    // A broadcast pushed through Zalo (the OA token travels in a header to the fake Zalo); with the app closed,
    // so that the tip is pushed rather than delivered live.
    socket.ws.close();
    await socket.whenClosed();
    // The server detaches the socket when it sees the close; give it that moment.
    await new Promise((r) => setTimeout(r, 300));
    const sent = await post(
      '/api/officer/broadcasts',
      { title: 'Cảnh báo cuộc gọi giả danh', body: 'Không đọc mã OTP cho bất kỳ ai.', priority: 'scam_alert', audience: { wards: [WARD] } },
      token,
    );
    expect(sent.status).toBe(201);
    await eventually('the push to Zalo', () => (zalo.messages.length > 0 ? true : undefined));
    expect(model.chatRequests.length).toBeGreaterThan(0);
    // The model only ever saw redacted questions.
    for (const request of model.chatRequests) for (const p of PERSONAL) expect(JSON.stringify(request)).not.toContain(p);

    await server.kill('SIGTERM');
    const output = server.stdout() + server.stderr();
    expect(server.logs().length).toBeGreaterThan(20);
    expect(output).toContain('chat reply');
    for (const secret of [...Object.values(SECRETS), token, zaloToken, 'forged-session-token-xyz', 'stolen-zalo-token-991', ...PERSONAL]) {
      expect(output, `the logs contain ${secret}`).not.toContain(secret);
    }
    // Digits of the ID and card do not appear under another spacing either.
    expect(output.replace(/[ .-]/g, '')).not.toMatch(/001089012345|4111111111111111|0912345678/);
  });
});
