import OpenAI from 'openai';
import type { Lesson } from '../lessons/schema.js';
import { checkAnswer, findViolation, removeCitations, type Violation } from './check.js';
import { buildMessages, formatLesson } from './prompt.js';

export interface WriterOptions {
  baseURL: string;
  apiKey: string;
  model: string;
  /** The whole generation, first byte to last; past it the citizen gets the extractive answer. */
  timeoutMs: number;
}

export type FallbackReason = 'timeout' | 'error' | 'empty' | 'uncited' | 'unknown_citation' | 'ungrounded' | Violation;

export type Written = { ok: true; text: string; cited: string[] } | { ok: false; reason: FallbackReason };

/**
 * Words held back while streaming: an instruction ("gửi mã OTP") is judged only once the words after its verb
 * have arrived, so nothing unsafe reaches the screen before the check can stop it.
 */
const HOLD_BACK_WORDS = 4;

/**
 * Writes a warmer answer from the retrieved lessons with an OpenAI-compatible chat model (OpenAI, vLLM, Ollama…),
 * streaming it as it comes. Every failure (timeout, HTTP error, unsafe or uncited text) is a reason to fall back,
 * never an error for the citizen.
 */
export class GroundedWriter {
  private readonly client: OpenAI;

  constructor(private readonly opts: WriterOptions) {
    // No retries: a retry would spend the citizen's waiting time; the extractive answer is the fallback.
    this.client = new OpenAI({ baseURL: opts.baseURL, apiKey: opts.apiKey || 'unused', maxRetries: 0, timeout: opts.timeoutMs });
  }

  get model(): string {
    return this.opts.model;
  }

  async write(question: string, lessons: Lesson[], onDelta?: (text: string) => void): Promise<Written> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.opts.timeoutMs);
    let raw = '';
    let shown = 0;
    try {
      const messages = await buildMessages(question, lessons);
      const stream = await this.client.chat.completions.create(
        { model: this.opts.model, messages, stream: true, temperature: 0.2, max_tokens: 600 },
        { signal: controller.signal },
      );
      for await (const chunk of stream) {
        raw += chunk.choices[0]?.delta?.content ?? '';
        const violation = findViolation(raw);
        if (violation) {
          controller.abort();
          return { ok: false, reason: violation };
        }
        if (onDelta) shown = this.emit(raw, shown, onDelta, false);
      }
      // An aborted stream may simply end: past the deadline, what arrived is incomplete.
      if (controller.signal.aborted) return { ok: false, reason: 'timeout' };
    } catch {
      return { ok: false, reason: controller.signal.aborted ? 'timeout' : 'error' };
    } finally {
      clearTimeout(timer);
    }
    if (!raw.trim()) return { ok: false, reason: 'empty' };
    const verdict = checkAnswer(raw, { ids: lessons.map((l) => l.id), source: lessons.map(formatLesson).join('\n') });
    if (!verdict.ok) return verdict;
    if (onDelta) this.emit(raw, shown, onDelta, true);
    return { ok: true, text: removeCitations(raw), cited: verdict.cited };
  }

  /** Sends what is safe to show so far, without citation markers; returns how much of `raw` has been shown. */
  private emit(raw: string, shown: number, onDelta: (text: string) => void, final: boolean): number {
    let upTo = raw.length;
    if (!final) {
      const words = [...raw.matchAll(/\S+\s*/g)];
      if (words.length <= HOLD_BACK_WORDS) return shown;
      upTo = words[words.length - HOLD_BACK_WORDS]!.index;
    }
    // Never cut inside a citation marker.
    const open = raw.lastIndexOf('[', upTo);
    if (open >= shown && raw.indexOf(']', open) === -1) upTo = open;
    if (upTo <= shown) return shown;
    const piece = raw.slice(shown, upTo).replace(/\s*\[[a-z0-9-]*\]?/g, '');
    if (piece) onDelta(piece);
    return upTo;
  }
}
