/**
 * Personal data is redacted before anything is stored, logged or sent to a model (bot-server/src/answering/secrets.ts,
 * the real module). Both directions matter: every ID, phone, code, account, card, email and address a citizen types
 * must go, and the numbers of an ordinary question about digital skills (amounts, years, dates, hotlines, lessons,
 * versions) must stay, or the question can no longer be answered.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSecrets, redact, SECRET_KINDS, type SecretKind } from '../bot-server/src/answering/secrets.js';
import { openTestContext } from './helpers.js';

const kindsOf = (text: string) => findSecrets(text).map((f) => f.kind);

/** [message, kinds found in order, pieces that must be gone from the redacted text] */
const PERSONAL: [string, SecretKind[], string[]][] = [
  // 12-digit ID numbers (CCCD), with and without diacritics, grouped as people group them
  ['số căn cước của tôi là 001 089 012 345', ['id_number'], ['001 089 012 345', '345']],
  ['so can cuoc cua toi la 001089012345', ['id_number'], ['001089012345']],
  ['CCCD: 079-188-001-234, cháu xem giúp bà', ['id_number'], ['079-188-001-234', '001-234']],
  ['Số định danh cá nhân 001.203.004.567 nhập vào ô nào', ['id_number'], ['001.203.004.567']],
  ['cccd001089012345 kich hoat vneid sao', ['id_number'], ['001089012345']],
  ['Bà có thẻ căn cước số 001089012345, làm định danh mức 2 được không', ['id_number'], ['001089012345']],
  // old 9-digit CMND, only with its name nearby
  ['CMND cũ của tôi là 123456789 còn dùng được không', ['id_number'], ['123456789']],
  ['so chung minh nhan dan 023 456 789 con dung duoc khong', ['id_number'], ['023 456 789']],
  // phones: mobiles in every way they are written, landlines with their area code
  ['số điện thoại của tôi là 0912345678', ['phone'], ['0912345678']],
  ['sđt 0912 345 678 gọi giúp tôi', ['phone'], ['0912 345 678']],
  ['gọi vào 0912.345.678 nhé cháu', ['phone'], ['0912.345.678']],
  ['số zalo của con +84 912 345 678', ['phone'], ['+84', '912 345 678']],
  ['84912345678 là số của con trai tôi', ['phone'], ['84912345678']],
  ['sdt0987654321 nhắn giúp', ['phone'], ['0987654321']],
  ['con gái tôi dùng số 0388-123-456', ['phone'], ['0388-123-456']],
  ['máy bàn nhà tôi 024 3825 1234', ['phone'], ['024 3825 1234', '3825']],
  ['số bàn 0210 3846 123 ở Phú Thọ', ['phone'], ['0210 3846 123']],
  ['gọi 912345678 là gặp tôi', ['phone'], ['912345678']],
  // one-time codes: named as a code, or pasted alone
  ['mã 482913', ['otp'], ['482913']],
  ['ma xac nhan la 4829', ['otp'], ['4829']],
  ['OTP: 123456', ['otp'], ['123456']],
  ['482913', ['otp'], ['482913']],
  ['Mã OTP của tôi là 483920 giờ làm gì tiếp', ['otp'], ['483920']],
  ['ngân hàng gửi mã 482 913 về máy, có người xin thì đưa không', ['otp'], ['482 913']],
  ['739104 là mã xác thực ngân hàng vừa gửi', ['otp'], ['739104']],
  ['Mã PIN thẻ ATM của tôi là 1234', ['otp'], ['1234']],
  ['smart otp 55120389 nhập ở đâu', ['otp'], ['55120389']],
  ['Mã kích hoạt VNeID của tôi 556677', ['otp'], ['556677']],
  // bank accounts, named
  ['STK 0123456789 Vietcombank', ['bank_account'], ['0123456789']],
  ['số tài khoản của tôi là 1903 4567 8901 23', ['bank_account'], ['1903 4567 8901 23']],
  ['tk vietcombank 0123456789 chuyển giúp', ['bank_account'], ['0123456789']],
  ['Số tài khoản Agribank 3300205123456, tên Nguyễn Văn A', ['bank_account'], ['3300205123456']],
  ['chuyển vào stk 0912345678 MB Bank', ['bank_account'], ['0912345678']],
  ['tài khoản BIDV: 21510001234567', ['bank_account'], ['21510001234567']],
  // cards: named, or told apart from other long numbers by the Luhn check
  ['thẻ của tôi 4111 1111 1111 1111 có bị khóa không', ['card'], ['4111 1111 1111 1111', '1111']],
  ['số thẻ 9704 3612 3456 7895 hết hạn 12/27', ['card'], ['9704 3612 3456 7895']],
  ['5123 4567 8901 2346 là số gì vậy', ['card'], ['5123 4567 8901 2346']],
  ['the tin dung 5555-5555-5555-4444', ['card'], ['5555-5555-5555-4444']],
  // emails
  ['email của tôi là nguyen.van.a@gmail.com', ['email'], ['nguyen.van.a@gmail.com', 'gmail']],
  ['gửi vào tranthib1960@yahoo.com.vn giúp tôi', ['email'], ['tranthib1960', 'yahoo']],
  // addresses: a house number or alley with street words, hamlets and groups
  ['nhà tôi ở số 12 ngõ 45 đường Hùng Vương, Hà Nội', ['address'], ['12', '45', 'Hùng Vương']],
  ['nhà 34 ngách 12/5 phố Trần Phú', ['address'], ['34', '12/5', 'Trần Phú']],
  ['so nha 7 hem 3 duong Le Loi quan 1', ['address'], ['7', 'hem 3', 'Le Loi']],
  ['tôi ở tổ 5 khu 3 phường Quang Trung', ['address'], ['tổ 5', 'khu 3']],
  ['nhà bà ở thôn Đông, xã Yên Bình, huyện Ý Yên', ['address'], ['thôn Đông', 'Yên Bình']],
  ['kiệt 34 Hùng Vương, Huế', ['address'], ['34', 'Hùng Vương']],
  ['15 hẻm 7 đường Nguyễn Trãi', ['address'], ['15', 'hẻm 7', 'Nguyễn Trãi']],
  ['ấp 3 xã Tân Phú Trung', ['address'], ['ấp 3', 'Tân Phú']],
  ['số nhà 25A ngõ 102 Trường Chinh', ['address'], ['25A', '102', 'Trường Chinh']],
  ['nhà tôi ở 45 Lý Thường Kiệt, gần chợ', ['address'], ['45', 'Lý Thường Kiệt']],
  ['Số 1 Đại Cồ Việt, Hà Nội', ['address'], ['Số 1', 'Đại Cồ Việt']],
  ['xom 4 thon Bac, xa Hoa An', ['address'], ['xom 4', 'thon Bac']],
  // passwords
  ['mật khẩu của tôi là Hoa@1960', ['password'], ['Hoa@1960']],
  ['mat khau ngan hang cua toi la Lan@1965 nho ban luu giup', ['password'], ['Lan@1965']],
  ['pass wifi là 12345678', ['password'], ['12345678']],
  // several in one message
  ['tôi tên Lan, sđt 0912345678, stk 0123456789 Vietcombank', ['phone', 'bank_account'], ['0912345678', '0123456789']],
  ['CCCD 001089012345 và mã OTP 482913', ['id_number', 'otp'], ['001089012345', '482913']],
  [
    'email lan1960@gmail.com, số điện thoại 0912 345 678, nhà số 5 ngõ 7 phố Huế',
    ['email', 'phone', 'address'],
    ['lan1960', '0912 345 678', 'ngõ 7'],
  ],
];

/** Ordinary questions: their numbers are what the question is about and must stay. */
const ORDINARY: string[] = [
  'chuyển 500.000 đồng cho con thế nào',
  'nạp 500k vào momo được không',
  'chuyển 2 triệu có mất phí không',
  'chuyển 1.500.000 có cần mã OTP không',
  'số dư còn 2500000 mà không rút được',
  'Mua hàng 199.000đ trên Shopee có an toàn không',
  'giá 1.250.000 có đắt không',
  'năm 2025 có phải đổi căn cước không',
  'năm 1960 tôi sinh ra, giờ làm VNeID được không',
  'ngày 15/10/2025 tôi nhận mã OTP lạ',
  'hẹn lúc 10:30 sáng mai ra phường',
  'gọi 113 khi có cướp, 114 cháy, 115 cấp cứu, 111 bảo vệ trẻ em',
  'tổng đài 1900 1234 có phải của ngân hàng không',
  'hotline 1800 1091 miễn phí không',
  'nhắn tin tới tổng đài 156 để báo lừa đảo',
  'đầu số 156 và 5656 dùng làm gì',
  'tổng đài 024 3825 1234 của sở có thật không',
  'bài 12 nói về mã QR',
  'lãi 30% mỗi tuần có phải lừa đảo không',
  'máy tôi còn 15% pin',
  'iOS 17.2 có cài VNeID được không',
  'Zalo phiên bản 24.10.1 bị lỗi',
  'cập nhật Android 14 xong mất Zalo',
  'chuyển trên 10 triệu phải xác thực khuôn mặt',
  'mã hồ sơ 000123 nộp rồi tra ở đâu',
  'Huyết áp 160 thì nên làm gì',
  'con tôi 8 tuổi làm căn cước được không',
  'điện thoại 4G bật ở đâu',
  'Tui tải VNeID rồi mà hổng biết kích hoạt sao, nó đòi đặt cái mã 6 số á',
  'mật khẩu là gì vậy cháu',
  'mật khẩu là phải có chữ hoa với số hả con',
  'password 123456 co an toan khong',
  'Má tui 80 tuổi muốn mở tài khoản ngân hàng',
  'đường Hùng Vương có chỗ làm căn cước không',
  'phường 7 quận 3 làm căn cước ở đâu',
  'tổ chức lớp học ở nhà văn hóa thôn',
  'bước 3 trong bài 5 làm sao',
  'giai giup chau bai toan lop 5: hinh chu nhat dai 12cm rong 8cm',
  'kích hoạt VNeID mức 2 cần mang gì',
  'bấm số 2 Cài đặt rồi chọn Tài khoản',
  'học bài số 5 Bình dân học vụ số',
  'Tôi 68 tuổi, sinh năm 1957',
  'Tôi sinh ngày 12/05/1960',
  'Mã giảm giá 123456 dùng thế nào',
  'mã bưu chính 100000 là của đâu',
  'Biển số xe 29A-123.45 bị phạt nguội',
];

describe('redaction of personal data', () => {
  it.each(PERSONAL)('%s', (text, kinds, gone) => {
    expect(kindsOf(text)).toEqual(kinds);
    const out = redact(text);
    for (const piece of gone) expect(out).not.toContain(piece);
    expect(out).toMatch(/\[[^\]]+\]/);
  });

  it('has enough cases in each direction to mean something', () => {
    expect(PERSONAL.length).toBeGreaterThanOrEqual(40);
    expect(ORDINARY.length).toBeGreaterThanOrEqual(25);
  });

  it('keeps the words around what it removes, and uses Vietnamese placeholders', () => {
    expect(redact('nhà tôi ở số 12 ngõ 45 đường Hùng Vương, Hà Nội')).toBe('nhà tôi ở [địa chỉ], Hà Nội');
    expect(redact('email của tôi là nguyen.van.a@gmail.com.')).toBe('email của tôi là [email].');
    expect(redact('sđt 0912 345 678 gọi giúp tôi')).toBe('sđt [số điện thoại] gọi giúp tôi');
    expect(redact('số căn cước của tôi là 001 089 012 345')).toBe('số căn cước của tôi là [số định danh]');
    expect(redact('Số tài khoản Agribank 3300205123456, tên Nguyễn Văn A')).toBe('Số tài khoản Agribank [số tài khoản], tên Nguyễn Văn A');
  });

  it('a long number it cannot name is still removed, but not as a card (no Luhn, or named as another code)', () => {
    expect(kindsOf('mã số BHXH 0123456789 tra ở đâu')).toEqual(['other_number']);
    expect(kindsOf('đơn hàng 4111111111111111 giao chưa')).toEqual(['other_number']);
    expect(kindsOf('thẻ BHYT số 4111111111111111')).toEqual(['other_number']);
    expect(kindsOf('1234 5678 9012 3456 là số gì')).toEqual(['other_number']);
    expect(redact('1234 5678 9012 3456 là số gì')).toBe('[dãy số] là số gì');
  });

  it('reads a keyword typed with diacritics as the word it is: "mã" is a code, "mà" and "má" are not', () => {
    expect(kindsOf('mã 4829 nhập vào đâu')).toEqual(['otp']);
    expect(kindsOf('ma 4829 nhap vao dau')).toEqual(['otp']);
    expect(kindsOf('mà 4829 nhập vào đâu')).toEqual([]);
    expect(kindsOf('tổ 5 khu 3')).toEqual(['address']);
    expect(kindsOf('tờ 5 khu 3')).toEqual([]);
  });

  it('context never crosses a clause: a code word in one sentence does not make a number in the next a code', () => {
    expect(kindsOf('Tôi chưa nhận được mã. Mua 2 cái hết 4500 à')).toEqual([]);
    expect(kindsOf('Tôi chưa nhận được mã, 4500 là gì')).toEqual([]);
    expect(kindsOf('Tôi chưa nhận được mã 4500')).toEqual(['otp']);
  });
});

describe('ordinary numbers stay', () => {
  it.each(ORDINARY)('%s', (text) => {
    expect(findSecrets(text)).toEqual([]);
    expect(redact(text)).toBe(text);
  });
});

describe('which findings are safety events', () => {
  it('an OTP, password, ID number or card is a secret; a phone, address, email or account is personal data', () => {
    expect([...SECRET_KINDS].sort()).toEqual(['card', 'id_number', 'otp', 'password']);
    const secret = (text: string) => findSecrets(text).some((f) => SECRET_KINDS.has(f.kind));
    for (const text of ['mã 482913', 'CCCD 001089012345', 'thẻ 4111 1111 1111 1111', 'mật khẩu là Hoa@1960']) expect(secret(text), text).toBe(true);
    for (const text of ['sđt 0912345678', 'stk 0123456789', 'lan1960@gmail.com', 'số 12 ngõ 45 phố Huế']) expect(secret(text), text).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Properties

const WORDS = [
  'tôi', 'toi', 'của', 'cua', 'là', 'la', 'số', 'so', 'mã', 'ma', 'OTP', 'tài', 'khoản', 'tk', 'stk', 'thẻ', 'the',
  'căn', 'cước', 'cccd', 'cmnd', 'gọi', 'goi', 'sđt', 'năm', 'nam', 'ngày', 'chuyển', 'chuyen', 'tiền', 'đồng', 'triệu',
  'bác', 'cháu', 'ơi', 'nhé', 'giúp', 'vneid', 'zalo', 'ngân', 'hàng', 'Vietcombank', 'nhà', 'ngõ', 'ngách', 'hẻm',
  'đường', 'phố', 'tổ', 'khu', 'thôn', 'xã', 'phường', 'Hùng', 'Vương', 'Lê', 'Lợi', 'mật', 'khẩu', 'pass', 'email',
  'được', 'không', 'sao', 'vậy', 'rồi', 'mà', 'má', 'bài', 'lớp', 'tuổi', 'giờ', 'xác', 'nhận', 'thực', 'kích', 'hoạt',
];
const word = fc.constantFrom(...WORDS);
const digit = fc.integer({ min: 0, max: 9 }).map(String);
/** Digits joined as people type them: nothing, or a single space, dot or dash here and there. */
const digitsWithSeparators = (length: number) =>
  fc.tuple(fc.array(digit, { minLength: length, maxLength: length }), fc.array(fc.constantFrom('', '', '', ' ', '.', '-'), { minLength: length, maxLength: length })).map(
    ([ds, seps]) => ds.map((d, i) => (i === 0 ? d : seps[i]! + d)).join(''),
  );
const sentence = (middle: fc.Arbitrary<string>) =>
  fc.tuple(fc.array(word, { maxLength: 8 }), middle, fc.array(word, { maxLength: 8 })).map(([a, m, b]) => [...a, m, ...b].join(' '));

// Pieces of messages for the properties that look at whole messages (no hotline words: an official hotline may stay).
const phone = fc.tuple(fc.constantFrom('09', '03', '08', '07', '05', '+84 9', '84 3', '024 ', '0210 '), digitsWithSeparators(8)).map(([p, d]) => p + d);
const cccd = fc.tuple(fc.constantFrom('0'), digitsWithSeparators(11)).map(([p, d]) => p + d);
const anyNumber = fc.integer({ min: 1, max: 20 }).chain((n) => digitsWithSeparators(n));
const email = fc.tuple(fc.stringMatching(/^[a-z][a-z0-9.]{0,8}$/), fc.constantFrom('gmail.com', 'yahoo.com.vn')).map(([u, d]) => `${u.replace(/\.+$/, '')}@${d}`);
const address = fc.tuple(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 200 })).map(([h, l]) => `số ${h} ngõ ${l} đường Hùng Vương`);
const piece = fc.oneof(
  { weight: 6, arbitrary: word },
  { weight: 2, arbitrary: anyNumber },
  { weight: 1, arbitrary: phone },
  { weight: 1, arbitrary: cccd },
  { weight: 1, arbitrary: email },
  { weight: 1, arbitrary: address },
  { weight: 1, arbitrary: fc.constantFrom(',', '.', ':', '/', '+', '@', '%', '\n', 'A', 'mật khẩu là', 'mã OTP là', 'số tài khoản', 'Hoa@1960') },
  { weight: 1, arbitrary: fc.constantFrom('[mã OTP]', '[số điện thoại]', '[địa chỉ]', '[mật khẩu]', '[email]', '[dãy số]', '[số thẻ]') },
);
/** Mostly spaces between pieces, sometimes none ("sdt0912…") or punctuation. */
const glue = fc.constantFrom(' ', ' ', ' ', ' ', '', ', ', '. ', '  ');
const message = fc.array(fc.tuple(piece, glue), { minLength: 1, maxLength: 25 }).map((ps) => ps.map(([p, g]) => p + g).join(''));

function luhn(digits: string): boolean {
  let sum = 0;
  [...digits].reverse().forEach((c, i) => {
    const d = Number(c) * (i % 2 ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  });
  return sum % 10 === 0;
}

/** What must never be left in a redacted message: a run of 9+ digits shaped like a phone, an ID or a card. */
function leftovers(text: string): string[] {
  return [...text.matchAll(/\d(?:[ .-]?\d)*/g)]
    .map((m) => m[0].replace(/\D/g, ''))
    .filter((d) => d.length >= 9)
    .filter((d) => /^(?:0|84)[235789]\d{8,9}$/.test(d) || (d.length === 12 && d.startsWith('0')) || (d.length >= 13 && d.length <= 19 && luhn(d)));
}

describe('properties', () => {
  it('any 12-digit number among Vietnamese words is redacted, however it is grouped', () => {
    fc.assert(
      fc.property(sentence(digitsWithSeparators(12)), (text) => {
        expect(redact(text)).not.toMatch(/\d/);
      }),
      { numRuns: 300 },
    );
  });

  it('any mobile number among Vietnamese words is redacted', () => {
    fc.assert(
      fc.property(sentence(fc.tuple(fc.constantFrom('09', '03', '08', '07', '05', '+84 9', '849'), digitsWithSeparators(8)).map(([p, d]) => p + d)), (text) => {
        expect(redact(text)).not.toMatch(/\d{3}/);
      }),
      { numRuns: 300 },
    );
  });

  it('redacting twice changes nothing more', () => {
    fc.assert(
      fc.property(message, (text) => {
        const once = redact(text);
        expect(redact(once)).toBe(once);
      }),
      { numRuns: 500 },
    );
  });

  it('never leaves a 9+ digit run shaped like a phone, ID or card', () => {
    fc.assert(
      fc.property(message, (text) => {
        expect(leftovers(redact(text))).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('findings are ordered, do not overlap and lie inside the text', () => {
    fc.assert(
      fc.property(message, (text) => {
        const findings = findSecrets(text);
        findings.forEach((f, i) => {
          expect(f.start).toBeLessThan(f.end);
          expect(f.end).toBeLessThanOrEqual(text.normalize('NFC').length);
          if (i > 0) expect(f.start).toBeGreaterThanOrEqual(findings[i - 1]!.end);
        });
      }),
    );
  });

  it('handles hostile input of 1,000 characters of digits, spaces and dots (and of address words, and @)', () => {
    const hostile = [
      '1 2.3 4..5  6 7.8.9 0 '.repeat(50).slice(0, 1000),
      '9'.repeat(1000),
      '1 '.repeat(500),
      '1.'.repeat(500),
      'số 1 ngõ 2 '.repeat(91).slice(0, 1000),
      'quận 1 '.repeat(143),
      'a@'.repeat(500),
      'a.'.repeat(499) + '@b',
      'mật khẩu của '.repeat(77),
    ];
    for (const text of hostile) {
      expect(text.length).toBeGreaterThanOrEqual(990);
      const out = redact(text);
      expect(leftovers(out)).toEqual([]);
    }
  });
});

describe('the assistant keeps its behaviour', () => {
  let ctx: Awaited<ReturnType<typeof openTestContext>>;
  beforeAll(async () => {
    ctx = await openTestContext();
  });
  afterAll(async () => ctx?.close());

  it('personal data is redacted from the question it answers, without a safety warning', async () => {
    const { reply, trace } = await ctx.assistant.replyWithTrace(
      'tôi muốn chuyển khoản cho con, stk 0123456789, số điện thoại 0912 345 678, nhà số 12 ngõ 45 phố Huế, email lan1960@gmail.com, làm sao chuyển',
    );
    expect(reply.kind).toBe('answer');
    expect(trace.redacted).toContain('[số tài khoản]');
    expect(trace.redacted).toContain('[số điện thoại]');
    expect(trace.redacted).toContain('[địa chỉ]');
    expect(trace.redacted).toContain('[email]');
    expect(trace.redacted).not.toMatch(/0123456789|0912|ngõ 45|lan1960/);
  });

  it.each(['CMND của tôi là 123456789, làm VNeID được không', 'so the 9704 3612 3456 7895 cua toi bi khoa', 'ma xac nhan la 4829'])(
    'a secret turns the reply into a safety warning that does not repeat it: %s',
    async (message) => {
      const reply = await ctx.assistant.reply(message);
      expect(reply.kind).toBe('safety');
      expect(JSON.stringify(reply)).not.toMatch(/123456789|9704|4829/);
    },
  );
});
