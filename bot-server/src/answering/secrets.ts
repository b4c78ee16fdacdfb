import { foldVietnamese } from '../text/fold.js';

/**
 * Personal data and secrets a citizen may type into the chat. Secrets (OTP, password, ID number, card) turn
 * the reply into a safety warning; all of them are replaced before anything is stored or logged.
 */
export type SecretKind = 'otp' | 'password' | 'id_number' | 'card' | 'phone' | 'bank_account';

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
};

/** Digit runs, allowing single spaces, dots or dashes inside ("001 234 567 890"). */
const DIGIT_RUN = /(?<![\p{L}\p{N}])\d(?:[ .-]?\d)*(?![\p{L}\p{N}])/gu;
const OTP_CONTEXT = /\b(otp|ma|code|xac thuc|xac nhan|kich hoat|ma so|pin|smart ?otp)\b/;
const PHONE = /^(?:\+?84|0)(?:3|5|7|8|9)\d{8}$/;
const PASSWORD = /\b(mat khau|pass(?:word)?|mk|mat ma)\b(?:\s+(?:cua\s+\S+|moi|cu|ngan hang|zalo|vneid|app))*\s*(?:la|:|=)\s*(\S{4,})/g;
const ACCOUNT_CONTEXT = /\b(so tai khoan|stk|tai khoan so|tk)\b/;

/**
 * Finds secrets in the original text. Positions are character offsets in the original string (folding keeps
 * the length: every Vietnamese letter folds to one letter once recomposed, which we check).
 */
export function findSecrets(text: string): Finding[] {
  const original = text.normalize('NFC');
  const folded = foldVietnamese(original);
  // Folding may change the length only for exotic input; positions are then taken from the original alone.
  const aligned = folded.length === original.length;
  const context = aligned ? folded : original.toLowerCase();
  const findings: Finding[] = [];

  for (const m of original.matchAll(DIGIT_RUN)) {
    const digits = m[0].replace(/\D/g, '');
    const start = m.index;
    const end = start + m[0].length;
    const around = context.slice(Math.max(0, start - 40), Math.min(context.length, end + 25));
    let kind: SecretKind | undefined;
    if (digits.length === 12) kind = 'id_number';
    else if (digits.length === 9 && /\b(cmnd|cmt|chung minh)\b/.test(around)) kind = 'id_number';
    else if (PHONE.test(digits) && !/\b(otp|ma)\b/.test(around)) kind = 'phone';
    else if (digits.length >= 13 && digits.length <= 19) kind = /\b(tai khoan|stk|tk)\b/.test(around) ? 'bank_account' : 'card';
    else if (digits.length >= 4 && digits.length <= 8 && (OTP_CONTEXT.test(around) || (digits.length >= 6 && m[0] === original.trim())))
      kind = 'otp';
    else if (digits.length >= 6 && ACCOUNT_CONTEXT.test(around)) kind = 'bank_account';
    if (kind) findings.push({ kind, start, end });
  }

  if (aligned) {
    for (const m of folded.matchAll(PASSWORD)) {
      const value = m[2]!;
      const start = m.index + m[0].length - value.length;
      if (!findings.some((f) => f.start < start + value.length && start < f.end)) {
        findings.push({ kind: 'password', start, end: start + value.length });
      }
    }
  }
  return findings.sort((a, b) => a.start - b.start);
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
