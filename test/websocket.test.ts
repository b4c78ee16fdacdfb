/**
 * The chat over a real WebSocket: the app listens on a real port, the `ws` package is the client.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../bot-server/src/app.js';
import { openTestContext } from './helpers.js';
import { Client, closeClients, type Frame } from './ws-client.js';

let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  const ctx = await openTestContext();
  app = await buildApp(ctx);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  base = `127.0.0.1:${port}`;
});

afterEach(closeClients);

afterAll(async () => {
  await app?.close();
});

const VIETNAMESE = /bác|không|câu hỏi|tin nhắn/i;

async function expectServerUp(): Promise<void> {
  const res = await fetch(`http://${base}/health`);
  expect(res.status).toBe(200);
  expect(((await res.json()) as { status: string }).status).toBe('ok');
}

describe('WebSocket /ws', () => {
  it('answers a chat frame with a reply carrying the same id', async () => {
    const c = await Client.connect(`ws://${base}/ws`);
    c.send({ type: 'chat', id: '1', message: 'cach kich hoat vneid' });
    const reply = await c.next((f) => f.id === '1', 'reply 1');
    expect(reply.type).toBe('reply');
    expect(reply.kind).toBe('answer');
    expect(reply.answer).toMatch(/^1\. /m);
    expect(reply.lessons?.[0]?.topic).toBe('vneid');
    expect(Object.keys(reply.lessons![0]!).sort()).toEqual(['id', 'title', 'topic']);
  });

  it('replies to several chats on one connection, each matched by its id', async () => {
    const c = await Client.connect(`ws://${base}/ws`);
    c.send({ type: 'chat', id: 'a', message: 'thoi tiet hom nay the nao' });
    c.send({ type: 'chat', id: 'b', message: 'ma otp cua toi la 551203' });
    c.send({ type: 'chat', id: 42, message: 'giúp tôi với' });
    const [a, b, n] = await Promise.all([
      c.next((f) => f.id === 'a', 'a'),
      c.next((f) => f.id === 'b', 'b'),
      c.next((f) => f.id === 42, '42'),
    ]);
    expect(a.kind).toBe('out_of_scope');
    expect(b.kind).toBe('safety');
    expect(b.answer).toContain('CẢNH BÁO');
    expect(c.raw.join('\n')).not.toContain('551203');
    expect(n.kind).toBe('clarify');
    expect((n.choices as unknown[]).length).toBeGreaterThanOrEqual(2);
  });

  it('answers an invalid JSON frame with BAD_FRAME and keeps the connection usable', async () => {
    const c = await Client.connect(`ws://${base}/ws`);
    c.send('{"type":"chat", "message": ');
    const err = await c.next((f) => f.type === 'error', 'error');
    expect(err.code).toBe('BAD_FRAME');
    expect(err.error).toMatch(VIETNAMESE);
    c.send({ type: 'chat', id: 'after', message: 'cach kich hoat vneid' });
    const reply = await c.next((f) => f.id === 'after', 'reply after the bad frame');
    expect(reply.type).toBe('reply');
    expect(reply.kind).toBe('answer');
    expect(c.closed).toBeUndefined();
  });

  it('refuses a binary frame and an unknown frame type with BAD_FRAME', async () => {
    const c = await Client.connect(`ws://${base}/ws`);
    c.ws.send(Buffer.from(JSON.stringify({ type: 'chat', id: 'bin', message: 'vneid' })), { binary: true });
    expect((await c.count(1))[0]!.code).toBe('BAD_FRAME');
    c.send({ type: 'hack', id: 'u' });
    const unknown = await c.next((f) => f.id === 'u', 'unknown type');
    expect(unknown.type).toBe('error');
    expect(unknown.code).toBe('BAD_FRAME');
  });

  it('refuses an empty message with BAD_MESSAGE in Vietnamese', async () => {
    const c = await Client.connect(`ws://${base}/ws`);
    c.send({ type: 'chat', id: 'e', message: '' });
    const err = await c.next((f) => f.id === 'e', 'error for e');
    expect(err.type).toBe('error');
    expect(err.code).toBe('BAD_MESSAGE');
    expect(err.error).toContain('Bác');
    c.send({ type: 'chat', id: 'long', message: 'a'.repeat(1001) });
    const long = await c.next((f) => f.id === 'long', 'error for long');
    expect(long.code).toBe('BAD_MESSAGE');
    expect(long.error).toMatch(VIETNAMESE);
    c.send({ type: 'chat', id: 'num', message: 5 });
    const num = await c.next((f) => f.id === 'num', 'error for num');
    expect(num.code).toBe('BAD_MESSAGE');
    expect(num.error).toContain('chữ');
  });

  it('answers a ping with a pong', async () => {
    const c = await Client.connect(`ws://${base}/ws`);
    c.send({ type: 'ping', id: 'p1' });
    const pong = await c.next((f) => f.id === 'p1', 'pong');
    expect(pong.type).toBe('pong');
  });

  it('rate-limits a burst of more than 20 frames and stays up', async () => {
    const c = await Client.connect(`ws://${base}/ws`);
    const burst = 40;
    for (let i = 0; i < burst; i++) c.send({ type: 'ping', id: `b${i}` });
    const frames = await c.count(burst);
    const limited = frames.filter((f) => f.code === 'RATE_LIMITED');
    const pongs = frames.filter((f) => f.type === 'pong');
    expect(limited.length).toBeGreaterThan(0);
    expect(pongs.length).toBeGreaterThanOrEqual(20);
    expect(limited.length + pongs.length).toBe(burst);
    for (const f of limited) {
      expect(f.type).toBe('error');
      expect(f.error).toContain('Bác');
    }
    expect(c.closed).toBeUndefined();
    await expectServerUp();
    // Another connection has its own budget.
    const other = await Client.connect(`ws://${base}/ws`);
    other.send({ type: 'chat', id: 'x', message: 'cach kich hoat vneid' });
    expect((await other.next((f) => f.id === 'x', 'reply on another connection')).type).toBe('reply');
  });

  it('closes a connection that sends a frame over 16 KiB, and the server stays up', async () => {
    const c = await Client.connect(`ws://${base}/ws`);
    c.send(JSON.stringify({ type: 'chat', id: 'big', message: 'x'.repeat(17 * 1024) }));
    const closed = await c.whenClosed();
    expect(closed.code).toBe(1009); // Message Too Big
    expect(c.frames.find((f) => f.id === 'big')).toBeUndefined();
    await expectServerUp();
    const again = await Client.connect(`ws://${base}/ws`);
    again.send({ type: 'chat', id: 'ok', message: 'cach kich hoat vneid' });
    expect((await again.next((f) => f.id === 'ok', 'reply after the big frame')).kind).toBe('answer');
  });

  it('a frame just under 16 KiB is read (and refused as too long a message, not by closing)', async () => {
    const c = await Client.connect(`ws://${base}/ws`);
    c.send({ type: 'chat', id: 'near', message: 'x'.repeat(15 * 1024) });
    const err = await c.next((f) => f.id === 'near', 'error for near');
    expect(err.code).toBe('BAD_MESSAGE');
    expect(c.closed).toBeUndefined();
  });
});
