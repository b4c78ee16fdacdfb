import { embedText } from '../embedding/hashing.js';
import { foldVietnamese } from '../text/fold.js';
import { accentedSyllables, contentSyllables, STOP_SYLLABLES } from '../text/tokens.js';

/** A question turned into everything the hybrid search needs. */
export interface PreparedQuery {
  /** Content syllables, folded, typos mapped onto the lessons' vocabulary. */
  terms: string[];
  /** OR of terms and adjacent pairs as phrases, for to_tsquery('simple', ...); '' when there are no terms. */
  tsquery: string;
  /** OR of the accented syllables the citizen typed; '' when they typed none. */
  exactTsquery: string;
  /** Folded content text, for trigram word similarity. */
  trigramText: string;
  vector: number[];
}

/** Optimal string alignment distance, capped: we only care whether it is 0, 1 or more. */
function editDistanceAtMost1(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (i === a.length && i === b.length) return true;
  const restA = a.slice(i);
  const restB = b.slice(i);
  return (
    restA.slice(1) === restB.slice(1) || // substitution
    restA.slice(1) === restB || // deletion
    restA === restB.slice(1) || // insertion
    (restA.length >= 2 && restA[0] === restB[1] && restA[1] === restB[0] && restA.slice(2) === restB.slice(2)) // swap
  );
}

/**
 * Maps a syllable the lessons never use onto the most common lesson syllable one edit away ("vnied" ->
 * "vneid", "khaon" -> "khoan"). Short syllables are left alone: at 1-2 letters everything is one edit away.
 */
export function correctTypo(term: string, vocabulary: Map<string, number>): string {
  if (term.length < 4 || vocabulary.has(term) || /^\d+$/.test(term)) return term;
  let best = term;
  let bestCount = 0;
  for (const [word, count] of vocabulary) {
    if (count > bestCount && word.length >= 3 && editDistanceAtMost1(term, word)) {
      best = word;
      bestCount = count;
    }
  }
  return best;
}

export function prepareQuery(message: string, vocabulary: Map<string, number>): PreparedQuery {
  const terms = [...new Set(contentSyllables(message).map((t) => correctTypo(t, vocabulary)))];
  const alternatives = [...terms];
  for (let i = 0; i + 1 < terms.length; i++) alternatives.unshift(`(${terms[i]} <-> ${terms[i + 1]})`);
  const accented = [
    ...new Set(accentedSyllables(message).filter((s) => !STOP_SYLLABLES.has(foldVietnamese(s)))),
  ];
  const trigramText = terms.join(' ');
  return {
    terms,
    tsquery: alternatives.join(' | '),
    exactTsquery: accented.map((s) => `'${s}'`).join(' | '),
    trigramText,
    vector: embedText(trigramText || foldVietnamese(message)),
  };
}
