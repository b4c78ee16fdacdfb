import { ApiError, deleteChatHistory, fetchChatHistory } from '../services/api';
import { ChatConnection } from '../services/chat-connection';
import { describeServerFailure, ensureSession, onSessionChange, serverHasNoAccounts } from '../services/session';
import { readJson, writeJson } from '../services/storage';
import type { ChatHistoryEntry, ChatReply, LessonSummary } from '../services/types';
import { accountStore } from './account';
import { catalogueStore, loadCatalogue } from './catalogue';
import { createStore } from './store';

export interface ChatMessage {
  id: number;
  role: 'user' | 'assistant';
  text: string;
  /** When it was asked or answered (ms since 1970): the phone keeps a conversation for KEEP_DAYS. */
  at: number;
  reply?: ChatReply;
  /** A failed question keeps its text so the citizen can retry without typing again. */
  error?: string;
  /**
   * Not answered yet (in flight or failed): held in memory only. The server has not taken personal data out of it,
   * and a family phone is often shared.
   */
  unanswered?: true;
}

/** Earlier versions stored no `at`; their id came from Date.now() then, so it stands in for it. */
type StoredMessage = Omit<ChatMessage, 'at'> & { at?: number };

export interface ChatState {
  messages: ChatMessage[];
  busy: boolean;
  /** A model-written answer as it arrives, until the final reply replaces it. */
  draft: string;
}

export const CHAT_KEY = 'bhvs.chat';
const KEEP_MESSAGES = 40;
/** As long as the server keeps a signed-in learner's conversation (CHAT_HISTORY_DAYS). */
export const KEEP_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

const EMPTY: ChatState = { messages: [], busy: false, draft: '' };

export const chatStore = createStore<ChatState>(EMPTY, (s) => writeJson(CHAT_KEY, s.messages.filter((m) => !m.unanswered).slice(-KEEP_MESSAGES)));

/** Reads the conversation kept on the phone, without what is older than KEEP_DAYS (gone from storage too). */
export function hydrateChat(): void {
  const stored = readJson<StoredMessage[]>(CHAT_KEY, []);
  const messages = (Array.isArray(stored) ? stored : []).map((m) => ({ ...m, at: m.at ?? m.id }));
  chatStore.set({ ...EMPTY, messages: messages.filter(isRecent) });
}

const isRecent = (m: { at: number }): boolean => m.at >= Date.now() - KEEP_DAYS * DAY_MS;

export const connection = new ChatConnection();

let nextId = Date.now();

export async function ask(text: string): Promise<void> {
  const message = text.trim();
  if (!message || chatStore.get().busy) return;
  const question: ChatMessage = { id: nextId++, role: 'user', text: message, at: Date.now(), unanswered: true };
  chatStore.set((s) => ({ messages: [...s.messages, question], busy: true, draft: '' }));
  try {
    const reply = await connection.ask(message, (piece) => chatStore.set((s) => ({ ...s, draft: s.draft + piece })));
    // The question as the server kept it replaces what was typed: an ID number or OTP is not kept on the phone either.
    const kept: ChatMessage = { id: question.id, role: 'user', text: reply.asked ?? message, at: question.at };
    const answer: ChatMessage = { id: nextId++, role: 'assistant', text: reply.answer, reply, at: Date.now() };
    chatStore.set((s) => ({ busy: false, draft: '', messages: [...s.messages.map((m) => (m.id === question.id ? kept : m)), answer] }));
  } catch (err) {
    const error = err instanceof ApiError ? err.message : 'Có lỗi, bác bấm "Thử lại" nhé.';
    chatStore.set((s) => ({ busy: false, draft: '', messages: s.messages.map((m) => (m.id === question.id ? { ...m, error } : m)) }));
  }
}

/** Asks a failed question again. */
export async function retry(messageId: number): Promise<void> {
  const failed = chatStore.get().messages.find((m) => m.id === messageId);
  if (!failed) return;
  chatStore.set((s) => ({ ...s, messages: s.messages.filter((m) => m.id !== messageId) }));
  await ask(failed.text);
}

/**
 * Whether the server's copy still has to be looked at in this visit: only on a phone with nothing asked on it yet,
 * and never again once fetched or once the learner cleared the conversation (or it would come back).
 */
let historySettled = false;
let restoring: Promise<void> | undefined;

/**
 * A signed-in learner on a new phone gets their conversation from the server, as their progress follows them.
 * Offline or signed out nothing changes, and it is tried again on the next sign-in or when back online.
 */
export function restoreChatHistory(): Promise<void> {
  if (historySettled) return Promise.resolve();
  if (chatStore.get().messages.length > 0) {
    historySettled = true;
    return Promise.resolve();
  }
  restoring ??= fetchServerHistory().finally(() => {
    restoring = undefined;
  });
  return restoring;
}

async function fetchServerHistory(): Promise<void> {
  let entries: ChatHistoryEntry[];
  try {
    entries = (await fetchChatHistory()).messages;
  } catch {
    return;
  }
  // The titles of the cited lessons (the server keeps only their ids).
  if (entries.some((e) => e.lessonId)) await loadCatalogue();
  // Cleared while the history was on its way: it must not come back.
  if (historySettled) return;
  historySettled = true;
  const restored = messagesFromHistory(entries, catalogueStore.get().lessons);
  if (restored.length === 0) return;
  chatStore.set((s) => ({ ...s, messages: joinHistory(restored, s.messages).slice(-KEEP_MESSAGES) }));
}

/** The server's exchanges as the chat screen shows them: each question, then its answer with the lesson it cited. */
function messagesFromHistory(entries: ChatHistoryEntry[], lessons: LessonSummary[]): ChatMessage[] {
  return entries.flatMap((e) => {
    const at = Date.parse(e.at) || Date.now();
    const cited = e.lessonId ? lessons.find((l) => l.id === e.lessonId) : undefined;
    const reply: ChatReply = { kind: e.kind, answer: e.answer, lessons: cited ? [{ id: cited.id, title: cited.title, topic: cited.topic }] : [] };
    const pair: ChatMessage[] = [
      { id: nextId++, role: 'user', text: e.asked, at },
      { id: nextId++, role: 'assistant', text: e.answer, reply, at },
    ];
    return pair.filter(isRecent);
  });
}

/**
 * The server's conversation before what was asked on this phone while it was being fetched; an exchange the server
 * had already recorded is not shown twice.
 */
function joinHistory(restored: ChatMessage[], local: ChatMessage[]): ChatMessage[] {
  if (local.length === 0) return restored;
  const exchange = (q: ChatMessage | undefined, a: ChatMessage | undefined) => `${q?.text}\u0000${a?.text}`;
  const onPhone = new Set(local.map((m, i) => exchange(m, local[i + 1])));
  const older: ChatMessage[] = [];
  for (let i = 0; i < restored.length; i += 2) {
    if (!onPhone.has(exchange(restored[i], restored[i + 1]))) older.push(...restored.slice(i, i + 2));
  }
  return [...older, ...local];
}

onSessionChange((event) => {
  if (event) void restoreChatHistory();
});

if (typeof window !== 'undefined') {
  // A saved session does not sign in again, so a phone that started offline fetches once it is back online.
  window.addEventListener('online', () => {
    if (accountStore.get().status === 'signed-in') void restoreChatHistory();
  });
}

/** Forgets the conversation on this phone only (the server's copy, if any, is left as it is). */
export function clearChat(): void {
  historySettled = true;
  chatStore.set(EMPTY);
}

/** onServer: false when the server never accepted this identity, so it holds no conversation of it. */
export type ChatClearing = { ok: true; onServer: boolean } | { ok: false; problem: string };

/**
 * "Xóa các câu đã hỏi": the server's copy first; when it cannot be cleared the phone keeps its copy too, so that the
 * learner is never told it is gone when it is not.
 */
export async function clearChatEverywhere(): Promise<ChatClearing> {
  // Erased with the learner ("Xóa dữ liệu của tôi"): there is nothing left on the server.
  if (accountStore.get().status === 'erased') {
    clearChat();
    return { ok: true, onServer: true };
  }
  const token = await ensureSession();
  if (!token && serverHasNoAccounts()) {
    clearChat();
    return { ok: true, onServer: false };
  }
  try {
    await deleteChatHistory();
  } catch (err) {
    return { ok: false, problem: describeServerFailure(err) };
  }
  clearChat();
  return { ok: true, onServer: true };
}
