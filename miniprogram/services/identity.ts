/**
 * Who the developer is pretending to be against the local cloud. The local gateway takes the caller
 * from the `x-wx-openid` header; CloudBase takes it from the WeChat session, so this is never sent there.
 */
export const IDENTITY_STORAGE_KEY = 'localcloud.openid';
export const DEFAULT_LOCAL_OPENID = 'demo-villager';

/** The gateway's own rule for the header. */
const OPENID = /^[A-Za-z0-9_-]{1,64}$/;

export function isValidLocalOpenid(value: unknown): value is string {
  return typeof value === 'string' && OPENID.test(value);
}

export function getLocalIdentity(): string {
  try {
    const stored: unknown = wx.getStorageSync(IDENTITY_STORAGE_KEY);
    return isValidLocalOpenid(stored) ? stored : DEFAULT_LOCAL_OPENID;
  } catch {
    return DEFAULT_LOCAL_OPENID;
  }
}

/** Switches the local identity; the next call acts as `openid`. */
export function setLocalIdentity(openid: string): void {
  if (!isValidLocalOpenid(openid)) throw new Error(`local openid must be 1–64 letters, digits, _ or -: ${openid}`);
  wx.setStorageSync(IDENTITY_STORAGE_KEY, openid);
}
