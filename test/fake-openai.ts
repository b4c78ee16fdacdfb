/**
 * A local server on 127.0.0.1 speaking the OpenAI wire format (POST /v1/chat/completions, streaming as
 * server-sent events or not, and POST /v1/embeddings), with replies scripted by each test. It stands in for a
 * hosted API, vLLM or Ollama; the code under test talks to it through the real `openai` client.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { embedText } from '../bot-server/src/embedding/hashing.js';

export interface ChatRequestBody {
  model: string;
  messages: { role: string; content: string }[];
  stream?: boolean;
}

export type ChatScript =
  | { text: string; pieceDelayMs?: number; firstDelayMs?: number }
  | { status: number; error: string };

export interface EmbeddingsRequestBody {
  model: string;
  input: string | string[];
  dimensions?: number;
}

export interface FakeOpenAI {
  baseURL: string;
  chatRequests: ChatRequestBody[];
  /** When each streamed reply sent its first word (Date.now()). */
  firstPieceAt: number[];
  embeddingRequests: EmbeddingsRequestBody[];
  /** Decides each chat reply; default: a short answer citing the first lesson in the prompt. */
  chat: (body: ChatRequestBody) => ChatScript;
  /** Decides each embeddings reply: undefined = vectors; a status = that error. */
  embeddings: (
    body: EmbeddingsRequestBody,
    n: number,
  ) => { status: number; retryAfter?: string } | { delayMs: number } | { dim: number } | undefined;
  close(): Promise<void>;
}

/** Lesson ids in the order the prompt lists them ("[id] title" lines). */
export function promptLessonIds(body: ChatRequestBody): string[] {
  const user = body.messages.find((m) => m.role === 'user')?.content ?? '';
  return [...user.matchAll(/^\[([a-z0-9-]+)\] /gm)].map((m) => m[1]!);
}

/** The citizen's question as it reached the model (between the <<< >>> delimiters). */
export function promptQuestion(body: ChatRequestBody): string {
  const user = body.messages.find((m) => m.role === 'user')?.content ?? '';
  return /<<<\n([\s\S]*)\n>>>/.exec(user)?.[1] ?? '';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function errorBody(message: string, type: string) {
  return { error: { message, type, param: null, code: null } };
}

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const fake: FakeOpenAI = {
    baseURL: '',
    chatRequests: [],
    firstPieceAt: [],
    embeddingRequests: [],
    chat: (body) => ({ text: `Bác làm theo các bước trong bài [${promptLessonIds(body)[0]}].` }),
    embeddings: () => undefined,
    close: async () => {},
  };
  const sockets = new Set<import('node:net').Socket>();

  const server: Server = createServer(async (req, res) => {
    try {
      if (req.method === 'POST' && req.url === '/v1/chat/completions') {
        const body = (await readBody(req)) as ChatRequestBody;
        fake.chatRequests.push(body);
        const script = fake.chat(body);
        if ('status' in script) return sendJson(res, script.status, errorBody(script.error, 'server_error'));
        const created = Math.floor(Date.now() / 1000);
        if (script.firstDelayMs) await sleep(script.firstDelayMs);
        if (!body.stream) {
          return sendJson(res, 200, {
            id: 'chatcmpl-fake',
            object: 'chat.completion',
            created,
            model: body.model,
            choices: [{ index: 0, message: { role: 'assistant', content: script.text }, finish_reason: 'stop', logprobs: null }],
            usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
          });
        }
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
        const chunk = (delta: object, finish: string | null) =>
          `data: ${JSON.stringify({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', created, model: body.model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
        res.write(chunk({ role: 'assistant', content: '' }, null));
        // Word by word, as models stream.
        let first = true;
        for (const piece of script.text.match(/\S+\s*/g) ?? []) {
          if (res.destroyed) return;
          res.write(chunk({ content: piece }, null));
          if (first) fake.firstPieceAt.push(Date.now());
          first = false;
          if (script.pieceDelayMs) await sleep(script.pieceDelayMs);
        }
        res.write(chunk({}, 'stop'));
        res.end('data: [DONE]\n\n');
        return;
      }
      if (req.method === 'POST' && req.url === '/v1/embeddings') {
        const body = (await readBody(req)) as EmbeddingsRequestBody;
        fake.embeddingRequests.push(body);
        const decision = fake.embeddings(body, fake.embeddingRequests.length);
        if (decision && 'status' in decision) {
          return sendJson(res, decision.status, errorBody('scripted failure', decision.status === 429 ? 'rate_limit_error' : 'server_error'), {
            ...(decision.retryAfter ? { 'retry-after': decision.retryAfter } : {}),
          });
        }
        if (decision && 'delayMs' in decision) await sleep(decision.delayMs);
        const inputs = Array.isArray(body.input) ? body.input : [body.input];
        const dim = decision && 'dim' in decision ? decision.dim : (body.dimensions ?? 64);
        return sendJson(res, 200, {
          object: 'list',
          model: body.model,
          data: inputs.map((text, index) => ({ object: 'embedding', index, embedding: embedText(text, dim) })),
          usage: { prompt_tokens: inputs.length, total_tokens: inputs.length },
        });
      }
      sendJson(res, 404, errorBody('not found', 'invalid_request_error'));
    } catch (err) {
      if (!res.headersSent) sendJson(res, 500, errorBody((err as Error).message, 'server_error'));
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  fake.baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  fake.close = () =>
    new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    });
  return fake;
}
