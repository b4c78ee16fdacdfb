/**
 * A WebSocket client for tests (the `ws` package): it queues every frame it receives, so a test can wait for the
 * ones it expects, and records how the server closed the socket.
 */
import WebSocket from 'ws';

export interface Frame {
  type: 'reply' | 'error' | 'pong' | 'auth' | 'tip' | 'delta';
  id?: string | number;
  kind?: string;
  answer?: string;
  lessons?: { id: string; title: string; topic: string }[];
  error?: string;
  code?: string;
  [key: string]: unknown;
}

/** A client that queues every frame it receives, so a test can wait for the ones it expects. */
export class Client {
  readonly frames: Frame[] = [];
  readonly raw: string[] = [];
  private waiters: (() => void)[] = [];
  closed?: { code: number; reason: string };

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const text = data.toString();
      this.raw.push(text);
      this.frames.push(JSON.parse(text) as Frame);
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
    // A protocol error (e.g. a close frame) is reported as 'close' too; keep it from becoming unhandled.
    ws.on('error', () => {});
  }

  static async connect(url: string, opts: WebSocket.ClientOptions = {}): Promise<Client> {
    const ws = new WebSocket(url, opts);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const client = new Client(ws);
    openClients.push(client);
    return client;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private async until<T>(check: () => T | undefined, what: string): Promise<T> {
    for (;;) {
      const found = check();
      if (found !== undefined) return found;
      if (this.closed) throw new Error(`connection closed (${this.closed.code}) while waiting for ${what}`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  send(payload: unknown): void {
    this.ws.send(typeof payload === 'string' ? payload : JSON.stringify(payload));
  }

  /** The first received frame (from index `from`) that matches. */
  next(match: (f: Frame) => boolean, what = 'a frame', from = 0): Promise<Frame> {
    return this.until(() => this.frames.slice(from).find(match), what);
  }

  /** Waits until `n` frames have arrived in total. */
  count(n: number): Promise<Frame[]> {
    return this.until(() => (this.frames.length >= n ? this.frames.slice(0, n) : undefined), `${n} frames`);
  }

  whenClosed(): Promise<{ code: number; reason: string }> {
    return this.until(() => this.closed, 'close');
  }
}


const openClients: Client[] = [];

/** Closes every client still open (for afterEach). */
export function closeClients(): void {
  for (const c of openClients.splice(0)) if (c.ws.readyState === WebSocket.OPEN) c.ws.close();
}
