/**
 * The caller's `Me`, shared by the pages: a page that changes it (binding, volunteer registration)
 * stores the answer here, and the pages behind it see a newer version when they show again, so they
 * re-render without asking the cloud once more.
 */
import type { Me } from '../contract/api';
import { unwrap } from './transport';
import { me as fetchMe } from './user';

let current: Me | undefined;
let version = 0;

/** The `Me` last loaded, if it is still the signed-in caller's (the app's login says who that is). */
export function currentMe(): Me | undefined {
  const profile = getApp<IAppOption>()?.globalData.profile;
  return current && profile?.openid === current.openid ? current : undefined;
}

/** Bumped by every change: a page remembers the version it rendered. */
export function meVersion(): number {
  return version;
}

export function setMe(me: Me): void {
  current = me;
  version += 1;
  const app = getApp<IAppOption>();
  if (app) app.globalData.profile = me;
}

/** Forgets the caller, e.g. when a developer switches the local identity. */
export function clearSession(): void {
  current = undefined;
  version += 1;
}

/** Waits for login, then asks for the caller's `Me` and keeps it; rejects with the ApiError. */
export async function loadMe(): Promise<Me> {
  await getApp<IAppOption>().ready();
  const me = unwrap(await fetchMe());
  setMe(me);
  return me;
}
