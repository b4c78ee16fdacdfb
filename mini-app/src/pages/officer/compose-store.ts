import type { Broadcast, Draft, Preview, Priority } from '../../services/officer-types';
import { fromVnInput } from '../../services/vn-time';
import { createStore } from '../../stores/store';

const DAY_MS = 86_400_000;
export const TITLE_MAX = 80;
export const BODY_MAX = 500;
/** How long a tip stays in the feed; the server's default is 14 days, and it allows up to 90. */
export const EXPIRY_DAYS = [1, 3, 7, 14, 30, 60] as const;
const DEFAULT_EXPIRY_DAYS = 14;

/** The officer's draft as the form holds it (strings as typed; turned into the API's draft by toDraft). */
export interface ComposeForm {
  title: string;
  body: string;
  priority: Priority;
  wards: string[];
  lessonId: string;
  /** Everyone in the wards, or only those interested in a topic, or only those who have not finished a lesson. */
  narrowing: 'all' | 'topic' | 'unfinished';
  topic: string;
  unfinishedLesson: string;
  when: 'now' | 'later';
  /** A datetime-local value read as Vietnam time. */
  sendAt: string;
  expiryDays: number;
}

export interface ComposeState {
  form: ComposeForm;
  step: 'edit' | 'preview' | 'sent';
  preview: Preview | null;
  /** Why the draft cannot go yet: the server's list (BAD_DRAFT) or the form's own, in Vietnamese. */
  problems: string[];
  busy: boolean;
  sent: Broadcast | null;
}

export const EMPTY_FORM: ComposeForm = {
  title: '',
  body: '',
  priority: 'normal',
  wards: [],
  lessonId: '',
  narrowing: 'all',
  topic: '',
  unfinishedLesson: '',
  when: 'now',
  sendAt: '',
  expiryDays: DEFAULT_EXPIRY_DAYS,
};

/**
 * In memory for the visit: an officer who opens the attached lesson from the preview, or looks at another tab,
 * comes back to the draft as they left it. Not kept on the device (a shared phone should not keep a draft).
 */
export const composeStore = createStore<ComposeState>({ form: EMPTY_FORM, step: 'edit', preview: null, problems: [], busy: false, sent: null });

/** Any change to the form: the preview no longer shows what would be sent, so it is set aside. */
export function editForm(patch: Partial<ComposeForm>): void {
  composeStore.set((s) => ({ ...s, form: { ...s.form, ...patch }, step: 'edit', preview: null }));
}

export function resetCompose(wards: string[] = []): void {
  composeStore.set({ form: { ...EMPTY_FORM, wards }, step: 'edit', preview: null, problems: [], busy: false, sent: null });
}

/** Characters as the server counts them: after NFC normalisation and trimming. */
export function charCount(text: string): number {
  return text.normalize('NFC').trim().length;
}

/** The API's draft, or the problems the form can see by itself (said the way the server would). */
export function toDraft(f: ComposeForm, now = Date.now()): { draft: Draft; problems: [] } | { draft?: undefined; problems: string[] } {
  const problems: string[] = [];
  if (f.wards.length === 0) problems.push('Người nhận: bác chọn ít nhất một phường, xã.');
  if (f.narrowing === 'topic' && !f.topic) problems.push('Người nhận: bác chọn chủ đề.');
  if (f.narrowing === 'unfinished' && !f.unfinishedLesson) problems.push('Người nhận: bác chọn bài học.');
  const sendAt = f.when === 'later' ? fromVnInput(f.sendAt) : undefined;
  if (f.when === 'later' && !sendAt) problems.push('Thời điểm gửi: bác chọn ngày và giờ gửi.');
  if (problems.length > 0) return { problems };
  const start = sendAt ? Date.parse(sendAt) : now;
  const draft: Draft = {
    title: f.title,
    body: f.body,
    priority: f.priority,
    audience: {
      wards: f.wards,
      ...(f.narrowing === 'topic' ? { topic: f.topic } : {}),
      ...(f.narrowing === 'unfinished' ? { unfinishedLesson: f.unfinishedLesson } : {}),
    },
    ...(f.lessonId ? { lessonId: f.lessonId } : {}),
    ...(sendAt ? { sendAt } : {}),
    // The server's default when left out; otherwise counted from the sending time.
    ...(f.expiryDays !== DEFAULT_EXPIRY_DAYS ? { expiresAt: new Date(start + f.expiryDays * DAY_MS).toISOString() } : {}),
  };
  return { draft, problems: [] };
}
