import { describe, expect, it } from 'vitest';
import { LessonCatalog } from '../bot-server/src/lessons/catalog.js';
import { loadLessons } from '../bot-server/src/lessons/load.js';
import { REPO_ROOT } from '../bot-server/src/config.js';
import { TypoCorrector } from '../bot-server/src/retrieval/typos.js';
import { foldVietnamese, normalizeText } from '../bot-server/src/text/fold.js';
import { accentedSyllables, contentSyllables, foldedSyllables, syllables } from '../bot-server/src/text/tokens.js';
import { join } from 'node:path';

/**
 * Every Vietnamese vowel with each of the six tones (none, huyền, sắc, hỏi, ngã, nặng), written out as
 * precomposed (NFC) characters so the table does not depend on the normalisation the code under test uses.
 */
const VOWELS: [base: string, lower: string, upper: string][] = [
  ['a', 'aàáảãạ', 'AÀÁẢÃẠ'],
  ['a', 'ăằắẳẵặ', 'ĂẰẮẲẴẶ'],
  ['a', 'âầấẩẫậ', 'ÂẦẤẨẪẬ'],
  ['e', 'eèéẻẽẹ', 'EÈÉẺẼẸ'],
  ['e', 'êềếểễệ', 'ÊỀẾỂỄỆ'],
  ['i', 'iìíỉĩị', 'IÌÍỈĨỊ'],
  ['o', 'oòóỏõọ', 'OÒÓỎÕỌ'],
  ['o', 'ôồốổỗộ', 'ÔỒỐỔỖỘ'],
  ['o', 'ơờớởỡợ', 'ƠỜỚỞỠỢ'],
  ['u', 'uùúủũụ', 'UÙÚỦŨỤ'],
  ['u', 'ưừứửữự', 'ƯỪỨỬỮỰ'],
  ['y', 'yỳýỷỹỵ', 'YỲÝỶỸỴ'],
];

describe('foldVietnamese', () => {
  it('the vowel table is what it claims: 6 precomposed characters per row, 12 distinct rows', () => {
    for (const [, lower, upper] of VOWELS) {
      expect([...lower]).toHaveLength(6);
      expect([...upper]).toHaveLength(6);
      expect(lower.normalize('NFC')).toBe(lower);
      expect(upper.toLowerCase()).toBe(lower);
    }
    expect(new Set(VOWELS.map(([, lower]) => lower)).size).toBe(12);
  });

  it.each(VOWELS)('folds every tone of %s (row %s) to the bare letter, lower and upper case', (base, lower, upper) => {
    for (const ch of [...lower, ...upper]) expect(foldVietnamese(ch), `${ch} (U+${ch.codePointAt(0)!.toString(16)})`).toBe(base);
  });

  it.each(VOWELS)('folds NFD input of %s (row %s) the same as NFC input', (base, lower, upper) => {
    for (const ch of [...lower, ...upper]) {
      const nfd = ch.normalize('NFD');
      expect(foldVietnamese(nfd)).toBe(base);
      expect(foldVietnamese(nfd)).toBe(foldVietnamese(ch));
    }
  });

  it('folds đ and Đ, which carry no combining mark, to d', () => {
    expect(foldVietnamese('đ')).toBe('d');
    expect(foldVietnamese('Đ')).toBe('d');
    expect(foldVietnamese('Đăng ký định danh điện tử')).toBe('dang ky dinh danh dien tu');
  });

  it('folds whole sentences, upper case and mixed normalisation', () => {
    expect(foldVietnamese('Lỡ CHUYỂN KHOẢN nhầm tiền')).toBe('lo chuyen khoan nham tien');
    expect(foldVietnamese('KÍCH HOẠT VNeID')).toBe('kich hoat vneid');
    // "Việt" written decomposed: e + circumflex + dot below as separate combining marks.
    expect(foldVietnamese('Vie\u0302\u0323t Nam')).toBe('viet nam');
    expect(foldVietnamese('Thu\u031B\u0301 Ba\u0309y')).toBe('thu bay');
    const sentence = 'Bác bấm “Đăng nhập” rồi nhập mã OTP gồm 6 chữ số.';
    expect(foldVietnamese(sentence.normalize('NFD'))).toBe(foldVietnamese(sentence.normalize('NFC')));
  });

  it('leaves plain ASCII, digits and spacing as they are (apart from case)', () => {
    expect(foldVietnamese('Zalo 4G, wifi: 123-456')).toBe('zalo 4g, wifi: 123-456');
    expect(foldVietnamese('  hai  dấu cách ')).toBe('  hai  dau cach ');
  });

  it('normalizeText', () => {
    expect(normalizeText('  Vie\u0302\u0323t   NAM \n')).toBe('việt nam');
  });
});

describe('syllables', () => {
  it('splits on everything that is not a letter or digit', () => {
    expect(syllables('VNeID-kích_hoạt, bước 2!')).toEqual(['VNeID', 'kích', 'hoạt', 'bước', '2']);
    expect(foldedSyllables('VNeID-kích_hoạt, bước 2!')).toEqual(['vneid', 'kich', 'hoat', 'buoc', '2']);
    expect(syllables('...?!')).toEqual([]);
  });

  it('accentedSyllables keeps only syllables with a diacritic, NFC and lower case', () => {
    expect(accentedSyllables('Kích hoạt VNeID ở đâu')).toEqual(['kích', 'hoạt', 'ở', 'đâu']);
    expect(accentedSyllables('Vie\u0302\u0323t NAM')).toEqual(['việt']);
    expect(accentedSyllables('kich hoat vneid')).toEqual([]);
  });
});

describe('contentSyllables', () => {
  it('keeps "thẻ" (folds to "the") while dropping the question phrase "thế nào"', () => {
    // tokens.ts: "the" can only be dropped as part of the phrase, because thẻ (card) also folds to "the".
    expect(contentSyllables('thẻ BHYT thế nào')).toEqual(['the', 'bhyt']);
    expect(contentSyllables('the bhyt the nao')).toEqual(['the', 'bhyt']);
    expect(contentSyllables('thẻ')).toEqual(['the']);
    expect(contentSyllables('thẻ ngân hàng như thế nào')).toEqual(['the', 'ngan', 'hang']);
  });

  it('drops multi-syllable question phrases, with or without diacritics', () => {
    expect(contentSyllables('Làm thế nào để kích hoạt VNeID?')).toEqual(['kich', 'hoat', 'vneid']);
    expect(contentSyllables('lam the nao de kich hoat vneid')).toEqual(['kich', 'hoat', 'vneid']);
    expect(contentSyllables('chuyển khoản ntn')).toEqual(['chuyen', 'khoan']);
    expect(contentSyllables('Cho hỏi bác muốn đăng ký khám bệnh')).toEqual(['dang', 'ky', 'kham', 'benh']);
    expect(contentSyllables('mã OTP là gì')).toEqual(['ma', 'otp']);
  });

  it('keeps ambiguous syllables whose accented forms carry a topic (cài, hồ, tử)', () => {
    expect(contentSyllables('cài app ở đâu')).toEqual(['cai', 'app']);
    expect(contentSyllables('hồ sơ là gì')).toEqual(['ho', 'so']);
    expect(contentSyllables('khai tử')).toEqual(['khai', 'tu']);
  });

  it('returns nothing for a message made only of fillers and question phrases', () => {
    expect(contentSyllables('vậy thì làm sao ạ')).toEqual([]);
    expect(contentSyllables('tôi muốn hỏi')).toEqual([]);
    expect(contentSyllables('')).toEqual([]);
  });
});

describe('TypoCorrector', () => {
  const vocabulary = new Map<string, number>([
    ['vneid', 3],
    ['khoan', 5],
    ['chuyen', 4],
    ['kich', 2],
    ['hoat', 2],
    ['the', 7],
    ['otp', 2],
  ]);
  const typos = new TypoCorrector(vocabulary);

  it('corrects one edit onto the vocabulary: swap, deletion, insertion, substitution', () => {
    expect(typos.correct('vnied')).toBe('vneid'); // neighbours swapped
    expect(typos.correct('khaon')).toBe('khoan'); // neighbours swapped
    expect(typos.correct('vneidd')).toBe('vneid'); // one letter too many
    expect(typos.correct('chuen')).toBe('chuyen'); // one letter missing
    expect(typos.correct('chuyan')).toBe('chuyen'); // one letter wrong
  });

  it('leaves known words, short words, numbers and far-away words alone', () => {
    expect(typos.correct('vneid')).toBe('vneid');
    expect(typos.correct('teh')).toBe('teh'); // one swap from "the", but below the minimum length
    expect(typos.correct('otq')).toBe('otq');
    expect(typos.correct('ck')).toBe('ck');
    expect(typos.correct('1234')).toBe('1234');
    expect(typos.correct('vnxxd')).toBe('vnxxd'); // two edits away
    expect(typos.correct('zalo')).toBe('zalo');
  });

  it('prefers the word more lessons use when two are one edit away', () => {
    expect(new TypoCorrector(new Map([['khoan', 1], ['khoen', 9]])).correct('khoxn')).toBe('khoen');
    expect(new TypoCorrector(new Map([['khoan', 9], ['khoen', 1]])).correct('khoxn')).toBe('khoan');
  });

  it("corrects against the real lessons' vocabulary", () => {
    const catalog = new LessonCatalog(loadLessons(join(REPO_ROOT, 'knowledge')));
    for (const [typo, word] of [['vnedi', 'vneid'], ['khaon', 'khoan'], ['bhty', 'bhyt'], ['chuyne', 'chuyen']] as const) {
      expect(catalog.vocabulary.has(typo), typo).toBe(false);
      expect(catalog.vocabulary.has(word), word).toBe(true);
      expect(catalog.typos.correct(typo)).toBe(word);
    }
    // Lessons list common misspellings as keywords ("vnied"), so those are vocabulary and kept as typed.
    expect(catalog.vocabulary.has('vnied')).toBe(true);
    expect(catalog.typos.correct('vnied')).toBe('vnied');
    expect(catalog.typos.correct('teh')).toBe('teh');
  });
});
