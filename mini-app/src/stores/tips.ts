import { ApiError, fetchTips, markTipOpened } from '../services/api';
import type { Area, Tip } from '../services/types';
import { accountStore } from './account';
import { connection } from './chat';
import { createStore } from './store';

/**
 * The Tips feed: what the server lists for the learner's ward (and, signed in, for them), plus tips pushed live
 * over the WebSocket during this visit, which show at once in a banner, on the Tips tab's badge and in the feed.
 * Nothing here is kept on the device: the server's feed is the record, fetched again on every visit to the screen.
 */
export interface TipsState {
  /** The server's feed; null until it has been loaded once. */
  feed: Tip[] | null;
  /** Tips received live in this visit, newest first (some may also be in the feed once it is reloaded). */
  live: Tip[];
  loading: boolean;
  error: string;
  /** Live tips not yet seen on the Tips screen: the tab's badge. */
  unseen: string[];
  /** The newest live tip, shown in a banner on every other screen until seen or put away. */
  banner: Tip | null;
}

export const tipsStore = createStore<TipsState>({ feed: null, live: [], loading: false, error: '', unseen: [], banner: null });

/** Scam alerts first, then the newest: the server's own order, kept when live tips join the feed. */
export function byImportance(a: Tip, b: Tip): number {
  const alert = Number(b.priority === 'scam_alert') - Number(a.priority === 'scam_alert');
  return alert || b.publishedAt.localeCompare(a.publishedAt);
}

/** The feed as shown: the server's list and the live tips, each tip once (the newer copy of its state wins). */
export function visibleTips(s: TipsState): Tip[] | null {
  if (s.feed === null && s.live.length === 0) return null;
  const byId = new Map<string, Tip>();
  for (const t of s.live) byId.set(t.id, t);
  for (const t of s.feed ?? []) byId.set(t.id, { ...byId.get(t.id), ...t, opened: t.opened || byId.get(t.id)?.opened });
  return [...byId.values()].sort(byImportance);
}

let loadSeq = 0;

/** (Re)loads the server's feed for this ward; a slower, older request never overwrites a newer one. */
export async function loadTips(area: Area | null): Promise<void> {
  const seq = ++loadSeq;
  tipsStore.set((s) => ({ ...s, loading: true, error: '' }));
  try {
    const { tips } = await fetchTips(area);
    if (seq !== loadSeq) return;
    tipsStore.set((s) => ({ ...s, feed: tips, loading: false }));
  } catch (err) {
    if (seq !== loadSeq) return;
    tipsStore.set((s) => ({ ...s, loading: false, error: err instanceof ApiError ? err.message : 'Chưa tải được tin.' }));
  }
}

export function receiveLiveTip(tip: Tip): void {
  tipsStore.set((s) => ({
    ...s,
    live: [tip, ...s.live.filter((t) => t.id !== tip.id)],
    unseen: s.unseen.includes(tip.id) ? s.unseen : [...s.unseen, tip.id],
    banner: tip,
  }));
}

/** The learner is on the Tips screen: every live tip is in front of them, so the badge and banner go. */
export function markTipsSeen(): void {
  const s = tipsStore.get();
  if (s.unseen.length === 0 && s.banner === null) return;
  tipsStore.set((x) => ({ ...x, unseen: [], banner: null }));
}

export function dismissBanner(): void {
  tipsStore.set((s) => ({ ...s, banner: null }));
}

/** Ids reported (or being reported) as opened in this visit: each tip is told to the server once. */
const reported = new Set<string>();

/**
 * The signed-in learner has seen this tip on the Tips screen: the officer's report counts it as opened. Anonymous
 * citizens are not counted (the server has no delivery for them), and a failure is simply tried again next time.
 */
export function reportTipOpened(tip: Tip): void {
  if (tip.opened || reported.has(tip.id) || accountStore.get().status !== 'signed-in') return;
  reported.add(tip.id);
  markTipOpened(tip.id).then(
    () => {
      const mark = (list: Tip[]) => list.map((t) => (t.id === tip.id ? { ...t, opened: true } : t));
      tipsStore.set((s) => ({ ...s, feed: s.feed && mark(s.feed), live: mark(s.live) }));
    },
    () => reported.delete(tip.id),
  );
}

/** "Xóa dữ liệu của tôi": nothing of the learner's stays in memory either. */
export function clearTips(): void {
  reported.clear();
  tipsStore.set({ feed: null, live: [], loading: false, error: '', unseen: [], banner: null });
}

connection.onTip(receiveLiveTip);
