import { foldedSyllables, STOP_SYLLABLES } from '../text/tokens.js';

/**
 * Greetings and thanks carry no question: answering them from a lesson ("chào" appears in lesson text) would be
 * nonsense. A message made only of such words (and particles) gets a friendly reply with the main choices.
 */
export type SmallTalk = 'greeting' | 'thanks';

const GREETING = new Set(['chao', 'xin', 'hello', 'hi', 'alo', 'allo', 'helo', 'hey', 'buoi', 'sang', 'trua', 'chieu', 'toi']);
const THANKS = new Set(['cam', 'on', 'thank', 'thanks', 'tks', 'thx', 'cmon', 'ok', 'oke', 'okie', 'vang', 'da', 'duoc', 'roi', 'hieu', 'tot', 'qua', 'nhieu', 'tam', 'biet', 'bye']);

export function detectSmallTalk(message: string): SmallTalk | undefined {
  const words = foldedSyllables(message).filter((w) => !STOP_SYLLABLES.has(w));
  if (words.length === 0 || words.length > 6) return undefined;
  if (words.every((w) => GREETING.has(w)) && words.some((w) => w === 'chao' || w === 'hello' || w === 'hi' || w === 'alo')) {
    return 'greeting';
  }
  if (words.every((w) => THANKS.has(w) || GREETING.has(w))) return 'thanks';
  return undefined;
}

export const SMALL_TALK_TEXT: Record<SmallTalk, string> = {
  greeting:
    'Chào bác! Cháu là trợ lý Bình dân học vụ số. Cháu giúp bác dùng VNeID, dịch vụ công trực tuyến, chuyển tiền, ' +
    'tránh lừa đảo, sức khỏe điện tử, điện thoại và mua bán online. Bác muốn hỏi việc nào ạ?',
  thanks: 'Dạ, không có gì ạ. Bác cần hỏi thêm việc gì cứ nhắn cháu nhé.',
};
