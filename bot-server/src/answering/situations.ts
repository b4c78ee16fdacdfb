import { foldVietnamese } from '../text/fold.js';

/**
 * Deterministic reading of a message before any retrieval: is a scam happening, is this outside what the
 * assistant covers? Rules work on folded text (citizens type without diacritics) and look for situations —
 * features that occur together in any order — not single keywords: "điện lực gọi nói nợ tiền, tối nay cắt
 * điện" is happening to someone; "làm sao nhận biết cuộc gọi giả danh" is a wish to learn.
 * Folding merges words, so patterns avoid ambiguous syllables ("nhắn lạ" and "nhận là" both fold to
 * "nhan la"; "bảo hiểm" starts like the verb "bảo").
 */
export type ScamSituation =
  | 'secret_shared'
  | 'asked_for_secret'
  | 'compromised'
  | 'already_scammed'
  | 'impersonation'
  | 'relative_money'
  | 'investment'
  | 'app_from_link'
  | 'transfer_demand';

const w = (alternatives: string) => new RegExp(`\\b(${alternatives})\\b`);

/** Verbs of telling someone to do something; "bảo" but not "bảo hiểm", "bảo vệ", ... */
const DEMAND = w('bao(?! (hiem|cao|ve|mat|tri|hanh|duong|lanh|quan))|bat|yeu cau|doi|keu|nho|du|huong dan|xui|ep');
const CODE_SECRET = w('otp|ma xac thuc|ma xac nhan|ma kich hoat|ma bi mat|ma pin|ma so|ma|mat khau|pass|password|so the|smart ?otp');
const ID_SECRET = w('can cuoc|cccd|cmnd|chung minh');
const HAND_OVER_CODE = w('doc|gui|dua|cho|cung cap|nhap|chup|noi|nhan tin|khai|bao lai');
const HAND_OVER_ID = w('doc|gui|cung cap|chup|nhan tin|khai');
const AUTHORITY = w('cong an|canh sat|ngan hang|dien luc|evn|toa an|vien kiem sat|buu dien|thue|bao hiem xa hoi|bhxh|nha mang|viettel|vinaphone|mobifone|shipper|giao hang|nhan vien');
const CONTACT = w('goi|goi dien|dien thoai|nhan tin|tin nhan|alo|ket ban|cuoc goi|video call|sms');
const THREAT = w('cat dien|khoa tai khoan|bi khoa|tam khoa|dieu tra|truy na|bat giam|duong day|rua tien|no tien|no cuoc|phat nguoi|vi pham|het han|dinh chi|ma tuy|kien|trieu tap');
const ACTION = w('chuyen tien|chuyen khoan|thanh toan|cai|tai|bam|ket ban|nhap|doc|gui|cung cap|quet ma|cap nhat|xac minh|dong tien|nop tien');
const LINK = w('link|duong link|duong dan|file|apk|trang web|web la');
const ENTERED = w('nhap|dien|go|cung cap|dang nhap');
const JOB_SCAM = w('viec nhe luong cao|lam nhiem vu|hoa hong|like video|tha tim|chot don|cong tac vien|dau tu|tien ao|coin|forex|ngoai hoi|san giao dich|loi nhuan|nhan thuong|trung thuong');
const MONEY_MOVE = w('chuyen|nap|dong tien|dong phi|gui tien|nop|ung tien|chuyen khoan');
const STRANGER = w('nguoi la|ket ban|ru|moi|lam quen|nhom');
const BORROW = w('muon|vay|can gap|chuyen gap|cho muon|muon gap|vay gap');
const SOCIAL = w('facebook|zalo|messenger|nhan tin|face|fb|goi video');

/** Explicit words for pretending to be someone; "nhận là" only with "tự" (folding makes "nhắn lạ" look alike). */
const IMPERSONATING = w('gia danh|gia mao|mao danh|mao nhan|tu xung|xung la|tu nhan la');
const SCAMMED = w('bi lua|bi gat|bi chiem doat|bi lay mat|mat het tien|bi mat tien|bi hack|bi tru tien|bi trom tien|lo chuyen tien');
const REPORT_SCAM = /\b(lua dao|lua)\b.{0,30}\b(bao ai|bao o dau|to giac|trinh bao|lam gi bay gio)\b/;
const ALREADY = w('da|lo|vua|roi|mat roi');
/** "khỏi bị lừa", "tránh bị lừa": wanting not to be scammed, unless something already happened. */
const PREVENTION = /\b(khoi|tranh|khong|chong|phong|de khong|sao cho khong|dung de) bi (lua|gat)\b/;

/** Words that show the citizen wants to learn about a scam rather than being in one. */
const LEARNING = /\b(cach (nhan biet|phan biet|phong|tranh|nhan ra)|lam sao (biet|nhan ra|phan biet)|nhan biet|phan biet|dau hieu|la gi|la sao|the nao la|phong tranh|phong chong|meo|hoc)\b/;

/** Within n words after the first match of a, the pattern b: "bảo ... đọc" must be one instruction. */
function near(text: string, a: RegExp, b: RegExp, words: number): boolean {
  const global = new RegExp(a.source, 'g');
  for (const m of text.matchAll(global)) {
    const after = text.slice(m.index + m[0].length).split(' ').slice(0, words + 1).join(' ');
    if (b.test(after)) return true;
  }
  return false;
}

export function detectScam(message: string): Exclude<ScamSituation, 'secret_shared'> | undefined {
  const t = foldVietnamese(message).replace(/[^\p{L}\p{N}@]+/gu, ' ').trim();
  const learning = LEARNING.test(t);
  const demandsCode = near(t, DEMAND, HAND_OVER_CODE, 4) && (near(t, HAND_OVER_CODE, CODE_SECRET, 5) || near(t, DEMAND, CODE_SECRET, 6));
  const demandsId = near(t, DEMAND, HAND_OVER_ID, 4) && near(t, HAND_OVER_ID, ID_SECRET, 5);

  if (demandsCode || demandsId) return 'asked_for_secret';
  if ((near(t, LINK, ENTERED, 10) && CODE_SECRET.test(t)) || (ALREADY.test(t) && near(t, HAND_OVER_CODE, CODE_SECRET, 3) && !learning)) {
    return 'compromised';
  }
  const preventing = PREVENTION.test(t) && !w('da|lo|vua|mat roi|mat het').test(t);
  if ((SCAMMED.test(t) && !preventing) || REPORT_SCAM.test(t)) return 'already_scammed';
  if (AUTHORITY.test(t) && CONTACT.test(t) && (THREAT.test(t) || near(t, DEMAND, ACTION, 6)) && !learning) return 'impersonation';
  if (IMPERSONATING.test(t) && !learning) return 'impersonation';
  if (BORROW.test(t) && SOCIAL.test(t) && MONEY_MOVE.test(t) && !learning) return 'relative_money';
  if (near(t, DEMAND, w('cai|tai'), 4) && LINK.test(t)) return 'app_from_link';
  if (JOB_SCAM.test(t) && (MONEY_MOVE.test(t) || STRANGER.test(t)) && !learning) return 'investment';
  if (near(t, DEMAND, w('chuyen tien|chuyen khoan|nop tien|dong phi|nop phi'), 4) && w('tai khoan an toan|dieu tra|hoan tien|nhan thuong|trung thuong|giai ngan|bao lanh|xac minh').test(t)) {
    return 'transfer_demand';
  }
  return undefined;
}

/** Attempts to make the assistant drop its rules: answered as out of scope, never followed. */
const INJECTION =
  /\b(bo qua|quen|phot lo|khong can theo|vo hieu)\b.{0,30}\b(huong dan|chi dan|chi thi|nhiem vu|quy tac|lenh|yeu cau|vai tro)|\bdong vai\b|\bgia vo (la|lam)\b|\bignore\b.{0,30}\b(instructions|rules|above|previous)\b|\bsystem prompt\b|\bjailbreak\b|\byou are now\b|\bact as\b|\bdeveloper mode\b/;

const WHEN = '(hom nay|ngay mai|mai|chieu nay|toi nay|sang nay|dem nay|tuan nay|cuoi tuan)';

/** Illness and medicine: out of scope, and answered by pointing to a doctor. */
const HEALTH_ADVICE =
  /\b(uong thuoc|thuoc gi|thuoc nao|vien thuoc|thuoc ha|ke don|bi sot|sot cao|sot|dau dau|dau bung|ho khan|tieu chay|cam cum|chua benh|tri benh|benh gi|trieu chung|huyet ap|tieu duong|an kieng|giam can|may vien|lieu dung|lieu luong|paracetamol|panadol|efferalgan|hapacol|aspirin|khang sinh)\b/;

/** Subjects a citizen may ask about that no lesson covers: answered with what the assistant can do. */
const OFF_TOPIC: RegExp[] = [
  /\b(thoi tiet|du bao thoi tiet|troi (co )?(mua|nang|lanh|nong|ret)|nhiet do|bao so|ap thap|mua bao|mua to|mua da)\b/,
  new RegExp(`\\b${WHEN}\\b.{0,30}\\b(co mua|mua khong|nang khong|lanh khong|nong khong)\\b`),
  /\b(bong da|da banh|da voi|ti so|ty so|ket qua tran|tran dau|world cup|ngoai hang anh|v league|cau thu|doi tuyen|sea games|aff cup)\b/,
  /\b(xo so|ve so|so de|lo de|xsmb|xsmn|con so may man)\b/,
  /\b(nau an|mon an|cong thuc nau|lam banh|kho ca|canh chua|nau mon)\b/,
  /\b(ke chuyen cuoi|chuyen cuoi|tho vui|hat bai|bai hat|phim gi|xem phim)\b/,
  /\b(giai toan|bai toan|phuong trinh|bai tap ve nha|dao ham|tich phan|lam van|bai van)\b|\b\d+\s*x\s*[+\-*/=]/,
  /\b(tu vi|xem boi|phong thuy|ngay tot|tuoi gi|cung hoang dao)\b/,
  /\b(gia vang|gia xang|ty gia|gia dola|gia usd|co phieu|chung khoan hom nay)\b/,
  /\b(bau cu|dang phai|chinh tri|tong thong|chien tranh)\b/,
];

/** Words that anchor a question in what the lessons teach, so "bị sốt thì đặt lịch khám online" stays in scope. */
const DOMAIN_ANCHOR =
  /\b(vneid|dinh danh|dich vu cong|ho so|chuyen khoan|chuyen tien|ngan hang|vietqr|qr|otp|mat khau|lua dao|zalo|ung dung|app|dien thoai|wifi|4g|so suc khoe|bhyt|bao hiem y te|dat lich|tu xa|kham benh|kham chua benh|ban hang|mua hang|shopee|lazada|momo|zalopay|vi dien tu|hoa don|link|tin nhan|can cuoc|cccd|online|truc tuyen|qua mang)\b/;

export type ScopeVerdict = 'injection' | 'health' | 'off_topic' | undefined;

export function detectOutOfScope(message: string): ScopeVerdict {
  const folded = foldVietnamese(message).replace(/\s+/g, ' ');
  if (INJECTION.test(folded)) return 'injection';
  if (DOMAIN_ANCHOR.test(folded)) return undefined;
  if (HEALTH_ADVICE.test(folded)) return 'health';
  if (OFF_TOPIC.some((p) => p.test(folded))) return 'off_topic';
  return undefined;
}
