import { mediaUrl } from '../services/api';

/** Fallback picture per topic when a step has none. */
const TOPIC_PICTURES: Record<string, string> = {
  vneid: 'vneid-app',
  'dich-vu-cong': 'portal-check',
  'thanh-toan': 'bank-app',
  'an-toan': 'warning',
  'suc-khoe': 'health-book',
  'dien-thoai': 'phone-settings',
  'mua-ban-online': 'market-4t',
};

/** Decorative: the step text says everything the picture shows, so screen readers skip it. */
export function Illustration({ image, topic }: { image: string | null | undefined; topic: string }) {
  const name = image ?? TOPIC_PICTURES[topic];
  if (!name) return null;
  return <img className="illustration" src={mediaUrl(name)} alt="" width={320} height={240} />;
}
