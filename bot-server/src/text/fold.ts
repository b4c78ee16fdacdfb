/**
 * The one Vietnamese folding function. Citizens often type without diacritics, so every comparison
 * between a question and a lesson happens on folded text. SQL does the same with vi_fold() (unaccent);
 * a test checks that both agree on every lesson.
 */
const COMBINING_MARKS = /[\u0300-\u036f]/g;

/** The punctuation unaccent.rules rewrites (PostgreSQL 15 to 18 agree on these). */
const PUNCTUATION: Record<string, string> = {
  '\u00AB': '<<', '\u00AD': '-', '\u00BB': '>>',
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2015': '-',
  '\u2018': "'", '\u2019': "'", '\u201A': ',', '\u201B': "'", '\u201C': '"', '\u201D': '"', '\u201E': ',,', '\u201F': '"',
  '\u2026': '...', '\u2032': "'", '\u2033': '"', '\u2039': '<', '\u203A': '>',
};
const TYPOGRAPHIC = /[\u00AB\u00AD\u00BB\u2010-\u2015\u2018-\u201F\u2026\u2032\u2033\u2039\u203A]/g;

export function foldVietnamese(text: string): string {
  return text
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    // đ/Đ carry no combining mark, so NFD leaves them alone.
    .replace(/[đĐ]/g, 'd')
    // Typographic punctuation, mapped as PostgreSQL's unaccent.rules maps it, so vi_fold() agrees.
    .replace(TYPOGRAPHIC, (c) => PUNCTUATION[c] ?? c)
    .toLowerCase();
}

/** NFC, lower case, single spaces: the form in which accented text is compared. */
export function normalizeText(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
}
