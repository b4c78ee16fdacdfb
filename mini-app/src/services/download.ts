import type { Download } from './api';

/**
 * Hands a fetched file to the browser as a download (a Blob URL on a temporary link): the file sits behind the
 * session header, which a plain link cannot send. Returns false where downloads cannot work (some phone web views,
 * Zalo's among them), so the screen shows the content instead.
 */
export function saveDownload(file: Download): boolean {
  return saveBlob(new Blob([file.bytes], { type: file.type }), file.filename);
}

/** The same for a file made on the phone (the referral card drawn on a canvas). */
export function saveBlob(blob: Blob, filename: string): boolean {
  if (typeof URL.createObjectURL !== 'function') return false;
  try {
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = filename;
    a.rel = 'noopener';
    a.style.display = 'none';
    document.body.append(a);
    a.click();
    a.remove();
    // Long enough for the browser to have started reading it.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    return true;
  } catch {
    return false;
  }
}

/** Rows of a CSV as the server writes it (every field quoted, quotes doubled, CRLF, a byte order mark first). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += c;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
