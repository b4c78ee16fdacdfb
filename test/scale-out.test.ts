/**
 * Two real bot-server processes on one PostgreSQL (DATABASE_URL): chat works on both; a broadcast an officer
 * sends on one reaches the mini apps open on the other (LISTEN/NOTIFY) exactly once; a scheduled broadcast is
 * fanned out once although both outboxes look for it; the hourly retention job runs in one process only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAreas } from '../bot-server/src/areas/areas.js';
import { loadConfig } from '../bot-server/src/config.js';
import type { Db } from '../bot-server/src/db/index.js';
import { openPostgres } from '../bot-server/src/db/postgres.js';
import { Roles } from '../bot-server/src/roles/roles.js';
import { createScratchDatabase, eventually, findPostgres } from './helpers.js';
import { killAllProcesses, type ServerProcess, startServerProcess } from './server-processes.js';
import { Client, closeClients, type Frame } from './ws-client.js';

const postgres = await findPostgres();
const AREAS = loadAreas(loadConfig({}).areasFile);
const WARD = AREAS.wards[0]!;
const OTHER_WARD = AREAS.wards[1]!;
const ENV = { OUTBOX_INTERVAL_MS: '200', JOBS_INTERVAL_MS: '200', LOG_LEVEL: 'info' };

let scratch: { url: string; drop: () => Promise<void> };
let db: Db;
let a: ServerProcess;
let b: ServerProcess;

interface Session {
  token: string;
  call: (server: ServerProcess, method: string, path: string, body?: object) => Promise<{ status: number; body: Record<string, unknown> }>;
}

async function signIn(server: ServerProcess, deviceId: string, ward?: string): Promise<Session> {
  const res = await fetch(`${server.base}/api/session/dev`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ deviceId }) });
  expect(res.status).toBe(200);
  const { token } = (await res.json()) as { token: string };
  const call: Session['call'] = async (srv, method, path, body) => {
    const r = await fetch(`${srv.base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };
  if (ward) expect((await call(server, 'PATCH', '/api/me', { area: { province: AREAS.province, ward } })).status).toBe(200);
  return { token, call };
}

/** A mini app open on a server: a signed-in WebSocket. */
async function openApp(server: ServerProcess, session: Session): Promise<Client> {
  const client = await Client.connect(`${server.base.replace('http', 'ws')}/ws`);
  client.send({ type: 'auth', id: 'auth', token: session.token });
  expect((await client.next((f) => f.id === 'auth')).ok).toBe(true);
  return client;
}

const tipsIn = (client: Client, title: string) => client.frames.filter((f: Frame) => f.type === 'tip' && (f.tip as { title: string }).title === title);


describe.skipIf(!postgres.url)(`two server processes on one PostgreSQL${postgres.reason ? ` (skipped: ${postgres.reason})` : ''}`, () => {
  beforeAll(async () => {
    scratch = await createScratchDatabase(postgres.url!);
    // One starts first (it migrates and indexes); the second finds everything in place.
    a = await startServerProcess({ databaseUrl: scratch.url, env: ENV });
    b = await startServerProcess({ databaseUrl: scratch.url, env: ENV });
    db = await openPostgres(scratch.url, 2);
    await new Roles(db, AREAS.wards).grant('cli:test', 'dev:dev-officer01', 'officer', WARD);
  });

  afterAll(async () => {
    closeClients();
    await Promise.all([a?.kill('SIGTERM'), b?.kill('SIGTERM')]);
    killAllProcesses();
    await db?.close();
    await scratch?.drop();
  });

  it('chat works on both, over HTTP and over the WebSocket', async () => {
    for (const server of [a, b]) {
      const res = await fetch(`${server.base}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'cach cai vneid' }) });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { lessons: { id: string }[] }).lessons[0]!.id).toMatch(/^vneid/);
      const socket = await Client.connect(`${server.base.replace('http', 'ws')}/ws`);
      socket.send({ type: 'chat', id: 'q', message: 'ma otp la gi' });
      expect((await socket.next((f) => f.id === 'q')).type).toBe('reply');
    }
  });

  it("an officer's scam alert sent on one process reaches the mini apps open on both, once each", async () => {
    const officer = await signIn(a, 'dev-officer01');
    const onB = [await signIn(b, 'dev-residentb1', WARD), await signIn(b, 'dev-residentb2', WARD)];
    const onA = await signIn(a, 'dev-residenta1', WARD);
    const elsewhere = await signIn(b, 'dev-residentc1', OTHER_WARD);
    const appsOnB = await Promise.all(onB.map((s) => openApp(b, s)));
    const appOnA = await openApp(a, onA);
    const appElsewhere = await openApp(b, elsewhere);

    const title = 'Cảnh báo: giả danh công an gọi video';
    const created = await officer.call(a, 'POST', '/api/officer/broadcasts', {
      title,
      body: 'Công an không gọi video để yêu cầu chuyển tiền hay đọc mã OTP. Bác cúp máy và báo công an phường.',
      priority: 'scam_alert',
      audience: { wards: [WARD] },
    });
    expect(created.status).toBe(201);
    for (const app of [...appsOnB, appOnA]) await app.next((f) => f.type === 'tip', 'the tip');
    // Give a duplicate every chance to arrive before counting.
    await new Promise((r) => setTimeout(r, 1000));
    for (const app of [...appsOnB, appOnA]) expect(tipsIn(app, title)).toHaveLength(1);
    expect(tipsIn(appElsewhere, title)).toHaveLength(0);

    const rows = await db.query<{ external_id: string; status: string; channel: string }>(
      `SELECT l.external_id, d.status, d.channel FROM broadcast_deliveries d JOIN learners l ON l.id = d.learner_id WHERE d.broadcast_id = $1`,
      [created.body.id],
    );
    const live = rows.filter((r) => r.channel === 'live').map((r) => r.external_id).sort();
    expect(live).toEqual(['dev:dev-residenta1', 'dev:dev-residentb1', 'dev:dev-residentb2']);
    expect(rows.every((r) => r.status === 'delivered' || r.channel !== 'live')).toBe(true);
  });

  it('a scheduled broadcast is fanned out once although both processes look for it', async () => {
    const officer = await signIn(b, 'dev-officer01');
    const resident = await signIn(a, 'dev-residentd1', WARD);
    const appOnA = await openApp(a, resident);
    const appOnB = await openApp(b, resident);
    const title = 'Nhắc lịch: tập huấn VNeID tại nhà văn hóa';
    const sendAt = new Date(Date.now() + 3000).toISOString();
    const created = await officer.call(b, 'POST', '/api/officer/broadcasts', {
      title,
      body: 'Tổ công nghệ số hướng dẫn kích hoạt VNeID mức 2 vào sáng thứ Bảy tại nhà văn hóa khu phố.',
      priority: 'scam_alert',
      audience: { wards: [WARD] },
      sendAt,
    });
    expect(created.status).toBe(201);
    const status = await eventually('the broadcast to be sent', async () => {
      const [row] = await db.query<{ status: string; targeted: number }>('SELECT status, targeted FROM broadcasts WHERE id = $1', [created.body.id]);
      return row?.status === 'sent' ? row : undefined;
    });
    const [{ n }] = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM broadcast_deliveries WHERE broadcast_id = $1', [created.body.id])) as [{ n: number }];
    expect(status.targeted).toBe(n);
    const [{ residents }] = (await db.query<{ residents: number }>('SELECT count(*)::int AS residents FROM learners WHERE ward = $1', [WARD])) as [{ residents: number }];
    expect(n).toBe(residents);
    // The learner has the app open on both processes: each socket gets it once.
    await appOnA.next((f) => f.type === 'tip' && (f.tip as { title: string }).title === title);
    await appOnB.next((f) => f.type === 'tip' && (f.tip as { title: string }).title === title);
    await new Promise((r) => setTimeout(r, 1000));
    expect(tipsIn(appOnA, title)).toHaveLength(1);
    expect(tipsIn(appOnB, title)).toHaveLength(1);
    // Exactly one process fanned it out.
    const fannedOut = (s: ServerProcess) => s.logs().filter((l) => l.msg === 'broadcast fanned out' && l.broadcast === created.body.id).length;
    expect(fannedOut(a) + fannedOut(b)).toBe(1);
  }, 150_000);

  it('the hourly retention job ran in exactly one of the two processes', async () => {
    const hour = new Date().toISOString().slice(0, 13);
    const runs = await eventually('the retention run', async () => {
      const rows = await db.query<{ period: string }>(`SELECT period FROM scheduled_runs WHERE job = 'retention' AND period = $1`, [hour]);
      return rows.length > 0 ? rows : undefined;
    });
    expect(runs).toHaveLength(1);
    // Both processes check every 200 ms; only one did the work.
    await new Promise((r) => setTimeout(r, 1000));
    const ran = (s: ServerProcess) => s.logs().filter((l) => l.msg === 'scheduled job ran' && l.period === hour).length;
    expect(ran(a) + ran(b)).toBe(1);
  });
});
