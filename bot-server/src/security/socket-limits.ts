/** Close codes (RFC 6455): 1008 policy violation, 1013 try again later. */
export const CLOSE_FLOODING = 1008;
export const CLOSE_TOO_MANY = 1013;
/** Close reasons are at most 123 bytes of UTF-8; both are well under. */
export const TOO_MANY_CONNECTIONS = 'Có quá nhiều kết nối, bác thử lại sau ít phút nhé.';
export const FLOODING = 'Bác gửi quá nhiều tin nhắn, bác mở lại ứng dụng sau ít phút nhé.';

/** Per socket: enough for a person, too little for a script hammering one socket. */
const BURST = 20;
const REFILL_PER_SECOND = 2;
/** Frames refused in a row before the socket is closed: a person stops after a few "too fast" replies. */
const REFUSED_BEFORE_CLOSE = 50;

export interface SocketLimitOptions {
  perAddress: number;
  total: number;
}

/**
 * How many WebSockets are open, per address and in all. The mini app falls back to HTTP when its socket is
 * refused, so a refused socket costs a citizen nothing but speed.
 */
export class SocketLimits {
  private readonly byAddress = new Map<string, number>();
  private open = 0;

  constructor(private readonly opts: SocketLimitOptions) {}

  /** Counts a new socket in; returns a release function, or undefined when a limit is reached. */
  admit(address: string): (() => void) | undefined {
    const mine = this.byAddress.get(address) ?? 0;
    if (mine >= this.opts.perAddress || this.open >= this.opts.total) return undefined;
    this.byAddress.set(address, mine + 1);
    this.open++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.open--;
      const left = (this.byAddress.get(address) ?? 1) - 1;
      if (left <= 0) this.byAddress.delete(address);
      else this.byAddress.set(address, left);
    };
  }

  get openSockets(): number {
    return this.open;
  }
}

/** One socket's frame budget: a token bucket, and a count of frames refused in a row. */
export class FrameBudget {
  private tokens = BURST;
  private last = Date.now();
  private refusedInARow = 0;

  /** 'ok' to handle the frame, 'refuse' to answer "too fast", 'close' when the sender keeps flooding. */
  take(now = Date.now()): 'ok' | 'refuse' | 'close' {
    this.tokens = Math.min(BURST, this.tokens + ((now - this.last) / 1000) * REFILL_PER_SECOND);
    this.last = now;
    if (this.tokens < 1) return ++this.refusedInARow >= REFUSED_BEFORE_CLOSE ? 'close' : 'refuse';
    this.tokens -= 1;
    this.refusedInARow = 0;
    return 'ok';
  }
}
