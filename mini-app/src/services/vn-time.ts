/**
 * Dates as officers read and type them: Vietnam time (UTC+7 all year, no daylight saving), whatever time zone the
 * phone or computer is set to, so that "08:00" means the same moment to the officer, the server and the citizen.
 * Done by hand rather than with Intl's time zones, which some older phone browsers lack.
 */
const OFFSET_MS = 7 * 3_600_000;
const pad = (n: number) => String(n).padStart(2, '0');
const local = (at: string | number | Date) => new Date(new Date(at).getTime() + OFFSET_MS);

/** "12/03/2026". */
export function vnDate(at: string | number | Date): string {
  const d = local(at);
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
}

/** "08:00 ngày 12/03/2026". */
export function vnDateTime(at: string | number | Date): string {
  const d = local(at);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} ngày ${vnDate(at)}`;
}

/** The value of a datetime-local input ("2026-03-12T08:00") showing this moment in Vietnam time. */
export function toVnInput(at: string | number | Date): string {
  return local(at).toISOString().slice(0, 16);
}

/** A datetime-local input's value read as Vietnam time, as ISO with its offset; undefined when not a full date and time. */
export function fromVnInput(value: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return undefined;
  const iso = `${value}:00+07:00`;
  return Number.isNaN(Date.parse(iso)) ? undefined : iso;
}

/** "2026-Q1" for this moment in Vietnam time. */
export function quarterOf(at: string | number | Date): string {
  const d = local(at);
  return `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
}

/** This quarter and the `count - 1` before it, newest first. */
export function recentQuarters(count: number, now: Date = new Date()): string[] {
  const d = local(now);
  let year = d.getUTCFullYear();
  let q = Math.floor(d.getUTCMonth() / 3) + 1;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    out.push(`${year}-Q${q}`);
    q--;
    if (q === 0) {
      q = 4;
      year--;
    }
  }
  return out;
}

/** "2026-Q1" → "Quý 1 năm 2026". */
export function quarterLabel(quarter: string): string {
  const m = /^(\d{4})-Q([1-4])$/.exec(quarter);
  return m ? `Quý ${m[2]} năm ${m[1]}` : quarter;
}
