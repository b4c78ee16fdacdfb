import { API_BASE, ApiError, askOverHttp } from './api';
import { currentToken, onSessionChange, renewSession } from './session';
import type { ChatReply, Tip } from './types';

type Pending = {
  resolve: (r: ChatReply) => void;
  reject: (e: Error) => void;
  message: string;
  timer: ReturnType<typeof setTimeout>;
  onDelta?: (text: string) => void;
};

/**
 * How long to wait for a WebSocket reply (or the next piece of a streamed one) before asking again over HTTP.
 * Longer than the server's model timeout (LLM_TIMEOUT_MS, 8 s by default), after which the server itself answers
 * with the offline text: asking twice would only make the citizen wait twice.
 */
const WS_REPLY_TIMEOUT_MS = 12_000;
const MAX_BACKOFF_MS = 15_000;

/**
 * Chat over the WebSocket, with HTTP as the fallback: when the socket is down (or drops while a question is in
 * flight) the question goes over POST /api/chat, so the citizen always gets an answer while the socket reconnects.
 * A browser cannot send headers with a WebSocket, so a signed-in learner's session goes in an 'auth' frame on every
 * (re)connect and whenever the session changes.
 */
export class ChatConnection {
  private ws: WebSocket | undefined;
  private attempts = 0;
  private nextId = 1;
  private readonly pending = new Map<string, Pending>();
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  /** The token the server was last sent on this socket. */
  private sentToken: string | undefined;
  private readonly tipListeners = new Set<(tip: Tip) => void>();

  constructor(private readonly url: string = websocketUrl()) {
    onSessionChange((event) => this.authenticate(event?.token));
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    this.ws?.close();
  }

  /**
   * An officer's tip pushed live to this signed-in learner ({type:'tip'} frames: the server attaches a socket to its
   * learner on the 'auth' frame, so only a signed-in app receives them).
   */
  onTip(listener: (tip: Tip) => void): () => void {
    this.tipListeners.add(listener);
    return () => this.tipListeners.delete(listener);
  }

  /** onDelta receives a model-written answer as it streams (WebSocket only); the resolved reply replaces it. */
  async ask(message: string, onDelta?: (text: string) => void): Promise<ChatReply> {
    // No waiting for the server to acknowledge an 'auth' frame: it handles a socket's frames in order, so a question
    // sent after it is answered for the signed-in learner (on slow 3G, one round trip saved).
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return askOverHttp(message);
    const id = String(this.nextId++);
    return new Promise<ChatReply>((resolve, reject) => {
      const timer = setTimeout(() => this.fallBackToHttp(id), WS_REPLY_TIMEOUT_MS);
      this.pending.set(id, { resolve, reject, message, timer, onDelta });
      try {
        ws.send(JSON.stringify({ type: 'chat', id, message }));
      } catch {
        this.fallBackToHttp(id);
      }
    });
  }

  private connect(): void {
    if (this.stopped) return;
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      this.attempts = 0;
      this.authenticate(currentToken());
    };
    ws.onmessage = (ev) => this.handleFrame(ev.data);
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = undefined;
      this.sentToken = undefined;
      for (const id of [...this.pending.keys()]) this.fallBackToHttp(id);
      this.scheduleReconnect();
    };
    ws.onerror = () => ws.close();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** this.attempts) * (0.75 + Math.random() * 0.5);
    this.attempts++;
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  /** Tells the server who is asking (once per token per socket); nothing to do without a session. */
  private authenticate(token: string | undefined): void {
    const ws = this.ws;
    if (!token || token === this.sentToken || !ws || ws.readyState !== WebSocket.OPEN) return;
    this.sentToken = token;
    try {
      ws.send(JSON.stringify({ type: 'auth', token }));
    } catch {
      this.sentToken = undefined;
    }
  }

  /** The server refused the session (expired, or the learner was erased): sign in again, then say so again. */
  private onAuthRefused(): void {
    const rejected = this.sentToken;
    this.sentToken = undefined;
    if (!rejected) return;
    void renewSession(rejected).then((token) => this.authenticate(token));
  }

  private handleFrame(data: unknown): void {
    let frame: { type?: string; id?: string; error?: string; text?: string; ok?: boolean; tip?: unknown } & Partial<ChatReply>;
    try {
      frame = JSON.parse(String(data));
    } catch {
      return;
    }
    if (frame.type === 'tip') {
      const tip = readTip(frame.tip);
      if (tip) for (const l of this.tipListeners) l(tip);
      return;
    }
    if (frame.type === 'auth') {
      // Also sent unprompted when a session expires between questions.
      if (frame.ok === false) this.onAuthRefused();
      return;
    }
    const p = frame.id ? this.pending.get(frame.id) : undefined;
    if (!p || !frame.id) return;
    if (frame.type === 'delta') {
      // The model is writing: the answer is on its way, so the wait starts again.
      clearTimeout(p.timer);
      const id = frame.id;
      p.timer = setTimeout(() => this.fallBackToHttp(id), WS_REPLY_TIMEOUT_MS);
      if (typeof frame.text === 'string') p.onDelta?.(frame.text);
      return;
    }
    this.pending.delete(frame.id);
    clearTimeout(p.timer);
    if (frame.type === 'reply') {
      const { type: _t, id: _i, ...reply } = frame;
      p.resolve(reply as ChatReply);
    } else {
      p.reject(new ApiError(frame.error || 'Có lỗi, bác thử lại nhé.', 400, true));
    }
  }

  private fallBackToHttp(id: string): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    askOverHttp(p.message).then(p.resolve, p.reject);
  }
}

/** A tip frame's tip, if it has the shape the screens rely on; anything else is dropped rather than half shown. */
export function readTip(value: unknown): Tip | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const t = value as Record<string, unknown>;
  const text = (k: string) => typeof t[k] === 'string';
  if (!text('id') || !text('title') || !text('body') || !text('publishedAt')) return undefined;
  if (t.priority !== 'normal' && t.priority !== 'scam_alert') return undefined;
  if (t.lessonId !== undefined && !text('lessonId')) return undefined;
  return {
    id: t.id as string,
    title: t.title as string,
    body: t.body as string,
    priority: t.priority,
    publishedAt: t.publishedAt as string,
    ...(t.lessonId ? { lessonId: t.lessonId as string } : {}),
  };
}

function websocketUrl(): string {
  const base = API_BASE ? new URL(API_BASE) : new URL(window.location.href);
  const proto = base.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${base.host}/ws`;
}
