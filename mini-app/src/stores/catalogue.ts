import { fetchCatalogue } from '../services/api';
import type { LessonSummary, TopicInfo } from '../services/types';
import { createStore } from './store';

export interface CatalogueState {
  topics: TopicInfo[];
  lessons: LessonSummary[];
  status: 'idle' | 'loading' | 'ready' | 'error';
  error?: string;
}

export const catalogueStore = createStore<CatalogueState>({ topics: [], lessons: [], status: 'idle' });

/** Loads the lesson list once; a failed load can be retried. */
export async function loadCatalogue(force = false): Promise<void> {
  const s = catalogueStore.get();
  if (!force && (s.status === 'loading' || s.status === 'ready')) return;
  catalogueStore.set((c) => ({ ...c, status: 'loading', error: undefined }));
  try {
    const { topics, lessons } = await fetchCatalogue();
    catalogueStore.set({ topics, lessons, status: 'ready' });
  } catch (err) {
    catalogueStore.set((c) => ({ ...c, status: 'error', error: (err as Error).message }));
  }
}
