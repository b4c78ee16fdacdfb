/**
 * The one Vietnamese folding function. Citizens often type without diacritics, so every comparison
 * between a question and a lesson happens on folded text. SQL does the same with vi_fold() (unaccent);
 * a test checks that both agree on every lesson.
 */
const COMBINING_MARKS = /[\u0300-\u036f]/g;

export function foldVietnamese(text: string): string {
  return text
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    // đ/Đ carry no combining mark, so NFD leaves them alone.
    .replace(/[đĐ]/g, 'd')
    .toLowerCase();
}

/** NFC, lower case, single spaces: the form in which accented text is compared. */
export function normalizeText(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** True when the text carries Vietnamese diacritics (so exact-accent matching is meaningful). */
export function hasDiacritics(text: string): boolean {
  return foldVietnamese(text) !== text.toLowerCase();
}
