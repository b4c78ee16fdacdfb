import { foldVietnamese } from '../text/fold.js';

/**
 * Deterministic reading of a message before any retrieval: is a scam happening, is this outside what the
 * assistant covers? Rules work on folded text (citizens type without diacritics) and look for situations —
 * features that occur together in any order — not single keywords: "điện lực gọi nói nợ tiền, tối nay cắt
 * điện" is happening to someone; "làm sao nhận biết cuộc gọi giả danh" is a wish to learn.
 * Folding merges words, so patterns avoid ambiguous syllables ("nhắn lạ" and "nhận là" both fold to
 * "nhan la"; "bảo hiểm" starts like the verb "bảo"), and words typed with diacritics that only look like a
 * rule's word once folded ("mà" vs "mã") are kept apart. Who asks matters as much as what is asked: the
 * citizen's own app asking for a password at sign-in is not a caller demanding it.
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

/** Whole syllables only. Lookarounds instead of \b: the text may keep accented false friends (see below). */
const w = (alternatives: string) => new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives})(?![\\p{L}\\p{N}])`, 'u');

/**
 * Accented words that fold onto a word the rules look for but mean something else: "mà" (but) and "má"
 * (mother) fold like "mã" (code), "nhớ"/"nhỏ" like "nhờ" (ask someone to), "cái" like "cài" (install).
 * When the citizen typed diacritics these stay as typed, so no rule reads them. Typed without diacritics the
 * word stays ambiguous, and the rules below must not depend on one reading (e.g. a bare "ma" counts as a code
 * only right after "đọc", "gửi", ...).
 */
const FALSE_FRIENDS = new Set(
  [
    'mà má mạ mả', // mã (code)
    'nhớ nhỏ nhổ', // nhờ (ask to)
    'nổi nối nội nơi nồi', // nói (say)
    'đợi đổi đời đôi đói đội', // đòi (demand)
    'bật bát', // bắt (force to)
    'chờ chợ chó chỗ chở', // cho (give)
    'dù đủ dư dự', // dụ (lure)
    'đua dừa đùa', // đưa (hand over)
    'độc dọc dốc', // đọc (read out)
    'cái cãi cải', // cài (install)
    'tại tái', // tải (download)
    'lúa lửa', // lừa (scam)
    'đá dạ', // đã (already)
    'lộ lò lọ', // lỡ (by mistake)
    'chuyện', // chuyển (transfer)
    'từ tù tủ', // tư (đầu tư), tự (tự xưng)
    'gói gối', // gọi (call)
  ]
    .join(' ')
    .split(' '),
);

/** Folded syllables joined by single spaces, except false friends typed with their diacritics. */
function readable(message: string): string {
  return (message.normalize('NFC').toLowerCase().match(/[\p{L}\p{N}@]+/gu) ?? [])
    .map((s) => (FALSE_FRIENDS.has(s) ? s : foldVietnamese(s)))
    .join(' ');
}

const global = (p: RegExp) => new RegExp(p.source, `${p.flags}g`);
const wordsIn = (s: string) => s.split(' ').filter(Boolean).length;

/**
 * One instruction, not words scattered over the message: a match of `first`, then each step's pattern
 * starting at most `gap` words after the previous match ("bảo tôi đọc mã", not "bảo ... ten words ... mã").
 */
function chain(text: string, first: RegExp, ...steps: [pattern: RegExp, gap: number][]): boolean {
  return [...text.matchAll(global(first))].some((m) => continues(text.slice(m.index + m[0].length), steps));
}

function continues(after: string, steps: [RegExp, number][]): boolean {
  const [step, ...rest] = steps;
  if (!step) return true;
  for (const m of after.matchAll(global(step[0]))) {
    if (wordsIn(after.slice(0, m.index)) > step[1]) break;
    if (continues(after.slice(m.index + m[0].length), rest)) return true;
  }
  return false;
}

/** Verbs of telling someone to do something: "bảo" but not "bảo hiểm", "bao giờ", ...; "bắt" but not "bắt đầu". */
const DEMAND = w(
  'bao(?! (hiem|cao|ve|mat|tri|hanh|duong|lanh|quan|gio|nhieu|lau))|bat(?! dau)|yeu cau|doi|keu|nho|du|huong dan|xui|ep',
);
/** Codes and passwords by name. A bare "ma" (also "mà", "má" without diacritics) only after a verb: see bareCode. */
const CODE_SECRET = w('otp|ma (xac thuc|xac nhan|kich hoat|bi mat|pin|so|otp|giao dich|dang nhap)|mat khau|mat ma|pass|password|so the|smart ?otp|pin');
const ID_SECRET = w('can cuoc|cccd|cmnd|chung minh');

/** Handing a secret to a person; "gửi" not when the app sends a code to the citizen's phone ("gửi mã về máy cũ"). */
const TO_OWN_PHONE = '(?:(?: \\S+){0,4} (?:ve|den|toi) (?:may|dien thoai|so|sim|email))';
const GIVE = `doc|gui(?!${TO_OWN_PHONE})|dua|cho|cung cap|noi|nhan tin|khai|bao lai|chup`;
/** Typing a secret in; "nhập sai mật khẩu" is the citizen's own mistake in their own app. */
const TYPE_IN = 'nhap(?! (sai|nham|lai|nhieu lan))|go(?! (sai|nham|lai|nhieu lan))|dien';
const HAND_OVER_CODE = w(`${GIVE}|${TYPE_IN}`);
/** A bare "ma" right after a verb that takes a code ("đọc mã", "gửi cái mã"), but not "gửi má 2 triệu". */
const bareCode = (verbs: string) => w(`(${verbs})( cai| lai| giup| gium| dum)? ma(?! (\\d|tien|oi|nhe))`);
const GIVEN_BARE_CODE = bareCode(`doc|gui(?!${TO_OWN_PHONE})|dua|cung cap|khai|bao lai`);
const TYPED_BARE_CODE = bareCode(TYPE_IN);
/** Handing over an ID number: not "cho", "nói" ("nhờ cho tôi hỏi về căn cước"). */
const HAND_OVER_ID = w(`doc|gui(?!${TO_OWN_PHONE})|cung cap|chup|nhan tin|khai|${TYPE_IN}`);

/**
 * Someone other than the citizen and their own app is in the picture: a caller, a message, a link, a stranger,
 * a fake page, "họ" telling them what to do. Without one, "cài lại máy thì nó đòi mật khẩu" is the app at sign-in.
 */
const OUTSIDER = w(
  'goi|goi dien|cuoc goi|alo|nhan tin|tin nhan|sms|link|duong link|duong dan|nguoi la|so la|ai do|ai gui|co nguoi|nguoi goi|ke gian|' +
    'gui cho (toi|tui|minh|em|ba|bac|ong|me)|' +
    'tu xung|xung la|gia danh|gia mao|trang gia|web gia|app gia|ung dung gia|ket ban|nhan vien|can bo|toi nha|den nha|' +
    'ho (bao|bat|doi|keu|nho|yeu cau|noi|goi|nhan)',
);
/** The citizen using their own app or phone: signing in, (re)installing, a new phone. */
const OWN_APP_USE = w('dang nhap|cai lai|cai dat|cai app|cai ung dung|cai vneid|mo app|mo ung dung|may moi|doi may|đổi may|kich hoat');
/** The app, phone or official portal itself as the one asking ("app ngân hàng đòi nhập OTP", "VNeID bắt nhập mật khẩu"). */
const APP_SUBJECT = w('app|ung dung|vneid|vssid|may|dien thoai|he thong|phan mem|dich vu cong|cong dich vu');

/** Installing, not "cái" (classifier) nor "tài khoản": the word after decides when typed without diacritics. */
const INSTALLING = 'cai (dat|app|ung dung|phan mem|them|lai|vneid|zalo|apk|file|theo|qua|tu)|tai (ve|app|ung dung|phan mem|file|apk)';
/** Major Vietnamese banks by the names citizens (and message senders) use. */
const BANKS =
  'ngan hang|vietcombank|vcb|agribank|bidv|vietinbank|techcombank|mb ?bank|acb|sacombank|vpbank|tpbank|shb|hdbank|' +
  'ocb|seabank|msb|vib|eximbank|lpbank|lienvietpostbank|scb|abbank|pvcombank|vietbank|nam a bank|bac a bank|baoviet ?bank|kienlongbank';
const AUTHORITY = w(
  `cong an|canh sat|${BANKS}|dien luc|evn|toa an|vien kiem sat|buu dien|thue|bao hiem xa hoi|bhxh|nha mang|viettel|vinaphone|mobifone|shipper|giao hang|nhan vien`,
);
/** Ways someone reached the citizen, a link they were sent included. */
const CONTACT = w('goi|goi dien|dien thoai|nhan tin|tin nhan|alo|ket ban|cuoc goi|video call|sms|link|duong link|duong dan');
const THREAT = w('cat dien|khoa tai khoan|bi khoa|tam khoa|dieu tra|truy na|bat giam|duong day|rua tien|no tien|no cuoc|phat nguoi|vi pham|het han|dinh chi|ma tuy|kien|trieu tap');
const ACTION = w(`chuyen tien|chuyen khoan|thanh toan|${INSTALLING}|bam|ket ban|nhap|doc|gui|cung cap|quet ma|cap nhat|xac minh|dong tien|nop tien`);
const LINK = w('link|duong link|duong dan|file|apk|trang web|web la');
const ENTERED = w('nhap|dien|go|cung cap|dang nhap');
/** "bắt đầu từ" folds to "... dau tu" like "đầu tư" (invest). */
const JOB_SCAM = w('viec nhe luong cao|lam nhiem vu|hoa hong|like video|tha tim|chot don|cong tac vien|(?<!bat )dau tu|tien ao|coin|forex|ngoai hoi|san giao dich|loi nhuan|nhan thuong|trung thuong');
/** "chuyển đổi số" (digital transformation) is not a transfer. */
const MONEY_MOVE = w('chuyen(?! doi)|nap|dong tien|dong phi|gui tien|nop|ung tien|chuyen khoan');
/** "mời" only with what one is invited to: "mới" (new) folds alike. */
const STRANGER = w('nguoi la|ket ban|ru|moi (vao|tham gia|dau tu|choi|lam)|lam quen|nhom');
const BORROW = w('muon|vay|can gap|chuyen gap|cho muon|muon gap|vay gap');
const SOCIAL = w('facebook|zalo|messenger|nhan tin|face|fb|goi video');

/** Explicit words for pretending to be someone; "nhận là" only with "tự" (folding makes "nhắn lạ" look alike). */
const IMPERSONATING = w('gia danh|gia mao|mao danh|mao nhan|tu xung|xung la|tu nhan la');
/** The citizen already cut the contact off ("má tắt máy rồi, không mất gì") and asks what to do next. */
const CONTACT_ENDED = w('tat may|cup may|dap may|khong nghe|chan so|da chan|khong lam theo|khong bam|khong mat gi|chua mat gi');
const SCAMMED = w('bi lua|bi gat|bi chiem doat|bi lay mat|mat het tien|bi mat tien|bi hack|bi tru tien|bi trom tien|lo chuyen tien');
const REPORT_SCAM = /\b(lua dao|lua)\b.{0,30}\b(bao ai|bao o dau|to giac|trinh bao|lam gi bay gio)\b/;
const ALREADY = w('da|lo|vua|roi|mat roi');
/** "khỏi bị lừa", "tránh bị lừa": wanting not to be scammed, unless something already happened. */
const PREVENTION = /\b(khoi|tranh|khong|chong|phong|de khong|sao cho khong|dung de) bi (lua|gat)\b/;

/**
 * Advance fee: a fee ("chuyển phí hồ sơ 2 triệu trước") that comes first ("trước", "thì mới lấy lại được") for
 * money back, a loan paid out or a prize. Asking whether a service costs a fee is not one.
 */
const FEE = w('(chuyen|nop|dong|tra|gui) (tien )?(phi|le phi|coc|dat coc)|phi (ho so|dich vu|xu ly|thu tuc|bao hiem|giai ngan|mo khoa)');
const FIRST = w('truoc|moi (duoc|giai ngan|rut|nhan|lay)');
const PROMISED = w('lay lai|thu hoi|hoan tien|hoan lai|rut tien|rut duoc|giai ngan|nhan thuong|trung thuong|nhan tien|tien ho tro|cho vay|vay');

/** An ID card photographed or a face scanned for money paid to the citizen: identities are bought to open accounts. */
const ID_CAPTURE = w('(chup|quet|scan|lay)( anh| hinh)? (can cuoc|cccd|cmnd|mat|khuon mat|guong mat|van tay|sinh trac hoc)');
const PAID_TO_CITIZEN = w('(tra|tang|boi duong|bieu|duoc|cho)( \\S+){0,2} \\d+ ?(k|nghin|ngan|tram|trieu|dong|d)|tang qua|qua tang|tien cong|tien boi duong');
/** Happening right now ("đang đợi ngoài cửa"), not "có người đi từng nhà ..., có nên không". "đợi", "chờ" keep their accents. */
const HAPPENING_NOW = w('dang (đợi|doi|chờ|cho|o|dung|ngoi)|ngoai cua|truoc cua|truoc nha|bay gio');

/** Web addresses ending the way scam links do (lessons: ".top, .vip, .xyz"), or a bank's name with a hyphen ("vcb-xacminh.top"). */
const ODD_ENDING = /[\p{L}\p{N}-]+\.(top|xyz|vip|online|site|club|icu|cc|info|live|click|link|shop|buzz|fun|pw|tk|cyou|sbs|bond|win|work)(?![\p{L}\p{N}]|\.[\p{L}\p{N}])/iu;
const BRAND_WITH_HYPHEN = /(vietcombank|vcb|agribank|bidv|vietinbank|techcombank|mbbank|sacombank|vpbank|tpbank|dichvucong|baohiemxahoi|bhxh|evn|vneid)-[\p{L}\p{N}-]*\.[a-z]{2,}/iu;
const CLICK = w('bam|click|nhan vao|an vao|mo link|vao link|truy cap|nhap|cap nhat');

/** Words that show the citizen wants to learn about a scam rather than being in one ("sinh trắc học" is not "học"). */
const LEARNING = /\b(cach (nhan biet|phan biet|phong|tranh|nhan ra)|lam sao (biet|nhan ra|phan biet)|nhan biet|phan biet|dau hieu|la gi|la sao|the nao la|phong tranh|phong chong|meo|(?<!trac )hoc)\b/;

export function detectScam(message: string): Exclude<ScamSituation, 'secret_shared'> | undefined {
  const t = readable(message);
  const learning = LEARNING.test(t);
  const oddLink = ODD_ENDING.test(message) || BRAND_WITH_HYPHEN.test(message);

  // Who asks: the citizen's own app at sign-in or install ("cài lại máy thì nó đòi mật khẩu") is not a scammer.
  const outsider = OUTSIDER.test(t) || oddLink;
  const appAsks = !outsider && (OWN_APP_USE.test(t) || chain(t, APP_SUBJECT, [DEMAND, 2]));
  const demandsCode =
    chain(t, DEMAND, [HAND_OVER_CODE, 3], [CODE_SECRET, 4]) ||
    chain(t, DEMAND, [GIVEN_BARE_CODE, 3]) ||
    chain(t, DEMAND, [TYPED_BARE_CODE, 3]) ||
    // "đòi mã OTP" with no verb of handing over only when someone else is there: "doi mat khau" is mostly "đổi".
    (outsider && chain(t, DEMAND, [CODE_SECRET, 2]));
  const demandsId = chain(t, DEMAND, [HAND_OVER_ID, 3], [ID_SECRET, 4]);
  if ((demandsCode || demandsId) && !appAsks) return 'asked_for_secret';
  if (ID_CAPTURE.test(t) && PAID_TO_CITIZEN.test(t) && HAPPENING_NOW.test(t)) return 'asked_for_secret';

  // Already handed over: read out or sent to a person, or typed in where an outsider (a link, a fake page) asked.
  const handedOver =
    chain(t, w(GIVE), [CODE_SECRET, 3]) ||
    GIVEN_BARE_CODE.test(t) ||
    (outsider && (chain(t, w(TYPE_IN), [CODE_SECRET, 3]) || TYPED_BARE_CODE.test(t)));
  if ((chain(t, LINK, [ENTERED, 10]) && CODE_SECRET.test(t)) || (ALREADY.test(t) && handedOver && !learning)) return 'compromised';

  const preventing = PREVENTION.test(t) && !w('da|lo|vua|mat roi|mat het').test(t);
  if ((SCAMMED.test(t) && !preventing) || REPORT_SCAM.test(t)) return 'already_scammed';

  // A bare "nhắn" folds like "nhận" and "nhấn": a message only right after the sender ("ngân hàng nhắn", "BIDV nhắn").
  const contacted = CONTACT.test(t) || chain(t, AUTHORITY, [w('nhan'), 0]) || oddLink;
  const pressured = THREAT.test(t) || chain(t, DEMAND, [ACTION, 5]);
  if (AUTHORITY.test(t) && contacted && pressured && !learning) return 'impersonation';
  // Someone only claimed to be someone: a warning, unless the citizen already hung up and asks how to report it.
  if (IMPERSONATING.test(t) && !learning && !CONTACT_ENDED.test(t)) return 'impersonation';
  if (oddLink && CLICK.test(t) && !learning) return 'impersonation';
  if (BORROW.test(t) && SOCIAL.test(t) && MONEY_MOVE.test(t) && !learning) return 'relative_money';
  if (chain(t, DEMAND, [w(INSTALLING), 3]) && LINK.test(t)) return 'app_from_link';
  if (JOB_SCAM.test(t) && (MONEY_MOVE.test(t) || STRANGER.test(t)) && !learning) return 'investment';
  if (chain(t, DEMAND, [w('chuyen tien|chuyen khoan|nop tien|dong phi|nop phi'), 3]) && w('tai khoan an toan|dieu tra|hoan tien|nhan thuong|trung thuong|giai ngan|bao lanh|xac minh').test(t)) {
    return 'transfer_demand';
  }
  // Advance fee: pay first to get lost money back, a loan paid out, a prize.
  if (chain(t, FEE, [FIRST, 5]) && PROMISED.test(t) && !learning) return 'transfer_demand';
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
