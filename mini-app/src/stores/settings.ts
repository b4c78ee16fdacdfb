import { readJson, writeJson } from '../services/storage';
import { createStore } from './store';

/** Text size steps: 100% to 200% of an 18px base. */
export const TEXT_SCALES = [1, 1.25, 1.5, 1.75, 2] as const;
export const SPEECH_RATES = [
  { value: 0.7, label: 'Chậm' },
  { value: 0.9, label: 'Vừa' },
  { value: 1.1, label: 'Nhanh' },
] as const;

export interface Area {
  province: string;
  ward: string;
}

export interface Settings {
  textScale: number;
  highContrast: boolean;
  speechRate: number;
  area: Area | null;
}

export const SETTINGS_KEY = 'bhvs.settings';
const DEFAULTS: Settings = { textScale: 1, highContrast: false, speechRate: 0.9, area: null };

export const settingsStore = createStore<Settings>(
  { ...DEFAULTS },
  (s) => {
    writeJson(SETTINGS_KEY, s);
    applySettingsToPage(s);
  },
);

/** Reads saved settings once storage is open (nativeStorage inside Zalo is only known after start-up). */
export function hydrateSettings(): void {
  settingsStore.set({ ...DEFAULTS, ...readJson<Partial<Settings>>(SETTINGS_KEY, {}) });
}

export function updateSettings(patch: Partial<Settings>): void {
  settingsStore.set((s) => ({ ...s, ...patch }));
}

export function resetSettings(): void {
  settingsStore.set({ ...DEFAULTS });
}

/** Text size is the root font size (everything is sized in rem); contrast is a class on <html>. */
export function applySettingsToPage(s: Settings): void {
  const root = document.documentElement;
  root.style.fontSize = `${18 * s.textScale}px`;
  root.classList.toggle('high-contrast', s.highContrast);
}
