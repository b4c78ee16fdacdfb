import { foldVietnamese } from '../text/fold.js';

/**
 * Deterministic checks on what a language model wrote, applied while it streams and again at the end. The model
 * is told the rules, but only these checks decide: a prompt injection can change what the model writes, never
 * what passes.
 */

/** Citations are lesson ids in square brackets: "[vneid-kich-hoat]". */
const CITATION = /\[([a-z0-9]+(?:-[a-z0-9]+)*)\]/g;

export function citedIds(text: string): string[] {
  return [...new Set([...text.matchAll(CITATION)].map((m) => m[1]!))];
}

/** The text as the citizen reads it: citation markers go (the reply lists the lessons as links). */
export function removeCitations(text: string): string {
  return text
    .replace(/\s*\[[a-z0-9]+(?:-[a-z0-9]+)*\]/g, '')
    .replace(/[ \t]+\n/g, '\n')
    .trim();
}

export type Violation = 'asks_for_secret' | 'install_from_link';

// On folded text: the model may write with or without diacritics.
const SECRET = String.raw`(?:ma\s+)?(?:otp|ma xac thuc|ma xac nhan|mat khau|mat ma|ma pin|pin|passcode|so can cuoc|so cccd|so cmnd|so dinh danh|so the)`;
const HAND_OVER = String.raw`(?:gui|doc|cung cap|chia se|dua|bao|noi|nhan tin|cho (?:ho|nguoi|nhan vien|ben|ai|can bo|cong an)\s+(?:biet|xem))`;
/** "gửi mã OTP", "đọc mật khẩu cho…", "cung cấp số căn cước": handing a secret to someone. */
const ASKS_FOR_SECRET = new RegExp(String.raw`\b${HAND_OVER}\s+(?:\S+\s+){0,2}${SECRET}\b`, 'g');
/** "cài ứng dụng từ đường link", "tải app qua link": installing from a link instead of the official store. */
const INSTALL_FROM_LINK = /\b(?:cai|tai|cai dat)\s+(?:\S+\s+){0,4}(?:tu|qua|theo|bang|o)\s+(?:duong\s+)?(?:link|duong dan|lien ket)\b/g;
/**
 * Words that turn an instruction into a warning when they come shortly before it in the same sentence. Read on the
 * accented text when there is one: folded, "đừng" is "dùng" (use) and "chớ" is "cho" (give).
 */
const NEGATION_ACCENTED = /(?<!\p{L})(?:không|đừng|chớ|chẳng|tránh|nếu ai|ai đòi|kẻ gian|kẻ lừa|lừa đảo)(?!\p{L})/iu;
const NEGATION_FOLDED = /\b(?:khong|chang|tranh|neu ai|ai doi|ke gian|ke lua|lua dao)\b/;
const HAS_DIACRITICS = /[^\u0000-\u007f]/;

function unnegatedMatch(original: string, folded: string, pattern: RegExp): boolean {
  for (const m of folded.matchAll(pattern)) {
    const sentenceStart = Math.max(...['.', '\n', '!', '?', ';'].map((c) => folded.lastIndexOf(c, m.index)));
    const from = Math.max(sentenceStart + 1, m.index - 60);
    const raw = original.slice(from, m.index);
    const negated = HAS_DIACRITICS.test(raw) ? NEGATION_ACCENTED.test(raw) : NEGATION_FOLDED.test(folded.slice(from, m.index));
    if (!negated) return true;
  }
  return false;
}

/** The safety rule a text breaks, if any. */
export function findViolation(text: string): Violation | undefined {
  const original = text.normalize('NFC');
  const folded = foldVietnamese(original);
  // Folding keeps one character per character for Vietnamese; otherwise read the folded text alone.
  const source = folded.length === original.length ? original : folded;
  if (unnegatedMatch(source, folded, ASKS_FOR_SECRET)) return 'asks_for_secret';
  if (unnegatedMatch(source, folded, INSTALL_FROM_LINK)) return 'install_from_link';
  return undefined;
}

export type CheckResult = { ok: true; cited: string[] } | { ok: false; reason: 'uncited' | 'unknown_citation' | Violation };

/** A finished answer passes when it is safe, cites at least one lesson, and cites only lessons it was given. */
export function checkAnswer(text: string, allowedIds: readonly string[]): CheckResult {
  const violation = findViolation(text);
  if (violation) return { ok: false, reason: violation };
  const cited = citedIds(text);
  if (cited.length === 0) return { ok: false, reason: 'uncited' };
  if (cited.some((id) => !allowedIds.includes(id))) return { ok: false, reason: 'unknown_citation' };
  return { ok: true, cited };
}
