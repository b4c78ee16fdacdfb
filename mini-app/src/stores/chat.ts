import { ApiError } from '../services/api';
import { ChatConnection } from '../services/chat-connection';
import { readJson, writeJson } from '../services/storage';
import type { ChatReply } from '../services/types';
import { createStore } from './store';

export interface ChatMessage {
  id: number;
  role: 'user' | 'assistant';
  text: string;
  reply?: ChatReply;
  /** A failed question keeps its text so the citizen can retry without typing again. */
  error?: string;
}

export interface ChatState {
  messages: ChatMessage[];
  busy: boolean;
  /** A model-written answer as it arrives, until the final reply replaces it. */
  draft: string;
}

export const CHAT_KEY = 'bhvs.chat';
const KEEP_MESSAGES = 40;

export const chatStore = createStore<ChatState>(
  { messages: [], busy: false, draft: '' },
  (s) => writeJson(CHAT_KEY, s.messages.slice(-KEEP_MESSAGES)),
);

export function hydrateChat(): void {
  chatStore.set({ messages: readJson<ChatMessage[]>(CHAT_KEY, []), busy: false, draft: '' });
}

export const connection = new ChatConnection();

let nextId = Date.now();

export async function ask(text: string): Promise<void> {
  const message = text.trim();
  if (!message || chatStore.get().busy) return;
  const question: ChatMessage = { id: nextId++, role: 'user', text: message };
  chatStore.set((s) => ({ messages: [...s.messages, question], busy: true, draft: '' }));
  try {
    const reply = await connection.ask(message, (piece) => chatStore.set((s) => ({ ...s, draft: s.draft + piece })));
    chatStore.set((s) => ({ busy: false, draft: '', messages: [...s.messages, { id: nextId++, role: 'assistant', text: reply.answer, reply }] }));
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

export function clearChat(): void {
  chatStore.set({ messages: [], busy: false, draft: '' });
}
