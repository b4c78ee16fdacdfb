import type { Lesson } from '../lessons/schema.js';
import { foldedSyllables } from '../text/tokens.js';
import type { ScamSituation } from './situations.js';

/** How many query terms (and adjacent pairs, counted double) a sentence contains. */
function overlap(sentence: string, terms: string[]): number {
  const words = foldedSyllables(sentence);
  const set = new Set(words);
  const joined = ` ${words.join(' ')} `;
  let score = 0;
  for (const t of terms) if (set.has(t)) score += 1;
  for (let i = 0; i + 1 < terms.length; i++) if (joined.includes(` ${terms[i]} ${terms[i + 1]} `)) score += 2;
  return score;
}

function sentences(text: string): string[] {
  return text
    .replace(/[*_`#>]/g, '')
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 20);
}

function numbered(steps: string[]): string {
  return steps.map((s, i) => `${i + 1}. ${s}`).join('\n');
}

/**
 * An extractive answer: one lead sentence (the summary, or the lesson sentence that matches the question best
 * when the summary does not), the lesson's steps, and the most relevant "what can go wrong".
 */
export function composeAnswer(lesson: Lesson, terms: string[]): string {
  const candidates = [...sentences(lesson.body), ...lesson.quiz.map((q) => q.why)];
  // A sentence replaces the summary only when it covers more of the question than the summary and the steps.
  let lead = lesson.summary;
  let leadScore = Math.max(overlap(lesson.summary, terms), overlap(lesson.steps.join(' '), terms));
  for (const s of candidates) {
    const score = overlap(s, terms);
    if (score > leadScore) {
      lead = s;
      leadScore = score;
    }
  }
  const parts = [lead, numbered(lesson.steps)];
  if (lesson.pitfalls.length > 0) {
    const pitfall = [...lesson.pitfalls].sort((a, b) => overlap(b, terms) - overlap(a, terms))[0]!;
    parts.push(`Lưu ý: ${pitfall}`);
  }
  parts.push(`Theo bài: «${lesson.title}».`);
  return parts.join('\n');
}

/**
 * The warning comes first, in plain words; the facts behind each one are in the cited safety lessons
 * (../../knowledge/an-toan/) and ../shared/research/lesson-facts.md.
 */
const WARNINGS: Record<ScamSituation, string> = {
  secret_shared:
    'CẢNH BÁO: Bác đừng gửi mã OTP, mật khẩu, số thẻ hay số căn cước cho bất kỳ ai, kể cả cho trợ lý này. ' +
    'Cháu đã không lưu lại thông tin đó. Nếu bác lỡ đưa cho người khác, hãy đổi mật khẩu ngay và gọi tổng đài chính thức của ngân hàng để khóa tài khoản.',
  compromised:
    'CẢNH BÁO: Nếu bác đã nhập mật khẩu hay mã OTP vào đường link lạ hoặc đọc cho người khác, hãy làm ngay: gọi tổng đài chính thức ' +
    'của ngân hàng để khóa tài khoản, rồi đổi mật khẩu. Không bấm thêm vào đường link đó.',
  relative_money:
    'CẢNH BÁO LỪA ĐẢO: Tài khoản Facebook, Zalo của người quen có thể đã bị kẻ gian chiếm để nhắn vay tiền. ' +
    'Bác gọi điện trực tiếp vào số quen thuộc của người đó để hỏi lại trước khi chuyển, nhất là khi họ bảo chuyển vào tài khoản người khác.',
  asked_for_secret:
    'CẢNH BÁO LỪA ĐẢO: Không ai được bắt bác đọc hay gửi mã OTP, mã xác thực, mật khẩu — kể cả người xưng là công an, ' +
    'ngân hàng hay nhân viên hoàn tiền. Bác không đọc mã, không làm theo, cúp máy ngay.',
  impersonation:
    'CẢNH BÁO LỪA ĐẢO: Đây rất có thể là kẻ giả danh. Công an, ngân hàng, điện lực không gọi điện bắt bác chuyển tiền, ' +
    'đọc mã OTP hay cài ứng dụng qua đường link. Bác cúp máy, không làm theo, rồi hỏi người thân hoặc đến thẳng cơ quan đó.',
  already_scammed:
    'CẢNH BÁO: Nếu bác vừa bị lừa chuyển tiền, hãy làm ngay: gọi tổng đài chính thức của ngân hàng để yêu cầu khóa tài khoản, ' +
    'chặn giao dịch; rồi đến báo công an xã, phường nơi gần nhất. Giữ lại tin nhắn, số điện thoại và biên lai làm bằng chứng.',
  investment:
    'CẢNH BÁO LỪA ĐẢO: Người lạ rủ đầu tư, làm nhiệm vụ, "việc nhẹ lương cao" rồi bảo nạp tiền là chiêu lừa đảo phổ biến. ' +
    'Bác không chuyển tiền, không bấm link, chặn và báo người đó.',
  app_from_link:
    'CẢNH BÁO LỪA ĐẢO: Không cài ứng dụng từ đường link hay tệp người khác gửi. Ứng dụng thật chỉ cài từ CH Play hoặc App Store. ' +
    'Ứng dụng giả có thể đọc tin nhắn OTP và lấy hết tiền trong tài khoản.',
  transfer_demand:
    'CẢNH BÁO LỪA ĐẢO: Không cơ quan nào bắt bác chuyển tiền vào "tài khoản an toàn" hay nộp phí để nhận thưởng, nhận hoàn tiền. ' +
    'Bác không chuyển tiền, cúp máy, hỏi lại người thân.',
};

export function composeSafety(situation: ScamSituation, lesson: Lesson | undefined): string {
  const parts = [WARNINGS[situation]];
  if (lesson) {
    parts.push(`Bác xem bài «${lesson.title}»:`, numbered(lesson.steps.slice(0, 4)));
  }
  return parts.join('\n');
}

export const OUT_OF_SCOPE_TEXT =
  'Xin lỗi bác, cháu chỉ giúp được về kỹ năng số: VNeID, dịch vụ công trực tuyến, chuyển tiền và thanh toán, ' +
  'tránh lừa đảo trên mạng, sức khỏe điện tử, dùng điện thoại và mua bán online. ' +
  'Bác thử hỏi, ví dụ: "Cài VNeID thế nào?" hoặc "Chuyển khoản bằng điện thoại ra sao?"';

export const OUT_OF_SCOPE_HEALTH_TEXT =
  'Xin lỗi bác, cháu không tư vấn bệnh hay thuốc. Về sức khỏe, bác hỏi bác sĩ hoặc cơ sở y tế. ' +
  'Cháu có thể giúp bác đặt lịch khám qua điện thoại, xem sổ sức khỏe điện tử hay dùng thẻ bảo hiểm y tế trên VNeID.';

export const CLARIFY_TEXT = 'Bác muốn hỏi về việc nào ạ? Bác bấm chọn một việc dưới đây, hoặc hỏi rõ hơn một chút.';
