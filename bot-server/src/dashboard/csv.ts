/**
 * One CSV field: always quoted, quotes doubled, and a leading = + - @ (or tab/CR) neutralised with an apostrophe,
 * so that a ward name or a question opened in Excel can never run as a formula (CSV injection).
 */
export function csvField(value: string | number): string {
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

/** Rows to CSV with CRLF line ends and a UTF-8 byte order mark, which Excel needs to read Vietnamese correctly. */
export function toCsv(rows: (string | number)[][]): string {
  return `\uFEFF${rows.map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}
