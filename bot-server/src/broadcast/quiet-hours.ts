/**
 * No normal tip is pushed between 22:00 and 08:00 Vietnam time (UTC+7 all year, no daylight saving): people sleep,
 * and promotional-looking messages at night are reported as spam. Scam alerts may go at any hour: a scam running
 * tonight does not wait for the morning.
 */
export const QUIET_START_HOUR = 22;
export const QUIET_END_HOUR = 8;
const VIETNAM_OFFSET_MS = 7 * 3_600_000;

export function isQuietHour(at: Date): boolean {
  const hour = new Date(at.getTime() + VIETNAM_OFFSET_MS).getUTCHours();
  return hour >= QUIET_START_HOUR || hour < QUIET_END_HOUR;
}

/** The first moment at or after `at` when a tip of this priority may be pushed. */
export function pushableFrom(priority: 'normal' | 'scam_alert', at: Date): Date {
  if (priority === 'scam_alert' || !isQuietHour(at)) return at;
  const local = new Date(at.getTime() + VIETNAM_OFFSET_MS);
  const morning = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), QUIET_END_HOUR) - VIETNAM_OFFSET_MS;
  // Before midnight, the morning is tomorrow's.
  return new Date(local.getUTCHours() >= QUIET_START_HOUR ? morning + 86_400_000 : morning);
}
