import { foldVietnamese, normalizeText } from './fold.js';

/**
 * Syllables of a text: Vietnamese words are written as space-separated syllables, so a syllable is the
 * natural token. Letters and digits only; everything else separates.
 */
export function syllables(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+/gu) ?? [];
}

export function foldedSyllables(text: string): string[] {
  return syllables(foldVietnamese(text));
}

/** Accented syllables (NFC, lower case) that actually carry a diacritic. */
export function accentedSyllables(text: string): string[] {
  return syllables(normalizeText(text)).filter((s) => foldVietnamese(s) !== s);
}

/**
 * Question phrases removed before single syllables: "thế nào" must go, but "thẻ" (card) folds to "the"
 * too, so "the" can only be dropped as part of the phrase.
 */
const STOP_PHRASES = [
  'nhu the nao', 'the nao', 'ra sao', 'lam sao', 'lam the nao', 'bang cach nao', 'la gi', 'o dau', 'bao nhieu',
  'huong dan', 'chi tiet', 'chi cho', 'cho hoi', 'xin hoi', 'giup voi', 'duoc khong', 'co phai', 'phai khong',
  'dung khong', 'the nay', 'nhu vay', 'vay thi', 'lam gi', 'ntn',
].map((p) => p.split(' '));

/**
 * Folded syllables that carry no topic: pronouns, particles, fillers. Only syllables whose accented forms
 * are all topic-free belong here ("cai" is not: cài app; "ho" is not: hồ sơ; "tu" is not: khai tử).
 */
export const STOP_SYLLABLES = new Set(
  (
    'a ah ak oi ui nhe nha nhen nghen ne nhi vay day dzay ha ho hen hum ' +
    'toi tui minh em chi bac co cau ong ba con chau no ta chung ' +
    'gi cach cac nhung mot nay kia ay do duoc khong ko k hong hok ' +
    'phai muon hoi xin giup voi va thi ra vao len xuong cho cua o den de ' +
    'neu khi roi da se van cung chua nua hay hoac nen bi lam rang luon giup dum ho'
  ).split(/\s+/).filter((s) => s !== 'ho'),
);

/** Folded syllables of a question without question phrases and stop syllables: what it is about. */
export function contentSyllables(text: string): string[] {
  const tokens = foldedSyllables(text);
  const kept: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const phrase = STOP_PHRASES.find((p) => p.every((s, j) => tokens[i + j] === s));
    if (phrase) {
      i += phrase.length - 1;
      continue;
    }
    const token = tokens[i]!;
    if (!STOP_SYLLABLES.has(token)) kept.push(token);
  }
  return kept;
}
