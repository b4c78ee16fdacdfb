import { foldVietnamese } from '../text/fold.js';

/**
 * Personal data and secrets a citizen may type into the chat. Secrets (OTP, password, ID number, card) turn
 * the reply into a safety warning; all of them are replaced before anything is stored, logged or sent to a model.
 *
 * How it decides, in one pass over the words (linear in the length of the message, no backtracking regex):
 * - emails, addresses (a house number or alley with street/hamlet words) and passwords ("mật khẩu là …") first;
 * - then every run of digits, allowing single spaces, dots or dashes inside ("001 089 012 345", "0912.345.678"),
 *   is named by its shape (phone, 12-digit ID, Luhn-valid card, 1900/1800 hotline, date, money) and by the words
 *   of its own clause: a few words before and after, never across a comma or sentence end.
 * Clause words are compared folded (no diacritics), but a word typed WITH diacritics must be the right word:
 * "mã" is a code, "mà"/"má" are not; "tổ 5" is a neighbourhood group, "tờ 5" is a sheet.
 */
export type SecretKind =
  | 'otp'
  | 'password'
  | 'id_number'
  | 'card'
  | 'phone'
  | 'bank_account'
  | 'email'
  | 'address'
  /** A long number we cannot name (tax or insurance code, an account without context): personal data all the same. */
  | 'other_number';

export interface Finding {
  kind: SecretKind;
  start: number;
  end: number;
}

/** Kinds that must never be shared with anyone: sharing one is a safety event, not just personal data. */
export const SECRET_KINDS: ReadonlySet<SecretKind> = new Set(['otp', 'password', 'id_number', 'card']);

const PLACEHOLDER: Record<SecretKind, string> = {
  otp: '[mã OTP]',
  password: '[mật khẩu]',
  id_number: '[số định danh]',
  card: '[số thẻ]',
  phone: '[số điện thoại]',
  bank_account: '[số tài khoản]',
  email: '[email]',
  address: '[địa chỉ]',
  other_number: '[dãy số]',
};

/** When two findings overlap, the merged one keeps the kind that matters most: a secret before personal data. */
const PRIORITY: readonly SecretKind[] = ['password', 'otp', 'card', 'id_number', 'bank_account', 'phone', 'email', 'other_number', 'address'];

// ---------------------------------------------------------------------------------------------------------------
// Words

/**
 * Keywords that fold onto other common words. Typed with diacritics, only these spellings count; typed without,
 * the folded form counts (the citizen could mean either, and these are the words that matter here).
 */
const SENSES: Record<string, readonly string[]> = {
  ma: ['mã'], so: ['số'], the: ['thẻ'], la: ['là'], to: ['tổ'], pho: ['phố'], ap: ['ấp'], ban: ['bản'],
  duong: ['đường'], ngo: ['ngõ', 'ngỏ'], hem: ['hẻm'], kiet: ['kiệt'], nha: ['nhà'], thon: ['thôn'], xom: ['xóm'],
  ngach: ['ngách'], khom: ['khóm'], khoi: ['khối'], doi: ['đội'], xa: ['xã'], quan: ['quận'], huyen: ['huyện'],
  tinh: ['tỉnh'], phuong: ['phường'], nam: ['năm'], bai: ['bài'], lop: ['lớp'], tai: ['tài', 'tại'], khoan: ['khoản'],
  goi: ['gọi'], o: ['ở'], mat: ['mật'], khau: ['khẩu'], can: ['căn'], cuoc: ['cước'], dinh: ['định'], tong: ['tổng'],
  dai: ['đài'], ho: ['hộ', 'hồ'], thi: ['thị'], tran: ['trấn'], thanh: ['thành'], dan: ['dân'], cu: ['cư', 'cũ'],
  dong: ['đồng'], moi: ['mới'],
};

type TokType = 'word' | 'num' | 'punct' | 'newline' | 'email' | 'placeholder';

interface Tok {
  type: TokType;
  start: number;
  end: number;
  raw: string;
  /** Words: folded, or '_' + folded when typed with diacritics that make it another word (see SENSES). */
  key: string;
  placeholder?: SecretKind;
}

const LETTER = /[\p{L}\p{M}]/u;
const UPPER = /\p{Lu}/u;
const SPACE = /\s/;
const PLACEHOLDERS = Object.entries(PLACEHOLDER) as [SecretKind, string][];

function keyOf(raw: string): string {
  const lower = raw.toLowerCase();
  const folded = foldVietnamese(lower);
  const senses = SENSES[folded];
  if (senses && lower !== folded && !senses.includes(lower)) return `_${folded}`;
  return folded;
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function tokenize(s: string, emails: Span[]): Tok[] {
  const toks: Tok[] = [];
  let e = 0;
  let i = 0;
  while (i < s.length) {
    // An email is one opaque token: its digits and dots are not numbers or sentence ends.
    while (e < emails.length && emails[e]!.end <= i) e++;
    if (e < emails.length && emails[e]!.start === i) {
      const { start, end } = emails[e]!;
      toks.push({ type: 'email', start, end, raw: s.slice(start, end), key: '#' });
      i = end;
      continue;
    }
    const c = s[i]!;
    if (c === '[') {
      const hit = PLACEHOLDERS.find(([, text]) => s.startsWith(text, i));
      if (hit) {
        const end = i + hit[1].length;
        toks.push({ type: 'placeholder', start: i, end, raw: hit[1], key: '#', placeholder: hit[0] });
        i = end;
        continue;
      }
    }
    let j = i + 1;
    if (isDigit(c)) {
      while (isDigit(s[j])) j++;
      toks.push({ type: 'num', start: i, end: j, raw: s.slice(i, j), key: '#' });
    } else if (LETTER.test(c)) {
      while (j < s.length && LETTER.test(s[j]!)) j++;
      const raw = s.slice(i, j);
      toks.push({ type: 'word', start: i, end: j, raw, key: keyOf(raw) });
    } else if (c === '\n' || c === '\r') {
      toks.push({ type: 'newline', start: i, end: j, raw: c, key: '|' });
    } else if (!SPACE.test(c)) {
      toks.push({ type: 'punct', start: i, end: j, raw: c, key: c });
    }
    i = j;
  }
  return toks;
}

interface Span {
  start: number;
  end: number;
}

function adjacent(a: Tok | undefined, b: Tok | undefined): boolean {
  return !!a && !!b && a.end === b.start;
}

/** Tokens i and i+1 (+2) are two digit groups of one number: "0912 345", "0912.345", "12-10". */
function digitStep(s: string, toks: Tok[], i: number): number {
  const a = toks[i]!;
  const b = toks[i + 1];
  if (b?.type === 'num' && b.start === a.end + 1 && (s[a.end] === ' ' || s[a.end] === '\u00a0')) return i + 1;
  const c = toks[i + 2];
  if (b?.type === 'punct' && '.-–'.includes(b.raw) && adjacent(a, b) && c?.type === 'num' && adjacent(b, c)) return i + 2;
  return -1;
}

// ---------------------------------------------------------------------------------------------------------------
// Emails

const LOCAL_CHAR = /[\p{L}\p{N}._%+-]/u;
const DOMAIN_CHAR = /[\p{L}\p{N}.-]/u;

/** Found from each '@' outwards, so a message full of '@' or dots stays linear. */
function findEmails(s: string): Span[] {
  const out: Span[] = [];
  let from = 0;
  for (let at = s.indexOf('@'); at >= 0; at = s.indexOf('@', at + 1)) {
    if (at < from) continue;
    let a = at;
    while (a > from && LOCAL_CHAR.test(s[a - 1]!)) a--;
    while (a < at && s[a] === '.') a++;
    // The domain ends after its last all-letter label ("gmail.com", "yahoo.com.vn"): digits typed right after it
    // ("lan@gmail.com0912345678") are the next thing, not part of the address.
    let end = -1;
    let label = 0;
    let letters = 0;
    let b = at + 1;
    for (; b < s.length && DOMAIN_CHAR.test(s[b]!); b++) {
      const c = s[b]!;
      if (c === '.') {
        if (letters === 0 && b === at + 1) break;
        label++;
        letters = 0;
      } else letters = LETTER.test(c) && letters >= 0 ? letters + 1 : -1;
      const next = s[b + 1];
      if (label >= 1 && letters >= 2 && (next === undefined || !LETTER.test(next))) end = b + 1;
    }
    if (a < at && end > 0) {
      out.push({ start: a, end });
      from = end;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Addresses: a chain of elements ("số 12", "ngõ 45", "đường Hùng Vương", "tổ 5", "xã Tân Phú") with at least one
// below the ward (a house, an alley, a hamlet or group). A street or a ward alone is not personal and stays.

type ElementType = 'house' | 'bare' | 'lane' | 'street' | 'area' | 'admin';

const HOUSE_MARKERS = [['so', 'nha'], ['nha', 'so'], ['can', 'ho'], ['so'], ['nha']];
const LANE_WORDS = new Set(['ngo', 'ngach', 'hem', 'kiet']);
const STREET_WORDS = new Set(['duong', 'pho']);
const AREA_WORDS = [['to', 'dan', 'pho'], ['khu', 'dan', 'cu'], ['khu', 'pho'], ['to'], ['khu'], ['thon'], ['xom'], ['ap'], ['ban'], ['khom'], ['khoi'], ['doi']];
const ADMIN_WORDS = [['thi', 'tran'], ['thi', 'xa'], ['thanh', 'pho'], ['phuong'], ['xa'], ['quan'], ['huyen'], ['tinh'], ['tp'], ['p'], ['q']];
const ELEMENT_HEADS = new Set(['so', 'nha', ...LANE_WORDS, ...STREET_WORDS, 'to', 'khu', 'thon', 'xom', 'ap', 'ban', 'khom', 'khoi', 'doi', 'phuong', 'xa', 'quan', 'huyen', 'tinh', 'tp']);
/** Words that end a street name typed in lower case ("duong le loi co xa khong"). */
const NAME_STOP = new Set(
  ('co la thi de cua toi o va nhe nha a khong ko k bi duoc dc lam sao nhu nao gi roi ma voi cho di den tu ve tai trong ' +
    'ngoai gan con chau em anh chi minh may vay ha day do nay kia hay hoac nhung cac mot can muon phai se da dang').split(' '),
);

function phraseAt(toks: Tok[], i: number, words: readonly string[]): number {
  for (let k = 0; k < words.length; k++) {
    const t = toks[i + k];
    if (t?.type !== 'word' || t.key !== words[k]) return -1;
  }
  return i + words.length;
}

function joinsDigits(s: string, toks: Tok[], i: number): boolean {
  if (digitStep(s, toks, i) >= 0) return true;
  for (const back of [1, 2]) if (i - back >= 0 && toks[i - back]!.type === 'num' && digitStep(s, toks, i - back) === i) return true;
  return false;
}

/** "12", "12A", "12/5", "34/2B": the last token index, or -1. Never a piece of a longer number. */
function readHouseNumber(s: string, toks: Tok[], i: number): number {
  const t = toks[i];
  if (t?.type !== 'num' || t.raw.length > 5 || joinsDigits(s, toks, i)) return -1;
  let last = i;
  const letter = (k: number) => toks[k + 1]?.type === 'word' && toks[k + 1]!.raw.length === 1 && adjacent(toks[k], toks[k + 1]);
  if (letter(last)) last++;
  for (let n = 0; n < 3; n++) {
    const slash = toks[last + 1];
    const next = toks[last + 2];
    if (slash?.raw !== '/' || !adjacent(toks[last], slash) || next?.type !== 'num' || !adjacent(slash, next) || next.raw.length > 5) break;
    last += 2;
    if (letter(last)) last++;
  }
  // Stuck to a word ("abc12", "0đường"): part of something else.
  const glued = (a: Tok | undefined, b: Tok | undefined) => adjacent(a, b) && (a!.type === 'word' || b!.type === 'word' || b!.type === 'num');
  if (glued(toks[i - 1], toks[i]) || glued(toks[last], toks[last + 1])) return -1;
  return last;
}

function isElementHead(toks: Tok[], j: number): boolean {
  const t = toks[j]!;
  return ELEMENT_HEADS.has(t.key) || phraseAt(toks, j, ['thi', 'tran']) >= 0 || phraseAt(toks, j, ['thanh', 'pho']) >= 0;
}

/** A place name: a house-style number ("đường 3/2"), capitalised words, or (when allowed) a few lower-case words. */
function readName(s: string, toks: Tok[], i: number, lowercase: boolean): number {
  const h = readHouseNumber(s, toks, i);
  if (h >= 0) return h;
  let j = i;
  const cap = (t: Tok | undefined) => t?.type === 'word' && UPPER.test(t.raw[0]!);
  // Inside a name a keyword is a syllable ("Lý Thường Kiệt"), unless what follows makes it the next element ("Quận 1").
  const nextElement = (k: number) => isElementHead(toks, k) && (k === i || toks[k + 1]?.type === 'num' || cap(toks[k + 1]));
  while (j < i + 5 && cap(toks[j]) && !nextElement(j)) j++;
  if (j > i) return j - 1;
  if (!lowercase) return -1;
  while (j < i + 3 && toks[j]?.type === 'word' && !NAME_STOP.has(toks[j]!.key) && !isElementHead(toks, j)) j++;
  return j > i ? j - 1 : -1;
}

function readElement(s: string, toks: Tok[], i: number, first: boolean, covered: Int32Array): { type: ElementType; last: number } | undefined {
  if (i >= toks.length || covered[i]! >= 0) return undefined;
  for (const marker of HOUSE_MARKERS) {
    const k = phraseAt(toks, i, marker);
    const h = k >= 0 ? readHouseNumber(s, toks, k) : -1;
    if (h >= 0) return { type: 'house', last: h };
  }
  const key = toks[i]!.key;
  const skipSo = (k: number) => (toks[k]?.key === 'so' ? k + 1 : k);
  if (LANE_WORDS.has(key)) {
    const k = skipSo(i + 1);
    const last = Math.max(readHouseNumber(s, toks, k), readName(s, toks, k, false));
    if (last >= 0) return { type: 'lane', last };
  }
  if (STREET_WORDS.has(key)) {
    const last = readName(s, toks, skipSo(i + 1), true);
    if (last >= 0) return { type: 'street', last };
  }
  for (const words of AREA_WORDS) {
    const k = phraseAt(toks, i, words);
    const last = k >= 0 ? readName(s, toks, skipSo(k), false) : -1;
    if (last >= 0) return { type: 'area', last };
  }
  for (const words of ADMIN_WORDS) {
    let k = phraseAt(toks, i, words);
    if (k < 0) continue;
    if (toks[k]?.raw === '.' && adjacent(toks[k - 1], toks[k])) k++;
    const last = readName(s, toks, k, !first);
    if (last >= 0) return { type: 'admin', last };
  }
  if (first && toks[i]!.type === 'num') {
    const last = readHouseNumber(s, toks, i);
    if (last >= 0) return { type: 'bare', last };
  }
  return undefined;
}

function twoCapitals(toks: Tok[], j: number): boolean {
  const cap = (t: Tok | undefined) => t?.type === 'word' && UPPER.test(t.raw[0]!);
  return cap(toks[j]) && cap(toks[j + 1]) && !isElementHead(toks, j);
}

function findAddresses(s: string, toks: Tok[], covered: Int32Array): Span[] {
  const out: Span[] = [];
  let i = 0;
  while (i < toks.length) {
    const types: ElementType[] = [];
    let last = -1;
    let j = i;
    for (;;) {
      const el = readElement(s, toks, j, types.length === 0, covered);
      if (!el) break;
      types.push(el.type);
      last = el.last;
      j = last + 1;
      // A name right after an alley or a house number is its street ("kiệt 34 Hùng Vương", "số 1 Đại Cồ Việt",
      // "ở 45 Lý Thường Kiệt"); after a house number only a name of two words or more, and a bare number only after "ở".
      const implicit =
        el.type === 'lane' ||
        (el.type === 'house' && twoCapitals(toks, j)) ||
        (el.type === 'bare' && twoCapitals(toks, j) && ['o', 'tai'].includes(toks[i - 1]?.key ?? ''));
      if (implicit && toks[j]?.type === 'word' && !isElementHead(toks, j)) {
        const name = readName(s, toks, j, false);
        if (name >= 0) {
          types.push('street');
          last = name;
          j = last + 1;
        }
      }
      if (toks[j]?.type === 'punct' && (toks[j]!.raw === ',' || toks[j]!.raw === '-')) j++;
    }
    const local = types.some((t) => t === 'house' || t === 'lane' || t === 'area' || t === 'bare');
    const bareOk = types[0] !== 'bare' || types[1] === 'lane' || types[1] === 'street';
    if (types.length >= 2 && local && bareOk) {
      out.push({ start: toks[i]!.start, end: toks[last]!.end });
      i = last + 1;
    } else {
      // Nothing shorter inside a long non-address chain can be one either (unless it began with a bare number).
      i = types.length >= 2 && types[0] !== 'bare' ? last + 1 : i + 1;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Passwords: "mật khẩu (của tôi / ngân hàng / mới …) là|:|= VALUE"

const PASSWORD_WORDS = [['mat', 'khau'], ['mat', 'ma'], ['password'], ['passcode'], ['pass'], ['mk']];
const PASSWORD_QUALIFIERS = new Set(['moi', 'cu', 'ngan', 'hang', 'zalo', 'vneid', 'app', 'ung', 'dung', 'tai', 'khoan', 'dang', 'nhap', 'the', 'atm', 'wifi', 'email', 'facebook', 'momo', 'may']);
/** One Vietnamese syllable ("phai", "nhung", "chuoi"): a word of a sentence about passwords, not a password. */
const SYLLABLE = /^(?:ngh|ng|nh|ch|tr|th|ph|kh|gh|gi|qu|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(?:ng|nh|ch|[cmnpt])?$/;

function findPasswords(s: string, toks: Tok[], covered: Int32Array): Span[] {
  const out: Span[] = [];
  for (let i = 0; i < toks.length; i++) {
    if (covered[i]! >= 0) continue;
    let k = -1;
    for (const words of PASSWORD_WORDS) if ((k = phraseAt(toks, i, words)) >= 0) break;
    if (k < 0) continue;
    for (let n = 0; n < 6 && toks[k]?.type === 'word'; n++) {
      if (toks[k]!.key === 'cua' && toks[k + 1]?.type === 'word') k += 2;
      else if (PASSWORD_QUALIFIERS.has(toks[k]!.key)) k++;
      else break;
    }
    const sep = toks[k];
    if (!sep || !(sep.key === 'la' || sep.raw === ':' || sep.raw === '=')) continue;
    const value = toks[k + 1];
    if (!value || value.type === 'newline' || value.type === 'placeholder' || value.raw === '[') continue;
    const start = value.start;
    let end = start;
    while (end < s.length && !SPACE.test(s[end]!)) end++;
    // "mk: 1234 5678": the whole number is the password, not its first group.
    if (value.type === 'num') {
      let t = k + 1;
      for (let step = digitStep(s, toks, t); step >= 0; step = digitStep(s, toks, t)) t = step;
      end = Math.max(end, toks[t]!.end);
    }
    while (end > start && ',;.?'.includes(s[end - 1]!)) end--;
    const text = s.slice(start, end);
    if (text.length < 4) continue;
    if (/^[\p{L}]+$/u.test(text) && SYLLABLE.test(foldVietnamese(text.toLowerCase()))) continue;
    out.push({ start, end });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Digit runs

interface Run {
  start: number;
  end: number;
  text: string;
  digits: string;
  /** A letter touches it ("sdt0912345678"): only long numbers count then, and never as a card. */
  glued: boolean;
}

/** Maximal runs of digit groups joined by single spaces, dots or dashes; [first token, last token] of each. */
function digitRuns(s: string, toks: Tok[], covered: Int32Array): { first: number; last: number; run: Run }[] {
  const out: { first: number; last: number; run: Run }[] = [];
  const gluedBefore = (k: number) => toks[k - 1]?.type === 'word' && adjacent(toks[k - 1], toks[k]);
  const gluedAfter = (k: number) => toks[k + 1]?.type === 'word' && adjacent(toks[k], toks[k + 1]);
  for (let i = 0; i < toks.length; i++) {
    if (toks[i]!.type !== 'num' || covered[i]! >= 0) continue;
    const groups = [i];
    for (let step = digitStep(s, toks, i); step >= 0 && covered[step]! < 0; step = digitStep(s, toks, step)) groups.push(step);
    i = groups.at(-1)!;
    const digitsOf = () => groups.map((g) => toks[g]!.raw).join('');
    const glued = gluedBefore(groups[0]!) || gluedAfter(groups.at(-1)!);
    if (glued && digitsOf().length < 9) {
      // Short numbers stuck to letters are units and names ("12cm", "4G", "24h"): drop the touching groups.
      if (gluedBefore(groups[0]!)) groups.shift();
      if (groups.length > 0 && gluedAfter(groups.at(-1)!)) groups.pop();
      if (groups.length === 0) continue;
    }
    const first = groups[0]!;
    const last = groups.at(-1)!;
    const start = toks[first]!.start;
    const end = toks[last]!.end;
    out.push({ first, last, run: { start, end, text: s.slice(start, end), digits: digitsOf(), glued: glued && digitsOf().length >= 9 } });
  }
  return out;
}

// Contexts, tested on the folded words of the clause around a number.
const BANKS = 'vietcombank|vcb|techcombank|tcb|agribank|bidv|vietinbank|mbbank|mb bank|acb|tpbank|vpbank|sacombank|shb|hdbank|ocb|vib|seabank|msb|eximbank|lpbank|momo';
type Context = 'id' | 'account' | 'card' | 'phone' | 'code';
const CONTEXTS: [Context, RegExp][] = [
  ['id', /\b(?:cmnd|cmt|cccd|chung minh|minh nhan dan|can cuoc|dinh danh)\b/g],
  ['account', /\b(?:so tai khoan|tai khoan|stk|so tk|tk)\b/g],
  ['card', /\b(?:the|visa|master ?card|jcb|napas|amex)\b/g],
  ['phone', /\b(?:sdt|dien thoai|dt|goi|zalo|lien he|so may)\b/g],
  // Named numbers that are neither cards nor accounts: a long one there is an order, invoice or insurance code.
  ['code', /\b(?:imei|serial|seri|don hang|van don|giao dich|ho _?so|hoa don|thue|mst|bhxh|bhyt|bao hiem)\b/g],
];
const FIRST = Object.fromEntries(CONTEXTS.map(([name, re]) => [name, new RegExp(re.source)])) as Record<Context, RegExp>;
const BANK = new RegExp(`\\b(?:${BANKS})\\b`);
/** A code word; "mã" followed by what it is a code OF (QR, hồ sơ, đơn hàng, thuế …) is not a one-time code. */
const OTP = /\b(?:otp|code|pin|ma)\b(?! (?:so )?(?:qr|ho _?so|don|giam gia|khuyen mai|buu|thue|bhxh|bao hiem|vach|tinh|vung|san pham|hang|bai|lop|mau|giao dich|nguon|dinh danh|loi|the|may)\b)/;
const HOTLINE = /\b(?:tong dai|hotline|duong day nong|cskh|cham soc khach hang)\b/;
const CURRENCY = new Set(['dong', 'd', 'vnd', 'k', 'nghin', 'ngan', 'trieu', 'tr', 'ty', 'xu', 'usd', 'dola', 'euro']);
/** "đồng ý", "đồng thời": not the currency. */
const NOT_CURRENCY_AFTER_DONG = new Set(['y', 'thoi', 'nghiep', 'bao', 'ho', 'hanh', 'chi', 'tinh', 'loat', 'deu', 'thuan', 'nai', 'bang']);
const MONEY_VERBS = /\b(?:chuyen|gui|nap|rut|tra|gia|phi|so du|con|het|mat|vay|luong|thanh toan|ck)\b/;
/** A short number right after these is a year, a lesson, a version or a time, not a code. */
const NOT_CODE_BEFORE = new Set(['nam', 'bai', 'lop', 'ngay', 'thang', 'luc', 'tuoi', 'ban', 'version', 'ios', 'android', 'windows', 'tang', 'loi', 'khoang']);
const UNITS_AFTER = new Set(['tuoi', 'gio', 'phut', 'giay', 'ngay', 'thang', 'nam', 'lan', 'nguoi', 'cai', 'so', 'chu', 'ky', 'gb', 'mb', 'kb', 'km', 'kg', 'm', 'cm', 'mm', 'mah', 'buoc', 'trang', 'vien']);

const MOBILE = /^(?:0|84)[35789]\d{8}$/;
const LANDLINE = /^(?:0|84)2\d{9}$/;
const SERVICE = /^(?:1900|1800)\d{4}(?:\d{2})?$/;
const DATE = /^(?:\d{1,2}[-.]\d{1,2}[-.](?:\d{4}|\d{2})|\d{4}[-.]\d{1,2}[-.]\d{1,2})$/;

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/** The context word closest to the number (before it wins a tie with after it). */
function nearest(before: string, after: string): Context | undefined {
  let best: Context | undefined;
  let bestDistance = Infinity;
  for (const [name, re] of CONTEXTS) {
    for (const m of before.matchAll(re)) {
      const d = before.length - (m.index + m[0].length);
      if (d < bestDistance) [best, bestDistance] = [name, d];
    }
    const m = FIRST[name].exec(after);
    if (m && m.index! + 0.5 < bestDistance) [best, bestDistance] = [name, m.index! + 0.5];
  }
  return best;
}

/** Amounts: "500.000 đồng", "2 triệu", "1.500.000", "chuyển 3000000". Never starts with 0 (phones and IDs do). */
function isMoney(run: Run, before: string[], next: string | undefined, nextNext: string | undefined, charAfter: string | undefined): boolean {
  const d = run.digits;
  if (d[0] === '0' || d.length > 11) return false;
  const groups = run.text.split(/[ .\-–\u00a0]/);
  const seps = new Set(run.text.replace(/\d/g, ''));
  const shaped = groups.length === 1 || (seps.size === 1 && groups[0]!.length <= 3 && groups.slice(1).every((g) => g.length === 3));
  if (!shaped) return false;
  if (charAfter && '%₫$'.includes(charAfter)) return true;
  if (next && CURRENCY.has(next) && !(next === 'dong' && nextNext && NOT_CURRENCY_AFTER_DONG.has(nextNext))) return true;
  if (seps.has('.') && groups.length > 1 && d.length <= 10) return true;
  return d.length <= 10 && d.endsWith('000') && MONEY_VERBS.test(before.slice(-3).join(' '));
}

interface Around {
  before: string[];
  after: string[];
  /** The whole message is this number (and punctuation): a code pasted on its own. */
  alone: boolean;
  charBefore: string;
  /** The two characters after the number. */
  charAfter: string;
  prefix: string;
}

function classify(run: Run, a: Around): SecretKind | undefined {
  const d = run.digits;
  const n = d.length;
  if (n < 4 || (run.glued && n < 9)) return undefined;
  if (SERVICE.test(d)) return undefined;
  // Part of a date, time or fraction ("15/10", "10:30"); the other part may already be a placeholder.
  const dateOrTime = /[\d\]][/:]$/.test(a.charBefore) || /^[/:][\d[]/.test(a.charAfter);
  if (n <= 8 && (DATE.test(run.text) || dateOrTime)) return undefined;

  const before = a.before.join(' ');
  const after = a.after.join(' ');
  const near = nearest(before, after);
  const plus84 = /\+?84\)?[ \u00a0]?$/.test(a.prefix);
  const phoneShaped = MOBILE.test(d) || LANDLINE.test(d) || (n === 9 && /^[35789]/.test(d) && (near === 'phone' || plus84));
  if (phoneShaped) {
    // Official numbers ("tổng đài 024 …") are not personal; a mobile number always is.
    if (LANDLINE.test(d) && HOTLINE.test(a.before.slice(-3).join(' '))) return undefined;
    return near === 'account' ? 'bank_account' : 'phone';
  }
  if (near !== 'id' && isMoney(run, a.before, a.after[0], a.after[1], a.charAfter[0])) return undefined;
  if (n === 12) return near === 'account' ? 'bank_account' : 'id_number';
  if (n === 9 && near === 'id') return 'id_number';
  if (n >= 13 && n <= 19) {
    if (near === 'card' && !run.glued) return 'card';
    if (near === 'account') return 'bank_account';
    if (near === 'code' || run.glued) return 'other_number';
    return luhn(d) ? 'card' : 'other_number';
  }
  if (n >= 8 && (near === 'account' || (!near && BANK.test(`${before} ${after}`)))) return 'bank_account';
  if (n >= 9) return 'other_number';

  // 4 to 8 digits: a one-time code only when named as one, or pasted alone.
  const prev = a.before.at(-1);
  const next = a.after[0];
  if (run.text.includes('.') || (prev && NOT_CODE_BEFORE.has(prev)) || (n <= 4 && next && UNITS_AFTER.has(next))) return undefined;
  if (OTP.test(`${before} @ ${after}`)) return 'otp';
  if (a.alone && n >= 6) return 'otp';
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------

const WINDOW_BEFORE = 8;
const WINDOW_AFTER = 4;
/** Punctuation that ends a clause: context never crosses it. */
const CLAUSE_END = new Set([',', ';', '.', '!', '?', '(', ')', '"', '“', '”', '…', '|']);

/**
 * Finds secrets and personal data in the text. Positions are character offsets in the NFC form of the text
 * (the form the assistant receives).
 */
export function findSecrets(text: string): Finding[] {
  const s = text.normalize('NFC');
  const emails = findEmails(s);
  const toks = tokenize(s, emails);
  // covered[i]: index of the email/address/password span token i belongs to, or -1.
  const covered = new Int32Array(toks.length).fill(-1);
  const spans: (Span & { kind: SecretKind })[] = [];
  const cover = (list: Span[], kind: SecretKind) => {
    let t = 0;
    for (const span of list) {
      const id = spans.push({ ...span, kind }) - 1;
      while (t < toks.length && toks[t]!.end <= span.start) t++;
      for (let k = t; k < toks.length && toks[k]!.start < span.end; k++) if (covered[k]! < 0) covered[k] = id;
    }
  };
  toks.forEach((t, i) => {
    if (t.type === 'email') covered[i] = spans.push({ start: t.start, end: t.end, kind: 'email' }) - 1;
  });
  cover(findAddresses(s, toks, covered), 'address');
  cover(findPasswords(s, toks, covered), 'password');
  const runs = digitRuns(s, toks, covered);

  // The clause as units: a word is its key, a number or placeholder is '#', '|' ends the clause. An address or
  // password (or its placeholder) is one '|', so that replacing them never changes what a number is next to.
  const units: string[] = [];
  const unitOfRun = new Map<number, number>();
  const firstRun = new Map(runs.map((r, k) => [r.first, k]));
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    const c = covered[i]!;
    if (t.type === 'email') units.push('#');
    else if (c >= 0) {
      if (i === 0 || covered[i - 1] !== c) units.push('|');
    } else if (firstRun.has(i)) {
      const k = firstRun.get(i)!;
      unitOfRun.set(k, units.length);
      units.push('#');
      i = runs[k]!.last;
    } else if (t.type === 'word') units.push(t.key);
    else if (t.type === 'num') units.push('#');
    else if (t.type === 'placeholder') units.push(t.placeholder === 'address' || t.placeholder === 'password' ? '|' : '#');
    else if (t.type === 'newline' || CLAUSE_END.has(t.raw)) units.push('|');
  }

  const trimmed = trimPunctuation(s);
  const findings: Finding[] = spans.map(({ kind, start, end }) => ({ kind, start, end }));
  runs.forEach(({ run }, k) => {
    const u = unitOfRun.get(k)!;
    const before: string[] = [];
    for (let b = u - 1; b >= 0 && before.length < WINDOW_BEFORE && units[b] !== '|'; b--) before.unshift(units[b]!);
    const after: string[] = [];
    for (let f = u + 1; f < units.length && after.length < WINDOW_AFTER && units[f] !== '|'; f++) after.push(units[f]!);
    const kind = classify(run, {
      before,
      after,
      alone: trimmed === run.text,
      charBefore: s.slice(Math.max(0, run.start - 2), run.start),
      charAfter: s.slice(run.end, run.end + 2),
      prefix: s.slice(Math.max(0, run.start - 5), run.start),
    });
    if (!kind) return;
    // "+84 912 345 678": the plus sign goes with the number.
    const start = kind === 'phone' && s[run.start - 1] === '+' ? run.start - 1 : run.start;
    findings.push({ kind, start, end: run.end });
  });
  return merge(findings);
}

function trimPunctuation(s: string): string {
  const edge = (c: string) => SPACE.test(c) || /[\p{P}]/u.test(c);
  let a = 0;
  let b = s.length;
  while (a < b && edge(s[a]!)) a++;
  while (b > a && edge(s[b - 1]!)) b--;
  return s.slice(a, b);
}

/** Sorted, and overlapping findings made one (so that no part of a secret is left beside a placeholder). */
function merge(findings: Finding[]): Finding[] {
  const sorted = findings.sort((x, y) => x.start - y.start || y.end - x.end);
  const out: Finding[] = [];
  for (const f of sorted) {
    const last = out.at(-1);
    if (last && f.start < last.end) {
      last.end = Math.max(last.end, f.end);
      if (PRIORITY.indexOf(f.kind) < PRIORITY.indexOf(last.kind)) last.kind = f.kind;
    } else out.push({ ...f });
  }
  return out;
}

/** The text with every finding replaced by a plain placeholder. */
export function redact(text: string, findings = findSecrets(text)): string {
  const original = text.normalize('NFC');
  let out = '';
  let at = 0;
  for (const f of findings) {
    if (f.start < at) continue;
    out += original.slice(at, f.start) + PLACEHOLDER[f.kind];
    at = f.end;
  }
  return out + original.slice(at);
}
