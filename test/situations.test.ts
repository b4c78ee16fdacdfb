/**
 * The deterministic scam detector on its own (real module, nothing mocked). Each group holds the reported
 * questions it was fixed for (ids from test/eval/questions.jsonl) and paraphrases written for this file, not in
 * any question set, so that a rule is shown to cover a situation rather than one sentence.
 */
import { describe, expect, it } from 'vitest';
import { detectScam } from '../bot-server/src/answering/situations.js';

describe('detectScam: the app asking for a password or code is not a scammer', () => {
  it.each([
    // vn2-011
    'Hồi trước tôi toàn đăng nhập vneid bằng vân tay, giờ cài lại máy thì nó đòi mật khẩu mà tôi không nhớ nổi. Có cách nào lấy lại không hay phải ra công an?',
    'hoi truoc toi toan dang nhap vneid bang van tay, gio cai lai may thi no doi mat khau ma toi khong nho noi, lay lai sao',
    // vn2-026 and its variant without diacritics
    'Tui bị mất điện thoại, giờ mua máy mới cài VNeID thì nó đòi mã xác thực gửi về máy cũ. Máy cũ mất rồi lấy đâu ra mã, làm sao giờ?',
    'vneid gui ma xac thuc ve may cu ma may cu hu roi, gio lam sao',
    // paraphrases
    'Đổi điện thoại mới, đăng nhập Zalo thì nó bắt nhập mã xác nhận gửi về số cũ, số cũ bỏ rồi',
    'app ngân hàng đòi nhập mã OTP khi chuyển tiền thì nhập ở đâu',
    'Mẹ tôi mới mua máy mới, cài VNeID thì nó đòi mật khẩu, quên mất rồi',
    'doi mat khau zalo the nao',
  ])('%s', (q) => {
    expect(detectScam(q)).toBeUndefined();
  });

  it.each([
    // the same demand from a caller, a message or a link stays a warning
    ['nó gọi bảo đọc mã xác thực vừa nhận để hoàn tiền', 'asked_for_secret'],
    ['no goi bao doc cai ma vua nhan de hoan tien', 'asked_for_secret'],
    ['Có người gọi bảo đọc mã OTP vừa nhận để nhận quà', 'asked_for_secret'],
    ['cài app theo link người ta gửi xong nó đòi nhập mật khẩu ngân hàng', 'asked_for_secret'],
  ])('%s', (q, kind) => {
    expect(detectScam(q)).toBe(kind);
  });
});

describe("detectScam: the citizen's own past mistake is not a request", () => {
  it.each([
    'App ngân hàng bị khóa vì nhập sai mật khẩu 3 lần rồi, giờ làm sao mở lại?',
    'app ngan hang bi khoa vi nhap sai mat khau may lan roi lam sao mo',
    'tôi gõ sai mã pin mấy lần rồi thẻ bị khóa',
    'Lỡ quên passcode VNeID, nhập mã OTP gửi về điện thoại rồi mà vẫn không vào được',
  ])('%s', (q) => {
    expect(detectScam(q)).toBeUndefined();
  });

  it.each([
    ['tôi lỡ đọc mã OTP cho người gọi rồi', 'compromised'],
    ['toi lo doc ma cho no roi', 'compromised'],
    ['có tin nhắn gửi link, tôi nhập mật khẩu vào đó rồi', 'compromised'],
  ])('handing a code to someone still is: %s', (q, kind) => {
    expect(detectScam(q)).toBe(kind);
  });
});

describe('detectScam: words that fold alike are told apart by their diacritics', () => {
  it.each([
    // at2-022: "lộ" (leaked) is not "lỡ", "Mà" (but) is not "mã"
    'Tui thấy mấy bà trong xóm khoe thẻ căn cước mới trên Zalo quá trời. Tui cũng tính đăng cho vui. Mà nghe nói lộ thông tin, vậy lộ thì kẻ xấu làm được gì hả con?',
    // pm2-016: "nhỏ" (small) is not "nhờ", "nói" is not a code being read out
    'Con tui ở Sài Gòn, tui ở ngoài Bắc, muốn nhắn Zalo cho nó mà gõ chậm quá, chữ nhỏ mắt kém. Nghe nói có cách nói vô điện thoại là ra chữ. Làm sao vậy?',
    // pm2-022: "bắt đầu từ" is not "đầu tư", "chuyển đổi số" is not a transfer
    'Tui bán cá ở chợ xã hơn chục năm, giờ người ta nói tiểu thương phải tham gia chợ số, chuyển đổi số gì đó. Tui già rồi không rành điện thoại. Bắt đầu từ đâu cho dễ?',
    // paraphrases, with and without diacritics
    'Lỡ lộ số căn cước thì kẻ gian làm gì được',
    'Chữ nhỏ quá mà tôi nhờ cháu chỉnh mãi không được, làm sao phóng to chữ',
    'muon nhan tin cho con ma go cham qua, co cach noi vo dien thoai ra chu khong',
    'Tôi bán rau ở chợ, muốn bắt đầu từ việc nhận tiền qua mã QR thì làm sao',
    'chuyển đổi số ở chợ là gì, tiểu thương phải làm gì',
    'Ngân hàng có bao giờ hỏi mật khẩu qua điện thoại không',
  ])('%s', (q) => {
    expect(detectScam(q)).toBeUndefined();
  });
});

describe('detectScam: a call that is already over, asked about to report it', () => {
  it.each([
    // at2-015
    'Con ơi, hồi sáng có đứa gọi tự nhận là bên điện lực, má tắt máy rồi, không mất gì hết. Mà má muốn báo cái số đó cho người ta chặn thì làm sao?',
    'hôm qua có người gọi xưng là công an, tôi cúp máy rồi, muốn báo số đó thì làm sao',
    'co dua goi tu nhan la nhan vien ngan hang, toi tat may roi, bao cao so do o dau',
  ])('%s', (q) => {
    expect(detectScam(q)).toBeUndefined();
  });

  it('a caller who only claims to be someone, still on the line, is a warning', () => {
    expect(detectScam('có người gọi tự nhận là bên điện lực, nói chuyện hoài, tôi có nên nghe tiếp không')).toBe('impersonation');
  });
});

describe('detectScam: bank messages with a link', () => {
  it.each([
    // at2-s01, at2-s06: bank names and link endings scam messages use
    'ngân hàng nhắn tài khoản bị khóa bấm link vcb-xacminh.top để mở, có nên bấm không',
    'tin nhắn agribank nói phải cập nhật sinh trắc học không thì tài khoản bị khóa trong 24h, link là agribank-vn.xyz, con bấm giùm má được không',
    // paraphrases
    'tin nhan vietinbank bao tai khoan bi tam khoa, bam link vietinbank-hotro.xyz de mo lai, bam ko',
    'BIDV nhắn tài khoản sắp bị khóa, phải cập nhật thông tin qua link, con làm giúp má',
    'co tin nhan gui link techcombank-uudai.vip bao nhan qua, toi bam vao duoc khong',
  ])('%s', (q) => {
    expect(detectScam(q)).toBe('impersonation');
  });

  it.each([
    'làm sao nhận biết link giả đuôi .top',
    'trang dichvucong.gov.vn có phải trang thật không',
  ])('learning about links is not a warning: %s', (q) => {
    expect(detectScam(q)).toBeUndefined();
  });
});

describe('detectScam: ID card and face for money, ID and password on a page someone sent', () => {
  it.each([
    // at2-s04
    'có ông tới nhà nói cho ổng chụp căn cước với quét mặt là trả 200 nghìn, ổng đang đợi ngoài cửa, tui cho chụp nha',
    // at2-s05
    'ai đó gửi trang web bảo hiểm xã hội để nhận tiền hỗ trợ, trang bắt nhập số căn cước với mật khẩu ngân hàng, tui đang nhập dở',
    // paraphrases
    'có bà đang đứng trước nhà nói cho bả quét khuôn mặt với chụp căn cước thì tặng 300 nghìn, cho không',
    'co nguoi dang o ngoai cua tra 150k de chup cccd voi quet mat, tui cho chup nha',
    'trang web dịch vụ công ai gửi bắt nhập số căn cước và mật khẩu ngân hàng để nhận trợ cấp, tôi nhập được nửa rồi',
  ])('%s', (q) => {
    expect(detectScam(q)).toBe('asked_for_secret');
  });

  it.each([
    // a general question about such offers, and the citizen's own photo for a public service
    'có người đi từng nhà trả tiền để chụp căn cước, có nên không',
    'Chụp cái căn cước để nộp hồ sơ thì chụp một mặt hay hai mặt dzậy con?',
    'mở tài khoản ngân hàng trên điện thoại phải quét khuôn mặt không',
  ])('not a warning: %s', (q) => {
    expect(detectScam(q)).toBeUndefined();
  });
});

describe('detectScam: a fee paid first to get money back, a loan or a prize', () => {
  it.each([
    // at2-s07
    'có trang facebook tên tiếp nhận xử lý lừa đảo mạng nói lấy lại tiền cho tui, kêu chuyển phí hồ sơ 2 triệu trước',
    // paraphrases
    'Bên cho vay bảo phải nộp phí bảo hiểm khoản vay trước mới giải ngân',
    'có nhóm nhận thu hồi tiền giúp, họ bảo đóng phí dịch vụ 1 triệu thì mới lấy lại được',
  ])('%s', (q) => {
    expect(detectScam(q)).toBe('transfer_demand');
  });

  it.each([
    'đổi hình thức nhận lương hưu có mất phí không',
    'nộp hồ sơ dịch vụ công có phải đóng phí trước không',
    'vay tiền ngân hàng có phải đóng phí hồ sơ không',
  ])('asking about fees is not a warning: %s', (q) => {
    expect(detectScam(q)).toBeUndefined();
  });
});
