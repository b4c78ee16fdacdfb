import type { Topic } from '../lessons/schema.js';

/**
 * The optional check on first use: four short questions about what the citizen already does, and one about what
 * they want. A self-reported skill marks its lessons as known; "not yet" marks lessons as needed; the safety
 * question is a real quiz question and counts as one answer of evidence.
 */
export interface PlacementOption {
  label: string;
  /** Lessons this answer shows the learner already knows (self-reported). */
  knows?: string[];
  /** Lessons this answer shows the learner needs. */
  needs?: string[];
  /** For a knowledge question: the lessons it tests, and whether this option is right. */
  evidence?: { lessons: string[]; correct: boolean };
  /** For the goal question. */
  goal?: Topic;
}

export interface PlacementQuestion {
  id: string;
  question: string;
  options: PlacementOption[];
}

const PHONE_BASICS = ['dien-thoai-wifi-4g', 'dien-thoai-cai-ung-dung'];

export const PLACEMENT: PlacementQuestion[] = [
  {
    id: 'vneid',
    question: 'Bác đã cài và đăng nhập được ứng dụng VNeID trên điện thoại chưa?',
    options: [
      { label: 'Rồi, tôi dùng được', knows: [...PHONE_BASICS, 'vneid-gioi-thieu', 'vneid-dang-ky-muc-2', 'vneid-kich-hoat'] },
      { label: 'Đã cài nhưng chưa đăng nhập được', knows: [...PHONE_BASICS, 'vneid-gioi-thieu'], needs: ['vneid-kich-hoat'] },
      { label: 'Chưa', needs: ['vneid-gioi-thieu', 'vneid-kich-hoat'] },
    ],
  },
  {
    id: 'thanh-toan',
    question: 'Bác đã tự chuyển tiền hoặc quét mã QR để trả tiền bằng điện thoại chưa?',
    options: [
      {
        label: 'Rồi, tôi làm thường xuyên',
        knows: [...PHONE_BASICS, 'dien-thoai-quet-ma-qr', 'thanh-toan-ung-dung-ngan-hang', 'thanh-toan-chuyen-khoan', 'thanh-toan-vietqr'],
      },
      {
        label: 'Có ứng dụng ngân hàng nhưng chưa tự chuyển',
        knows: [...PHONE_BASICS, 'thanh-toan-ung-dung-ngan-hang'],
        needs: ['thanh-toan-chuyen-khoan'],
      },
      { label: 'Chưa', needs: ['thanh-toan-ung-dung-ngan-hang', 'thanh-toan-chuyen-khoan'] },
    ],
  },
  {
    id: 'dich-vu-cong',
    question: 'Bác đã tự nộp hồ sơ trên Cổng Dịch vụ công bằng điện thoại hoặc máy tính chưa?',
    options: [
      { label: 'Rồi', knows: ['dvc-nhan-biet-cong-that', 'dvc-dang-nhap', 'dvc-nop-ho-so'] },
      { label: 'Chưa', needs: ['dvc-nhan-biet-cong-that', 'dvc-dang-nhap'] },
    ],
  },
  {
    id: 'an-toan',
    question: 'Có người gọi xưng là công an, bảo bác đọc mã OTP vừa nhận được để "xác minh". Bác làm gì?',
    options: [
      { label: 'Đọc mã cho họ, vì là công an', evidence: { lessons: ['an-toan-otp', 'an-toan-gia-danh'], correct: false }, needs: ['an-toan-otp'] },
      { label: 'Hỏi tên, số hiệu rồi mới đọc mã', evidence: { lessons: ['an-toan-otp', 'an-toan-gia-danh'], correct: false }, needs: ['an-toan-otp'] },
      { label: 'Không đọc, cúp máy', evidence: { lessons: ['an-toan-otp', 'an-toan-gia-danh'], correct: true } },
    ],
  },
  {
    id: 'muc-tieu',
    question: 'Bác muốn học điều gì trước nhất?',
    options: [
      { label: 'VNeID', goal: 'vneid' },
      { label: 'Dịch vụ công trên mạng', goal: 'dich-vu-cong' },
      { label: 'Chuyển tiền, trả tiền bằng điện thoại', goal: 'thanh-toan' },
      { label: 'Tránh bị lừa đảo', goal: 'an-toan' },
      { label: 'Khám bệnh, sức khỏe', goal: 'suc-khoe' },
      { label: 'Bán hàng trên mạng', goal: 'mua-ban-online' },
    ],
  },
];

export interface PlacementOutcome {
  knows: Set<string>;
  needs: Set<string>;
  evidence: { lessonId: string; correct: boolean }[];
  goal?: Topic;
}

/** What the answers (question id -> option index; skipped questions absent) say about the learner. */
export function readPlacement(answers: Record<string, number>, questions = PLACEMENT): PlacementOutcome {
  const out: PlacementOutcome = { knows: new Set(), needs: new Set(), evidence: [] };
  for (const q of questions) {
    const option = q.options[answers[q.id] ?? -1];
    if (!option) continue;
    option.knows?.forEach((id) => out.knows.add(id));
    option.needs?.forEach((id) => out.needs.add(id));
    option.evidence?.lessons.forEach((lessonId) => out.evidence.push({ lessonId, correct: option.evidence!.correct }));
    if (option.goal) out.goal = option.goal;
  }
  // A lesson someone says they know is not also one they need.
  for (const id of out.knows) out.needs.delete(id);
  return out;
}

/** Lessons named by the placement check that the catalogue does not have (checked at start-up and in tests). */
export function unknownPlacementLessons(has: (id: string) => boolean, questions = PLACEMENT): string[] {
  const named = questions.flatMap((q) => q.options.flatMap((o) => [...(o.knows ?? []), ...(o.needs ?? []), ...(o.evidence?.lessons ?? [])]));
  return [...new Set(named)].filter((id) => !has(id));
}
