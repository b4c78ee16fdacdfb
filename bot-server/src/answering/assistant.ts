import type { Queryable } from '../db/index.js';
import type { Embedder } from '../embedding/embedder.js';
import type { LessonCatalog } from '../lessons/catalog.js';
import { type Lesson, toLessonRef } from '../lessons/schema.js';
import { LruCache } from '../retrieval/cache.js';
import { prepareQuery } from '../retrieval/query.js';
import { type LessonHit, rankLessons, searchChunks } from '../retrieval/search.js';
import {
  CLARIFY_TEXT,
  composeAnswer,
  composeSafety,
  OUT_OF_SCOPE_HEALTH_TEXT,
  OUT_OF_SCOPE_TEXT,
} from './compose.js';
import type { FallbackReason, GroundedWriter } from '../generation/writer.js';
import type { ChatReply, Choice } from './reply.js';
import { findSecrets, redact, SECRET_KINDS } from './secrets.js';
import { detectOutOfScope, detectScam, type ScopeVerdict } from './situations.js';
import { detectSmallTalk, SMALL_TALK_TEXT } from './smalltalk.js';

/** What the citizen can pick when the question says nothing yet ("giúp tôi với"). */
const TOPIC_CHOICES: Choice[] = [
  { label: 'Cài và dùng VNeID', message: 'Cách kích hoạt tài khoản VNeID' },
  { label: 'Dịch vụ công trực tuyến', message: 'Cách nộp hồ sơ dịch vụ công trực tuyến' },
  { label: 'Chuyển tiền, thanh toán', message: 'Cách chuyển khoản bằng điện thoại' },
  { label: 'Tránh lừa đảo', message: 'Cách nhận biết cuộc gọi lừa đảo' },
];

/**
 * Below these, retrieval found nothing that really matches: every source only returns its nearest
 * neighbours, so a weather question still "retrieves" something. Measured on the labelled sets (npm run eval).
 */
const MIN_TERM_COVERAGE = 0.5;
const MIN_TRIGRAM = 0.55;
const MIN_COSINE = 0.3;

export interface ReplyTrace {
  /** The message with personal data replaced: the only form that may be stored or logged. */
  redacted: string;
  terms: string[];
  ranked: { lessonId: string; score: number }[];
  /** When a language model was asked: what came of it (its text, or why the extractive answer was used). */
  generation?: { outcome: 'generated' | FallbackReason; ms: number };
}

export interface ReplyOptions {
  /** Receives a generated answer piece by piece while the model writes it (the final reply replaces it). */
  onDelta?: (text: string) => void;
}

export class Assistant {
  /**
   * Ranked results per prepared query, valid for the index this assistant was built on (a new index comes with
   * a new assistant). Promises, not results: identical questions arriving together share one search.
   */
  private readonly cache: LruCache<Promise<LessonHit[]>>;

  private readonly writer: GroundedWriter | undefined;

  constructor(
    private readonly db: Queryable,
    private readonly catalog: LessonCatalog,
    private embedder: Embedder,
    opts: { cacheSize?: number; writer?: GroundedWriter } = {},
  ) {
    this.cache = new LruCache(opts.cacheSize ?? 5000);
    this.writer = opts.writer;
  }

  /** Searches in another vector space from now on (a remote embedding space has become complete). */
  useEmbedder(embedder: Embedder): void {
    this.embedder = embedder;
    this.cache.clear();
  }

  get space(): string {
    return this.embedder.space;
  }

  cacheStats(): { size: number; hits: number; misses: number } {
    return { size: this.cache.size, hits: this.cache.hits, misses: this.cache.misses };
  }

  async reply(message: string, opts: ReplyOptions = {}): Promise<ChatReply> {
    return (await this.replyWithTrace(message, opts)).reply;
  }

  /** The reply and how it was reached (for logs, evaluation and tests). */
  async replyWithTrace(message: string, opts: ReplyOptions = {}): Promise<{ reply: ChatReply; trace: ReplyTrace }> {
    const text = message.normalize('NFC').trim();
    const findings = findSecrets(text);
    const redacted = redact(text, findings);
    const trace: ReplyTrace = { redacted, terms: [], ranked: [] };
    const done = (reply: ChatReply) => ({ reply, trace });

    // Safety first and deterministic: a secret in the message or a scam in progress.
    const sharedSecret = findings.some((f) => SECRET_KINDS.has(f.kind));
    const situation = sharedSecret ? 'secret_shared' : detectScam(redacted);
    if (situation) {
      const ranked = await this.rank(redacted, 'an-toan', trace);
      const lessons = ranked.map((h) => this.catalog.get(h.lessonId)).filter((l): l is Lesson => !!l);
      const lesson = lessons[0] ?? this.catalog.inTopic('an-toan')[0];
      return done({
        kind: 'safety',
        answer: composeSafety(situation, lesson),
        lessons: (lesson ? [lesson, ...lessons.slice(1, 3)] : []).map(toLessonRef),
        ...this.nextFor(lesson),
      });
    }

    const smallTalk = detectSmallTalk(redacted);
    if (smallTalk) return done({ kind: 'clarify', answer: SMALL_TALK_TEXT[smallTalk], lessons: [], choices: TOPIC_CHOICES });

    const scope = detectOutOfScope(redacted);
    if (scope) return done(this.outOfScope(scope));

    const ranked = await this.rank(redacted, undefined, trace);
    if (trace.terms.length === 0) return done({ kind: 'clarify', answer: CLARIFY_TEXT, lessons: [], choices: TOPIC_CHOICES });
    if (!this.isConfident(ranked, trace.terms)) return done(this.outOfScope('off_topic'));

    const top = ranked.slice(0, 3).map((h) => this.catalog.get(h.lessonId)!);
    if (this.isAmbiguous(ranked, trace.terms)) {
      return done({
        kind: 'clarify',
        answer: CLARIFY_TEXT,
        lessons: top.map(toLessonRef),
        choices: top.map((l) => ({ label: l.title, message: l.title })),
      });
    }
    const best = top[0]!;
    const extractive: ChatReply = { kind: 'answer', answer: composeAnswer(best, trace.terms), lessons: top.map(toLessonRef), ...this.nextFor(best) };
    if (!this.writer) return done(extractive);

    // Only here, after every deterministic decision, and only with the redacted question, is a model asked.
    const started = performance.now();
    const written = await this.writer.write(redacted, top, opts.onDelta);
    trace.generation = { outcome: written.ok ? 'generated' : written.reason, ms: performance.now() - started };
    if (!written.ok) return done(extractive);
    const cited = written.cited.map((id) => this.catalog.get(id)!);
    const lessons = [...cited, ...top.filter((l) => !written.cited.includes(l.id))].slice(0, 3);
    return done({ kind: 'answer', answer: written.text, lessons: lessons.map(toLessonRef), ...this.nextFor(lessons[0]), generated: true });
  }

  private async rank(text: string, topic: string | undefined, trace: ReplyTrace): Promise<LessonHit[]> {
    const q = prepareQuery(text, this.catalog.typos, this.catalog.commonSyllables);
    trace.terms = q.terms;
    if (q.terms.length === 0 && q.exactTsquery === '' && !topic) return [];
    const key = JSON.stringify([q.tsquery, q.exactTsquery, q.trigramText, topic ?? null]);
    let pending = this.cache.get(key);
    if (!pending) {
      pending = searchChunks(this.db, q, { embedder: this.embedder, topic }).then((hits) =>
        rankLessons(hits).filter((h) => this.catalog.get(h.lessonId)),
      );
      this.cache.set(key, pending);
      // A failed search is not remembered: the next question tries again.
      pending.catch(() => this.cache.delete(key));
    }
    const ranked = await pending;
    trace.ranked = ranked.slice(0, 5).map((h) => ({ lessonId: h.lessonId, score: h.score }));
    return ranked;
  }

  /** Enough evidence that a lesson is about this question (full-text match, close spelling or close vector). */
  private isConfident(ranked: LessonHit[], terms: string[]): boolean {
    const best = ranked[0];
    if (!best) return false;
    const known = terms.filter((t) => this.catalog.vocabulary.has(t)).length;
    if (known / terms.length < MIN_TERM_COVERAGE) return false;
    const top = best.chunks;
    return top.some((c) => c.fts > 0 || c.exact > 0) || top.some((c) => c.trigram >= MIN_TRIGRAM || c.cosine >= MIN_COSINE);
  }

  /** One vague word that fits lessons of different topics about equally ("tiền", "app"). */
  private isAmbiguous(ranked: LessonHit[], terms: string[]): boolean {
    if (terms.length > 1 || ranked.length < 2) return false;
    const [a, b] = ranked as [LessonHit, LessonHit];
    return this.catalog.get(a.lessonId)!.topic !== this.catalog.get(b.lessonId)!.topic && b.score >= 0.9 * a.score;
  }

  private outOfScope(verdict: NonNullable<ScopeVerdict>): ChatReply {
    return { kind: 'out_of_scope', answer: verdict === 'health' ? OUT_OF_SCOPE_HEALTH_TEXT : OUT_OF_SCOPE_TEXT, lessons: [] };
  }

  private nextFor(lesson: Lesson | undefined): Pick<ChatReply, 'next'> {
    const next = lesson && this.catalog.nextAfter(lesson.id);
    return next ? { next: { id: next.id, title: next.title } } : {};
  }
}
