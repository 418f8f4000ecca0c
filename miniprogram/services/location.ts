/**
 * Where the villager is, for the ten-minute circle and the nearest stations. Every way wx.getLocation
 * can fail is sorted into a reason the page can explain in plain words, with what to do about it.
 */
export type LocationFailure = 'privacy' | 'denied' | 'system' | 'unknown';

export type LocationOutcome =
  { ok: true; lat: number; lng: number } | { ok: false; reason: LocationFailure; message: string };

export const LOCATION_MESSAGES: Record<LocationFailure, string> = {
  privacy: '需要您先同意《隐私保护指引》，才能用您的位置查找。',
  denied: '您没有允许使用位置。请点“去设置”，把“位置信息”打开后再试。',
  system: '没有取到位置。请打开手机的定位（GPS），并允许微信使用位置。',
  unknown: '暂时取不到位置，请稍后再试。',
};

export function classifyLocationError(err: { errMsg?: string; errno?: number }): LocationFailure {
  const msg = (err.errMsg ?? '').toLowerCase();
  if (err.errno === 104 || msg.includes('privacy')) return 'privacy';
  if (msg.includes('system') || msg.includes('nolocation') || msg.includes('switch') || msg.includes('gps'))
    return 'system';
  if (msg.includes('auth')) return 'denied';
  return 'unknown';
}

/** The current location (gcj02, the system wx.openLocation and <map> use). Never rejects. */
export function locate(): Promise<LocationOutcome> {
  return new Promise((resolve) => {
    wx.getLocation({
      type: 'gcj02',
      success: (res) => resolve({ ok: true, lat: res.latitude, lng: res.longitude }),
      fail: (err: { errMsg?: string; errno?: number }) => {
        const reason = classifyLocationError(err);
        resolve({ ok: false, reason, message: LOCATION_MESSAGES[reason] });
      },
    });
  });
}

/** Opens the mini-program's settings; answers whether location is allowed when the villager comes back. */
export function openLocationSetting(): Promise<boolean> {
  return new Promise((resolve) => {
    wx.openSetting({
      success: (res) => resolve(res.authSetting['scope.userLocation'] === true),
      fail: () => resolve(false),
    });
  });
}
