import { foldVietnamese } from '../text/fold.js';
import { accentedSyllables, contentSyllables, STOP_SYLLABLES } from '../text/tokens.js';
import type { TypoCorrector } from './typos.js';

/** A question turned into everything the hybrid search needs. */
export interface PreparedQuery {
  /** Content syllables, folded, typos mapped onto the lessons' vocabulary. */
  terms: string[];
  /** OR of terms and adjacent pairs as phrases, for to_tsquery('simple', ...); '' when there are no terms. */
  tsquery: string;
  /** OR of the accented syllables the citizen typed; '' when they typed none. */
  exactTsquery: string;
  /** Folded content syllables as typed (typos kept: trigrams are the channel that tolerates them). */
  trigramText: string;
  /** What the query vector is made from (embedded only when a search really runs). */
  embeddingText: string;
}

/**
 * common: syllables in so many lessons ("điện", "thoại", "trên") that, alone, they match nearly every chunk and
 * say little; they stay in phrases ("điện thoại") but are not searched alone. That also keeps full-text ranking
 * from scoring every chunk of the catalogue for every question.
 */
export function prepareQuery(message: string, typos: TypoCorrector, common: ReadonlySet<string> = new Set()): PreparedQuery {
  const typed = contentSyllables(message);
  const terms = [...new Set(typed.map((t) => typos.correct(t)))];
  const rare = terms.filter((t) => !common.has(t));
  // A question made only of common syllables keeps them: there is nothing else to search for.
  const alternatives = rare.length > 0 ? rare : [...terms];
  for (let i = 0; i + 1 < terms.length; i++) alternatives.unshift(`(${terms[i]} <-> ${terms[i + 1]})`);
  const accented = [...new Set(accentedSyllables(message).filter((s) => !STOP_SYLLABLES.has(foldVietnamese(s))))];
  return {
    terms,
    tsquery: alternatives.join(' | '),
    exactTsquery: accented.map((s) => `'${s}'`).join(' | '),
    trigramText: typed.join(' '),
    embeddingText: terms.join(' ') || foldVietnamese(message),
  };
}
