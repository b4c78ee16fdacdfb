/**
 * Read-aloud (speechSynthesis, vi-VN) and voice input (Web Speech recognition where the browser has it).
 * Many cheap Android phones have no Vietnamese voice: callers show a visible message instead of staying silent.
 */

export type SpeakResult = 'speaking' | 'no-voice' | 'unsupported';

function synth(): SpeechSynthesis | undefined {
  return typeof window !== 'undefined' && 'speechSynthesis' in window ? window.speechSynthesis : undefined;
}

/** Voices load asynchronously in Chromium: wait briefly for them. */
function loadVoices(s: SpeechSynthesis): Promise<SpeechSynthesisVoice[]> {
  const now = s.getVoices();
  if (now.length > 0) return Promise.resolve(now);
  return new Promise((resolve) => {
    const done = () => resolve(s.getVoices());
    s.addEventListener('voiceschanged', done, { once: true });
    setTimeout(done, 1000);
  });
}

export async function findVietnameseVoice(): Promise<SpeechSynthesisVoice | undefined> {
  const s = synth();
  if (!s) return undefined;
  const voices = await loadVoices(s);
  return voices.find((v) => v.lang.toLowerCase().replace('_', '-').startsWith('vi'));
}

/** Turns "1. Mở..." lines into "Bước 1. Mở..." so that the engine reads numbers as steps. */
export function prepareForSpeech(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/^(\d+)\.\s+/, 'Bước $1. '))
    .join('\n')
    .replace(/[«»"“”]/g, '');
}

export async function speak(text: string, rate: number, onEnd?: () => void): Promise<SpeakResult> {
  const s = synth();
  if (!s || typeof SpeechSynthesisUtterance === 'undefined') return 'unsupported';
  const voice = await findVietnameseVoice();
  if (!voice) return 'no-voice';
  s.cancel();
  const u = new SpeechSynthesisUtterance(prepareForSpeech(text));
  u.lang = 'vi-VN';
  u.voice = voice;
  u.rate = rate;
  if (onEnd) {
    u.onend = onEnd;
    u.onerror = onEnd;
  }
  s.speak(u);
  return 'speaking';
}

export function stopSpeaking(): void {
  synth()?.cancel();
}

export const NO_VOICE_MESSAGE =
  'Máy của bác chưa có giọng đọc tiếng Việt. Bác vào Cài đặt của điện thoại, mục Chuyển văn bản thành giọng nói, để tải giọng tiếng Việt.';
export const NO_SPEECH_MESSAGE = 'Trình duyệt này chưa đọc được thành tiếng. Bác thử mở bằng Zalo hoặc Chrome.';

interface Recognition {
  lang: string;
  interimResults: boolean;
  maxAlternatives: number;
  onresult: ((ev: { results: ArrayLike<ArrayLike<{ transcript: string }>> }) => void) | null;
  onerror: ((ev: { error: string }) => void) | null;
  onend: (() => void) | null;
  start(): void;
  stop(): void;
}

function recognitionConstructor(): (new () => Recognition) | undefined {
  const w = window as unknown as { SpeechRecognition?: new () => Recognition; webkitSpeechRecognition?: new () => Recognition };
  return w.SpeechRecognition ?? w.webkitSpeechRecognition;
}

export function canListen(): boolean {
  return typeof window !== 'undefined' && recognitionConstructor() !== undefined;
}

/** Listens once in Vietnamese; resolves with what was heard ('' when nothing). */
export function listenOnce(): { result: Promise<string>; stop: () => void } {
  const Ctor = recognitionConstructor();
  if (!Ctor) return { result: Promise.reject(new Error('unsupported')), stop: () => {} };
  const r = new Ctor();
  r.lang = 'vi-VN';
  r.interimResults = false;
  r.maxAlternatives = 1;
  const result = new Promise<string>((resolve, reject) => {
    let heard = '';
    r.onresult = (ev) => {
      heard = ev.results[0]?.[0]?.transcript ?? '';
    };
    r.onerror = (ev) => reject(new Error(ev.error));
    r.onend = () => resolve(heard.trim());
  });
  r.start();
  return { result, stop: () => r.stop() };
}
