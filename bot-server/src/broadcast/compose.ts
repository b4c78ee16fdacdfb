import { z } from 'zod';
import { findViolation } from '../generation/check.js';
import type { LessonCatalog } from '../lessons/catalog.js';
import { TOPICS } from '../lessons/schema.js';

export const TITLE_MAX = 80;
export const BODY_MAX = 500;
const DAY = 86_400_000;
/** How far ahead a tip may be scheduled, and how long it may stay in the feed. */
const MAX_SCHEDULE_AHEAD_DAYS = 30;
const MAX_LIFETIME_DAYS = 90;
const DEFAULT_LIFETIME_DAYS = 14;

/**
 * Where a tip may link: official sites only (a scam alert that links anywhere else teaches the habit scammers
 * exploit). A host matches a domain when it is the domain or one of its subdomains.
 */
export const DEFAULT_LINK_DOMAINS = ['gov.vn', 'chinhphu.vn'];

// A tip is plain text: control characters (other than new lines) are refused. Markup is not refused but is never
// interpreted: the mini app renders text only, and Zalo OA text messages are plain text.
const plain = (max: number, min: number) =>
  z
    .string()
    .transform((s) => s.normalize('NFC').replace(/\r\n?/g, '\n').trim())
    .pipe(z.string().min(min).max(max).regex(/^[^\u0000-\u0009\u000b-\u001f\u007f]*$/u, 'control characters'));

export const DraftSchema = z
  .object({
    title: plain(TITLE_MAX, 3),
    body: plain(BODY_MAX, 10),
    lessonId: z.string().regex(/^[a-z0-9-]{1,100}$/).optional(),
    priority: z.enum(['normal', 'scam_alert']),
    audience: z
      .object({
        wards: z.array(z.string().min(1).max(100)).min(1).max(200),
        topic: z.enum(TOPICS).optional(),
        unfinishedLesson: z.string().regex(/^[a-z0-9-]{1,100}$/).optional(),
      })
      .strict(),
    sendAt: z.iso.datetime({ offset: true }).optional(),
    expiresAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

export interface Draft {
  title: string;
  body: string;
  lessonId?: string;
  priority: 'normal' | 'scam_alert';
  wards: string[];
  topic?: string;
  unfinishedLesson?: string;
  sendAt: Date;
  expiresAt: Date;
}

/** Hosts named in a text, with or without http(s)://: "dichvucong.gov.vn", "https://x.com/a". */
export function linkedHosts(text: string): string[] {
  const hosts = [...text.matchAll(/(?:https?:\/\/)?((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,24})(?=[\/:?#\s)\],;!"'»]|\.?$|\.\s)/giu)].map((m) =>
    m[1]!.toLowerCase(),
  );
  return [...new Set(hosts)];
}

export function allowedHost(host: string, domains: readonly string[]): boolean {
  return domains.some((d) => host === d || host.endsWith(`.${d}`));
}

/** Problems of a draft, in Vietnamese for the officer; none means it can be sent. */
export function checkDraft(
  input: unknown,
  ctx: { catalog: LessonCatalog; wards: readonly string[]; linkDomains: readonly string[]; now: Date },
): { ok: true; draft: Draft } | { ok: false; problems: string[] } {
  const parsed = DraftSchema.safeParse(input);
  if (!parsed.success) {
    const names: Record<string, string> = { title: 'Tiêu đề', body: 'Nội dung', sendAt: 'Thời điểm gửi', expiresAt: 'Hạn hiển thị', audience: 'Người nhận' };
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => {
        const field = names[String(i.path[0])] ?? String(i.path.join('.'));
        if (i.path[0] === 'title') return `${field}: từ 3 đến ${TITLE_MAX} ký tự, chỉ chữ thường (không ký tự điều khiển).`;
        if (i.path[0] === 'body') return `${field}: từ 10 đến ${BODY_MAX} ký tự, chỉ chữ thường (không ký tự điều khiển).`;
        return `${field}: không hợp lệ.`;
      }),
    };
  }
  const d = parsed.data;
  const problems: string[] = [];
  for (const host of linkedHosts(`${d.title}\n${d.body}`)) {
    if (!allowedHost(host, ctx.linkDomains)) problems.push(`Chỉ được dẫn tới trang chính thức (${ctx.linkDomains.join(', ')}): "${host}" không được phép.`);
  }
  const violation = findViolation(`${d.title}\n${d.body}`);
  if (violation === 'asks_for_secret') problems.push('Nội dung có vẻ yêu cầu người dân cung cấp mã OTP, mật khẩu hoặc số giấy tờ: không được gửi.');
  if (violation === 'install_from_link') problems.push('Nội dung có vẻ hướng dẫn cài ứng dụng từ đường link: không được gửi.');
  for (const id of [d.lessonId, d.audience.unfinishedLesson]) {
    if (id && !ctx.catalog.get(id)) problems.push(`Không có bài học "${id}".`);
  }
  for (const w of d.audience.wards) if (!ctx.wards.includes(w)) problems.push(`Không có phường, xã "${w}" trong danh sách.`);
  const sendAt = d.sendAt ? new Date(d.sendAt) : ctx.now;
  const expiresAt = d.expiresAt ? new Date(d.expiresAt) : new Date(sendAt.getTime() + DEFAULT_LIFETIME_DAYS * DAY);
  if (sendAt.getTime() < ctx.now.getTime() - 60_000) problems.push('Thời điểm gửi đã qua.');
  if (sendAt.getTime() > ctx.now.getTime() + MAX_SCHEDULE_AHEAD_DAYS * DAY) problems.push(`Chỉ hẹn gửi trước tối đa ${MAX_SCHEDULE_AHEAD_DAYS} ngày.`);
  if (expiresAt <= sendAt) problems.push('Hạn hiển thị phải sau thời điểm gửi.');
  if (expiresAt.getTime() > sendAt.getTime() + MAX_LIFETIME_DAYS * DAY) problems.push(`Tin chỉ hiển thị tối đa ${MAX_LIFETIME_DAYS} ngày.`);
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    draft: {
      title: d.title,
      body: d.body,
      lessonId: d.lessonId,
      priority: d.priority,
      wards: [...new Set(d.audience.wards)],
      topic: d.audience.topic,
      unfinishedLesson: d.audience.unfinishedLesson,
      sendAt: sendAt < ctx.now ? ctx.now : sendAt,
      expiresAt,
    },
  };
}
