import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import WebSocket from 'ws';
import { loadConfig, REPO_ROOT } from '../../bot-server/src/config.js';
import { openContext } from '../../bot-server/src/context.js';
import { makeTempDir } from '../../test/helpers.js';
import { seedLearners } from './learners-seed.js';

export interface BroadcastBench {
  recipients: number;
  enqueueSeconds: number;
  clients: number;
  received: number;
  deliveryMs: number[];
}

async function waitHealthy(base: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('server did not become healthy');
}

/**
 * (1) A scam alert to every ward of a province with `population` learners: the time to write its outbox (one
 * delivery row per recipient). (2) A server process with `clients` signed-in mini apps connected over WebSocket:
 * from the officer's POST to each client's "tip" frame.
 */
export async function measureBroadcast(population: number, clients: number, port: number): Promise<BroadcastBench> {
  const dir = makeTempDir('bhvs-bench-broadcast-');
  let child: ChildProcess | undefined;
  const sockets: WebSocket[] = [];
  try {
    const ctx = await openContext({ ...loadConfig({ LOG_LEVEL: 'silent' }), dataDir: dir.path });
    let tokens: string[];
    let adminToken: string;
    let enqueueSeconds: number;
    let recipients: number;
    const wards = [...ctx.areas.wards];
    try {
      await seedLearners(ctx.db, ctx.catalog, { count: population, province: ctx.areas.province, wards: ctx.areas.wards });
      await ctx.roles.grant('cli:bench', 'zalo:9000000001', 'admin');
      const admin = await ctx.learners.signIn('zalo:9000000001', 'Quản trị');
      adminToken = admin.token;
      const draft = {
        title: 'Cảnh báo lừa đảo giả danh công an',
        body: 'Công an không bao giờ gọi điện yêu cầu chuyển tiền hay đọc mã OTP. Gặp cuộc gọi như vậy, bà con cúp máy và báo công an phường.',
        priority: 'scam_alert' as const,
        wards: [...ctx.areas.wards],
        sendAt: new Date(),
        expiresAt: new Date(Date.now() + 86_400_000),
      };
      const created = await ctx.broadcasts.create(admin.learner, draft, ctx.areas.wards);
      const t = performance.now();
      await ctx.outbox.fanOutNext();
      enqueueSeconds = (performance.now() - t) / 1000;
      recipients = (await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM broadcast_deliveries WHERE broadcast_id = $1', [created.id]))[0]!.n;

      // The mini apps that will be open: learners with a session each, written in bulk.
      tokens = Array.from({ length: clients }, () => randomBytes(32).toString('base64url'));
      const ids = await ctx.db.query<{ id: string }>(
        `INSERT INTO learners (external_id, display_name, province, ward)
         SELECT 'bench:' || g, 'Người dùng ' || g, $2, ($3::text[])[1 + g % cardinality($3::text[])] FROM generate_series(1, $1::int) g
         RETURNING id`,
        [clients, ctx.areas.province, ctx.areas.wards],
      );
      await ctx.db.query(
        `INSERT INTO learner_sessions (token_hash, learner_id, expires_at)
         SELECT * FROM unnest($1::text[], $2::uuid[], $3::timestamptz[])`,
        [tokens.map((tk) => createHash('sha256').update(tk).digest('hex')), ids.map((r) => r.id), ids.map(() => new Date(Date.now() + 3_600_000))],
      );
    } finally {
      await ctx.close();
    }

    child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'bot-server/src/server.ts')], {
      cwd: REPO_ROOT,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dir.path, LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '100000000' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const base = `http://127.0.0.1:${port}`;
    await waitHealthy(base);

    const receivedAt: number[] = [];
    let t0 = 0;
    for (let i = 0; i < tokens.length; i += 250) {
      await Promise.all(
        tokens.slice(i, i + 250).map(
          (token) =>
            new Promise<void>((resolve, reject) => {
              const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
              sockets.push(ws);
              ws.once('error', reject);
              ws.once('open', () => ws.send(JSON.stringify({ type: 'auth', token })));
              ws.on('message', (data) => {
                const frame = JSON.parse(data.toString()) as { type: string; ok?: boolean };
                if (frame.type === 'auth') return frame.ok ? resolve() : reject(new Error('auth refused'));
                if (frame.type === 'tip') receivedAt.push(performance.now() - t0);
              });
            }),
        ),
      );
    }

    t0 = performance.now();
    const res = await fetch(`${base}/api/officer/broadcasts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({
        title: 'Cảnh báo: tin nhắn giả mạo ngân hàng',
        body: 'Ngân hàng không gửi đường link yêu cầu cập nhật thông tin. Bà con không bấm vào link lạ, không đọc mã OTP cho ai.',
        priority: 'scam_alert',
        audience: { wards },
      }),
    });
    if (res.status !== 201) throw new Error(`broadcast refused: ${res.status} ${await res.text()}`);
    const until = Date.now() + 30_000;
    while (receivedAt.length < tokens.length && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    return { recipients, enqueueSeconds, clients, received: receivedAt.length, deliveryMs: receivedAt };
  } finally {
    for (const ws of sockets) ws.terminate();
    if (child) {
      await new Promise<void>((done) => {
        child!.once('exit', () => done());
        child!.kill('SIGINT');
      });
    }
    dir.remove();
  }
}
