/**
 * Where the mini-program finds its back end.
 *
 * In WeChat DevTools (the develop version) the services talk to the local cloud over HTTP
 * (`npm start` serves it on LOCAL_CLOUD_URL; DevTools must have 不校验合法域名 ticked). Trial and
 * release versions always call CloudBase through wx.cloud.
 */

/** The local cloud's address; '' turns local development off even in DevTools. */
export const LOCAL_CLOUD_URL: string = 'http://127.0.0.1:3900';

/** The CloudBase environment id; '' uses the environment DevTools has selected. */
export const CLOUD_ENV: string = '';

let localCloudUrl = LOCAL_CLOUD_URL;

/**
 * Points the services at another local cloud: a LAN address when debugging on a phone, or the
 * throwaway instance a test started. Has no effect outside the develop version.
 */
export function setLocalCloudUrl(url: string): void {
  localCloudUrl = url.replace(/\/+$/, '');
}

export function getLocalCloudUrl(): string {
  return localCloudUrl;
}

/** True only in the develop version and only when a local cloud URL is set; never in trial or release. */
export function useLocalCloud(): boolean {
  if (!localCloudUrl) return false;
  try {
    return wx.getAccountInfoSync().miniProgram.envVersion === 'develop';
  } catch {
    return false;
  }
}
