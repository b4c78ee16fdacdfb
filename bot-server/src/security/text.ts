/**
 * Text no person types and PostgreSQL cannot store: NUL, and UTF-16 halves without their pair (a lone surrogate
 * cannot be encoded as UTF-8, and jsonb refuses its escape). Refused at the door, so that no later write fails.
 */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether any string (or object key) in a parsed JSON value holds such text. Iterative: bodies can be deep. */
export function hasUnstorableText(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (UNSTORABLE.test(v)) return true;
    } else if (Array.isArray(v)) {
      stack.push(...v);
    } else if (v !== null && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        if (UNSTORABLE.test(k)) return true;
        stack.push(child);
      }
    }
  }
  return false;
}

export const UNSTORABLE_TEXT = { error: 'Dữ liệu có ký tự không đọc được. Bác gõ lại giúp nhé.', code: 'BAD_TEXT' } as const;
