/**
 * Typo correction onto the lessons' own vocabulary ("vnied" -> "vneid", "khaon" -> "khoan"), by the
 * symmetric-delete method: every word is indexed under the strings one deletion away, so a lookup costs a
 * few map reads instead of a scan. Edits: one insertion, deletion, substitution or swap of neighbours.
 */
function deletions(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length; i++) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}

function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const ra = a.slice(i);
  const rb = b.slice(i);
  return (
    ra.slice(1) === rb.slice(1) ||
    ra.slice(1) === rb ||
    ra === rb.slice(1) ||
    (ra.length >= 2 && ra[0] === rb[1] && ra[1] === rb[0] && ra.slice(2) === rb.slice(2))
  );
}

/** Below this length nearly every syllable is one edit from another: no correction. */
const MIN_LENGTH = 4;

export class TypoCorrector {
  private readonly byDeletion = new Map<string, string[]>();

  /** vocabulary: word -> how many lessons use it (the most used wins a tie). */
  constructor(private readonly vocabulary: Map<string, number>) {
    for (const word of vocabulary.keys()) {
      if (word.length < MIN_LENGTH - 1) continue;
      for (const d of new Set([word, ...deletions(word)])) {
        const list = this.byDeletion.get(d);
        if (list) list.push(word);
        else this.byDeletion.set(d, [word]);
      }
    }
  }

  correct(term: string): string {
    if (term.length < MIN_LENGTH || this.vocabulary.has(term) || /^\d+$/.test(term)) return term;
    let best = term;
    let bestCount = 0;
    for (const key of [term, ...deletions(term)]) {
      for (const word of this.byDeletion.get(key) ?? []) {
        const count = this.vocabulary.get(word) ?? 0;
        if (count > bestCount && withinOneEdit(term, word)) {
          best = word;
          bestCount = count;
        }
      }
    }
    return best;
  }
}
