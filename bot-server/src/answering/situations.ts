import { foldVietnamese } from '../text/fold.js';

/**
 * Deterministic reading of a message before any retrieval: is a scam happening, is this outside what the
 * assistant covers, is it too vague? Rules work on folded text (citizens type without diacritics) and look
 * for situations, not keywords alone: "cuộc gọi giả danh công an" is happening to someone, "làm sao nhận
 * biết cuộc gọi giả danh" is a wish to learn.
 */
export type ScamSituation =
  | 'asked_for_secret'
  | 'impersonation'
  | 'already_scammed'
  | 'investment'
  | 'app_from_link'
  | 'transfer_demand';

const re = (source: string) => new RegExp(source);

const SECRET_WORDS = '(otp|ma xac thuc|ma xac nhan|ma kich hoat|ma bi mat|ma pin|ma so|ma|mat khau|pass|so the|cccd|can cuoc|cmnd)';
const DEMAND = '(bao|bat|yeu cau|doi|keu|nho|xin|hoi|du|huong dan)';
const HAND_OVER = '(doc|gui|dua|cho|cung cap|nhap|chup|noi|nhan tin|khai)';
const ACTOR = '(no|ho|nguoi ta|nguoi la|ai do|ben kia|nhan vien|mot nguoi|nguoi|tui no|bon no|thang|con|dua|ong|ba|so la|tong dai|cuoc goi)';
const AUTHORITY = '(cong an|canh sat|ngan hang|dien luc|evn|toa an|vien kiem sat|buu dien|thue|bao hiem xa hoi|bhxh|nha mang|viettel|vinaphone|mobifone|shipper|giao hang)';

const RULES: { situation: ScamSituation; pattern: RegExp; learnable: boolean }[] = [
  // Someone wants a code or secret handed over: always urgent.
  { situation: 'asked_for_secret', pattern: re(`${DEMAND}( \\S+){0,4} ${HAND_OVER}( \\S+){0,4} ${SECRET_WORDS}\\b`), learnable: false },
  { situation: 'asked_for_secret', pattern: re(`${ACTOR}( \\S+){0,4} (doi|xin|hoi|lay) ( ?\\S+){0,3}${SECRET_WORDS}\\b`), learnable: false },
  { situation: 'already_scammed', pattern: re('\\b(bi lua|bi gat|bi chiem doat|bi lay mat|mat het tien|bi mat tien|bi hack|bi tru tien|lo chuyen tien cho (ke|nguoi) (lua|la))'), learnable: false },
  { situation: 'already_scammed', pattern: re('\\b(lua dao|lua)\\b.{0,30}\\b(bao ai|bao o dau|to giac|trinh bao|lam gi bay gio)'), learnable: false },
  { situation: 'impersonation', pattern: re('\\b(gia danh|gia mao|mao danh|mao nhan|tu xung|xung la|tu nhan la|nhan la)\\b'), learnable: true },
  { situation: 'impersonation', pattern: re(`\\b(goi|dien thoai|nhan tin|goi dien|alo)\\b.{0,40}${AUTHORITY}.{0,60}\\b(cat dien|khoa tai khoan|dieu tra|lien quan|duong day|truy na|bat giam|chuyen tien|cai|tai|link|cap nhat|xac minh)`), learnable: false },
  { situation: 'app_from_link', pattern: re(`${ACTOR}( \\S+){0,6} (gui|nhan|dua|cho)( \\S+){0,3} (link|duong link|duong dan|file|apk).{0,40}\\b(cai|tai|bam|nhan vao)`), learnable: false },
  { situation: 'app_from_link', pattern: re(`\\b(bao|bat|yeu cau|huong dan)( \\S+){0,3} (cai|tai)( \\S+){0,4} (qua|tu|bang|theo) (link|duong link|duong dan|file)`), learnable: false },
  { situation: 'investment', pattern: re('\\b(nguoi la|ket ban|ru|moi|lam quen|nhom)\\b.{0,60}\\b(dau tu|tien ao|coin|forex|ngoai hoi|chung khoan|nhiem vu|viec nhe luong cao|hoa hong|nap tien|chot don)'), learnable: true },
  { situation: 'transfer_demand', pattern: re(`${DEMAND}( \\S+){0,4} (chuyen tien|chuyen khoan|nop tien|dong phi|nop phi)\\b.{0,40}\\b(tai khoan an toan|dieu tra|hoan tien|nhan thuong|trung thuong|giai ngan|phi|bao lanh|xac minh)`), learnable: false },
];

/** Words that show the citizen wants to learn about a scam rather than being in one. */
const LEARNING = /\b(cach (nhan biet|phan biet|phong|tranh|nhan ra)|lam sao (biet|nhan ra|phan biet)|nhan biet|phan biet|dau hieu|la gi|the nao la|phong tranh|phong chong|meo|hoc)\b/;

export function detectScam(message: string): ScamSituation | undefined {
  const folded = foldVietnamese(message).replace(/\s+/g, ' ');
  const learning = LEARNING.test(folded);
  for (const rule of RULES) {
    if (rule.pattern.test(folded) && !(rule.learnable && learning)) return rule.situation;
  }
  return undefined;
}

/** Attempts to make the assistant drop its rules: answered as out of scope, never followed. */
const INJECTION =
  /\b(bo qua|quen|phot lo|khong can theo|vo hieu)\b.{0,30}\b(huong dan|chi dan|chi thi|nhiem vu|quy tac|lenh|yeu cau|vai tro)|\bdong vai\b|\bgia vo (la|lam)\b|\bignore\b.{0,30}\b(instructions|rules|above|previous)\b|\bsystem prompt\b|\bjailbreak\b|\byou are now\b|\bact as\b|\bdeveloper mode\b/;

/** Subjects a citizen may ask about that no lesson covers: answered with what the assistant can do. */
const OFF_TOPIC: RegExp[] = [
  /\b(thoi tiet|du bao|troi (co )?(mua|nang|lanh|nong)|nhiet do|bao so|ap thap)\b/,
  /\b(bong da|da banh|ti so|ty so|ket qua tran|world cup|ngoai hang anh|v league|cau thu|doi tuyen)\b/,
  /\b(xo so|ve so|so de|lo de|xsmb|xsmn|con so may man)\b/,
  /\b(uong thuoc|thuoc gi|thuoc nao|bi sot|sot cao|dau dau|dau bung|ho khan|tieu chay|cam cum|chua benh|tri benh|benh gi|trieu chung|huyet ap cao|tieu duong|an kieng|giam can)\b/,
  /\b(nau|mon an|cong thuc|nau an|lam banh|kho ca|canh chua)\b/,
  /\b(ke chuyen cuoi|chuyen cuoi|tho vui|hat bai|bai hat|phim gi|xem phim)\b/,
  /\b(giai toan|phuong trinh|bai tap|dao ham|tich phan|lam van|bai van)\b/,
  /\b(tu vi|xem boi|phong thuy|ngay tot|tuoi gi|cung hoang dao)\b/,
  /\b(gia vang|gia xang|ty gia|gia dola|gia usd|co phieu|chung khoan hom nay)\b/,
  /\b(bau cu|dang phai|chinh tri|tong thong|chien tranh)\b/,
];

/** Words that anchor a question in what the lessons teach, so "bị sốt thì đặt lịch khám online" stays in scope. */
const DOMAIN_ANCHOR =
  /\b(vneid|dinh danh|dich vu cong|ho so|chuyen khoan|chuyen tien|ngan hang|vietqr|qr|otp|mat khau|lua dao|zalo|ung dung|app|dien thoai|wifi|4g|so suc khoe|bhyt|bao hiem y te|dat lich|kham tu xa|tu van tu xa|ban hang|mua hang|shopee|lazada|momo|zalopay|vi dien tu|hoa don|link|tin nhan|can cuoc|cccd|online|truc tuyen|qua mang)\b/;

export type ScopeVerdict = 'injection' | 'off_topic' | undefined;

export function detectOutOfScope(message: string): ScopeVerdict {
  const folded = foldVietnamese(message).replace(/\s+/g, ' ');
  if (INJECTION.test(folded)) return 'injection';
  if (OFF_TOPIC.some((p) => p.test(folded)) && !DOMAIN_ANCHOR.test(folded)) return 'off_topic';
  return undefined;
}
