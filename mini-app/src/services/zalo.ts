/**
 * Everything that differs between the Zalo app and a normal browser. zmp-sdk is loaded only inside Zalo, so the
 * first screen in a browser does not pay for it, and its APIs (which reject outside Zalo) are never called there.
 */
type Sdk = typeof import('zmp-sdk');

export function isInsideZalo(): boolean {
  return typeof navigator !== 'undefined' && /zalo/i.test(navigator.userAgent);
}

let sdkPromise: Promise<Sdk> | undefined;
function loadSdk(): Promise<Sdk> {
  sdkPromise ??= import('zmp-sdk');
  return sdkPromise;
}

export interface Identity {
  id: string;
  name: string;
  /** 'zalo' inside Zalo; 'development' in a browser, shown to the user as a test identity. */
  source: 'zalo' | 'development';
  /** Zalo access token for the server to verify; empty outside Zalo. */
  accessToken: string;
}

const DEV_ID_KEY = 'bhvs.devId';

/** Inside Zalo: the Zalo user. Elsewhere: an explicit, clearly marked development identity kept on this device. */
export async function resolveIdentity(storage: { get(k: string): string | null; set(k: string, v: string): void }): Promise<Identity> {
  if (isInsideZalo()) {
    try {
      const sdk = await loadSdk();
      const [{ userInfo }, accessToken] = await Promise.all([
        sdk.getUserInfo({ autoRequestPermission: false }),
        sdk.getAccessToken().catch(() => ''),
      ]);
      return { id: userInfo.id, name: userInfo.name || 'Bác', source: 'zalo', accessToken };
    } catch {
      // Falls through: the citizen can still learn with a device-only identity.
    }
  }
  let id = storage.get(DEV_ID_KEY);
  if (!id) {
    id = `dev-${Math.random().toString(36).slice(2, 10)}`;
    storage.set(DEV_ID_KEY, id);
  }
  return { id, name: 'Người dùng thử', source: 'development', accessToken: '' };
}

/**
 * A fresh Zalo access token for signing in to our server again (the one read at start-up may have expired by the
 * time our own session does). Empty outside Zalo or when Zalo gives none.
 */
export async function fetchZaloAccessToken(): Promise<string> {
  if (!isInsideZalo()) return '';
  try {
    return (await (await loadSdk()).getAccessToken()) || '';
  } catch {
    return '';
  }
}

/** Deep-link parameters (?lesson=ID, ?ref=CODE). Inside Zalo they come through getRouteParams. */
export async function readRouteParams(): Promise<Record<string, string>> {
  if (isInsideZalo()) {
    try {
      return (await loadSdk()).getRouteParams();
    } catch {
      // Fall back to the page's own query string below.
    }
  }
  return Object.fromEntries(new URLSearchParams(window.location.search));
}

export type ShareResult = 'shared' | 'copied' | 'failed';

/** Shares a lesson: Zalo's share sheet inside Zalo, the system share sheet or the clipboard elsewhere. */
export async function shareLesson(lesson: { id: string; title: string; summary: string }): Promise<ShareResult> {
  const path = `?lesson=${encodeURIComponent(lesson.id)}`;
  if (isInsideZalo()) {
    try {
      const sdk = await loadSdk();
      await sdk.openShareSheet({
        type: 'zmp_deep_link',
        data: { title: lesson.title, description: lesson.summary, thumbnail: new URL('icon.png', window.location.href).href, path },
      });
      return 'shared';
    } catch {
      return 'failed';
    }
  }
  const url = new URL(path, window.location.href).href;
  try {
    if (navigator.share) {
      await navigator.share({ title: lesson.title, text: lesson.summary, url });
      return 'shared';
    }
    await navigator.clipboard.writeText(`${lesson.title}: ${url}`);
    return 'copied';
  } catch {
    return 'failed';
  }
}

/**
 * Shares a community member's referral link: inside Zalo as a deep link into the mini app (`?ref=CODE`), elsewhere
 * through the system share sheet or, failing that, copied with a line saying what it is.
 */
export async function shareReferral(share: { code: string; link: string; title: string; text: string }): Promise<ShareResult> {
  if (isInsideZalo()) {
    try {
      const sdk = await loadSdk();
      await sdk.openShareSheet({
        type: 'zmp_deep_link',
        data: { title: share.title, description: share.text, thumbnail: new URL('icon.png', window.location.href).href, path: `?ref=${encodeURIComponent(share.code)}` },
      });
      return 'shared';
    } catch {
      return 'failed';
    }
  }
  return shareOutsideZalo({ title: share.title, text: share.text, url: share.link }, `${share.text} ${share.link}`);
}

/** Shares a short text (a household's invite code): Zalo's share sheet inside Zalo, else the system's or the clipboard. */
export async function shareText(text: string): Promise<ShareResult> {
  if (isInsideZalo()) {
    try {
      await (await loadSdk()).openShareSheet({ type: 'text', data: { text } });
      return 'shared';
    } catch {
      return 'failed';
    }
  }
  return shareOutsideZalo({ text }, text);
}

async function shareOutsideZalo(data: ShareData, copied: string): Promise<ShareResult> {
  try {
    if (navigator.share) {
      await navigator.share(data);
      return 'shared';
    }
    await navigator.clipboard.writeText(copied);
    return 'copied';
  } catch {
    return 'failed';
  }
}

/**
 * Saves a picture made on the phone (a PNG data URL): into the photo gallery inside Zalo, whose web view does not
 * download files; elsewhere the caller downloads it. Resolves false outside Zalo or when Zalo refused.
 */
export async function saveImageInZalo(dataUrl: string): Promise<boolean> {
  if (!isInsideZalo()) return false;
  try {
    await (await loadSdk()).saveImageToGallery({ imageBase64Data: dataUrl });
    return true;
  } catch {
    return false;
  }
}

/** The ward's Official Account, when the deployment configures one (VITE_ZALO_OA_ID at build time). */
export const OA_ID: string = import.meta.env.VITE_ZALO_OA_ID ?? '';

export async function followWardAccount(): Promise<boolean> {
  if (!OA_ID || !isInsideZalo()) return false;
  try {
    await (await loadSdk()).followOA({ id: OA_ID });
    return true;
  } catch {
    return false;
  }
}

/** zmp-sdk nativeStorage, which exists only inside Zalo (it throws elsewhere, even on localhost). */
export async function loadNativeStorage(): Promise<Sdk['nativeStorage'] | undefined> {
  if (!isInsideZalo()) return undefined;
  try {
    const { nativeStorage } = await loadSdk();
    nativeStorage.getItem('bhvs.probe');
    return nativeStorage;
  } catch {
    return undefined;
  }
}
