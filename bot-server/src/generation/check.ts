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

/**
 * The rules are read on the accented text when there is one, because folding merges words that matter here
 * ("số định danh" and "hồ sơ định danh", "đừng" and "dùng"); text typed without diacritics is read folded.
 */
interface Rules {
  asksForSecret: RegExp;
  installFromLink: RegExp;
  /** Before an instruction in the same sentence, or inside it: it is a warning, a past accident or a fake. */
  negation: RegExp;
  /** Right after "gửi mã OTP": "về điện thoại" is the system delivering it to the citizen, not a hand-over. */
  delivery: RegExp;
}

const L = String.raw`(?<!\p{L})`;
const R = String.raw`(?!\p{L})`;
function rules(words: {
  secret: string;
  handOver: string;
  install: string;
  via: string;
  link: string;
  negation: string;
  delivery: string;
}): Rules {
  return {
    asksForSecret: new RegExp(`${L}(?:${words.handOver})\\s+(?:\\S+\\s+){0,2}(?:${words.secret})${R}`, 'giu'),
    installFromLink: new RegExp(`${L}(?:${words.install})\\s+(?:\\S+\\s+){0,4}(?:${words.via})\\s+(?:${words.link})${R}`, 'giu'),
    negation: new RegExp(`${L}(?:${words.negation})${R}`, 'iu'),
    delivery: new RegExp(`^\\s*(?:${words.delivery})`, 'iu'),
  };
}

const ACCENTED = rules({
  secret: 'mã otp|otp|mã xác thực|mã xác nhận|mật khẩu|mật mã|mã pin|passcode|số căn cước|số cccd|số cmnd|số định danh|số thẻ',
  handOver: 'gửi|đọc|cung cấp|chia sẻ|đưa|báo|nói|cho (?:họ|người|nhân viên|bên|ai|cán bộ|công an)\\s+(?:biết|xem)',
  install: 'cài|tải|cài đặt',
  via: 'từ|qua|theo|bằng|ở',
  link: '(?:đường\\s+)?(?:link|dẫn|liên kết)',
  negation: 'không|đừng|chớ|chẳng|tránh|lỡ|giả|nếu ai|ai đòi|kẻ gian|kẻ lừa|lừa đảo',
  delivery: '(?:về|đến|tới|vào)\\s+(?:số|máy|điện thoại|đt)',
});

const FOLDED = rules({
  secret: 'ma otp|otp|ma xac thuc|ma xac nhan|mat khau|mat ma|ma pin|passcode|so can cuoc|so cccd|so cmnd|so dinh danh|so the',
  handOver: 'gui|doc|cung cap|chia se|dua|bao|noi|cho (?:ho|nguoi|nhan vien|ben|ai|can bo|cong an)\\s+(?:biet|xem)',
  install: 'cai|tai|cai dat',
  via: 'tu|qua|theo|bang',
  link: '(?:duong\\s+)?(?:link|dan|lien ket)',
  negation: 'khong|chang|tranh|neu ai|ai doi|ke gian|ke lua|lua dao',
  delivery: '(?:ve|den|toi|vao)\\s+(?:so|may|dien thoai|dt)',
});

const HAS_DIACRITICS = /[^\u0000-\u007f]/;

function unnegatedMatch(text: string, r: Rules, pattern: RegExp, checkDelivery: boolean): boolean {
  for (const m of text.matchAll(pattern)) {
    const sentenceStart = Math.max(...['.', '\n', '!', '?', ';'].map((c) => text.lastIndexOf(c, m.index)));
    const before = text.slice(Math.max(sentenceStart + 1, m.index - 60), m.index);
    if (r.negation.test(before) || r.negation.test(m[0])) continue;
    if (checkDelivery && r.delivery.test(text.slice(m.index + m[0].length))) continue;
    return true;
  }
  return false;
}

/** The safety rule a text breaks, if any. */
export function findViolation(text: string): Violation | undefined {
  const original = text.normalize('NFC');
  const [source, r] = HAS_DIACRITICS.test(original) ? [original, ACCENTED] : [foldVietnamese(original), FOLDED];
  if (unnegatedMatch(source, r, r.asksForSecret, true)) return 'asks_for_secret';
  if (unnegatedMatch(source, r, r.installFromLink, false)) return 'install_from_link';
  return undefined;
}

/** Numbers of three digits or more ("1900 1234", "10 triệu" is not one) and web addresses. */
const NUMBER = /\d(?:[\d .,-]*\d)?/g;
const ADDRESS = /(?<![\p{L}\d])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:vn|com|net|org|gov|top|xyz|vip|info)(?![\p{L}\d])/giu;

/**
 * Hotlines, amounts and web addresses are where a model invents things that hurt: each one the answer contains
 * must appear in the lessons it was given.
 */
export function ungroundedFacts(text: string, source: string): string[] {
  const digitsOf = (s: string) => s.replace(/\D/g, '');
  const sourceNumbers = new Set([...source.matchAll(NUMBER)].map((m) => digitsOf(m[0])));
  const sourceLower = source.toLowerCase();
  const numbers = [...removeCitations(text).matchAll(NUMBER)].map((m) => m[0]).filter((n) => digitsOf(n).length >= 3);
  const addresses = [...text.matchAll(ADDRESS)].map((m) => m[0].toLowerCase());
  return [...numbers.filter((n) => !sourceNumbers.has(digitsOf(n))), ...addresses.filter((a) => !sourceLower.includes(a))];
}

export type CheckResult = { ok: true; cited: string[] } | { ok: false; reason: 'uncited' | 'unknown_citation' | 'ungrounded' | Violation };

/**
 * A finished answer passes when it is safe, cites at least one lesson, cites only lessons it was given, and every
 * number and address in it comes from those lessons.
 */
export function checkAnswer(text: string, given: { ids: readonly string[]; source: string }): CheckResult {
  const violation = findViolation(text);
  if (violation) return { ok: false, reason: violation };
  const cited = citedIds(text);
  if (cited.length === 0) return { ok: false, reason: 'uncited' };
  if (cited.some((id) => !given.ids.includes(id))) return { ok: false, reason: 'unknown_citation' };
  if (ungroundedFacts(text, given.source).length > 0) return { ok: false, reason: 'ungrounded' };
  return { ok: true, cited };
}
