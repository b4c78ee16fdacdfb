/**
 * Streaming latency for npm run bench: how long after the model's first word the citizen's WebSocket gets its
 * first piece of text, with a local OpenAI-compatible server writing one word every 50 ms (a modest model).
 */
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { buildApp } from '../../bot-server/src/app.js';
import { promptLessonIds, startFakeOpenAI } from '../../test/fake-openai.js';
import { openTestContext } from '../../test/helpers.js';

export async function measureStreaming(questions: string[]): Promise<{ firstPieceMs: number[]; totalMs: number[] }> {
  const fake = await startFakeOpenAI();
  const text = 'Dạ, bác làm thế này nhé. 1. Mở ứng dụng. 2. Chọn mục cần làm. 3. Đọc kỹ rồi mới bấm xác nhận.';
  fake.chat = (body) => ({ text: `${text} [${promptLessonIds(body)[0]}]`, pieceDelayMs: 50 });
  const ctx = await openTestContext({ llm: { baseURL: fake.baseURL, apiKey: '', model: 'bench', timeoutMs: 8000 } });
  const app = await buildApp(ctx);
  const firstPieceMs: number[] = [];
  const totalMs: number[] = [];
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const ws = new WebSocket(`ws://127.0.0.1:${(app.server.address() as AddressInfo).port}/ws`);
    await new Promise((r) => ws.once('open', r));
    for (const [i, message] of questions.entries()) {
      const sent = Date.now();
      let firstDelta = 0;
      const kind = await new Promise<string>((resolve) => {
        const onMessage = (d: WebSocket.RawData) => {
          const f = JSON.parse(d.toString());
          if (f.id !== String(i)) return;
          if (f.type === 'delta' && !firstDelta) firstDelta = Date.now();
          if (f.type !== 'delta') {
            ws.off('message', onMessage);
            resolve(f.generated ? 'generated' : f.kind);
          }
        };
        ws.on('message', onMessage);
        ws.send(JSON.stringify({ type: 'chat', id: String(i), message }));
      });
      if (kind !== 'generated' || !firstDelta) continue;
      firstPieceMs.push(firstDelta - fake.firstPieceAt.at(-1)!);
      totalMs.push(Date.now() - sent);
    }
    ws.close();
  } finally {
    await app.close();
    await fake.close();
  }
  return { firstPieceMs, totalMs };
}
