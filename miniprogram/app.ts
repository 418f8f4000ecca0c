/**
 * The app logs the villager in as soon as it starts; pages wait for that through `ready()`. A failed
 * login is not cached: the next `ready()` (a page's 重试) tries again. Against the local cloud the
 * login belongs to the identity it was made as: after the developer switches identity on 我的 (which
 * relaunches), `ready()` logs in again as the new one.
 */
import type { Profile } from './contract/api';
import { useLocalCloud } from './config';
import { getLocalIdentity } from './services/identity';
import { unwrap } from './services/transport';
import { login } from './services/user';

/** Per app instance, the login under way or done, and who it was made as. */
const logins = new WeakMap<object, { who: string; pending: Promise<Profile> }>();

const currentIdentity = (): string => (useLocalCloud() ? getLocalIdentity() : '');

App<IAppOption>({
  globalData: {},

  onLaunch() {
    // Start early; pages see the outcome (and any error) through ready().
    this.ready().catch(() => undefined);
  },

  ready() {
    const who = currentIdentity();
    const known = logins.get(this);
    if (known && known.who === who) return known.pending;
    if (known) this.globalData.profile = undefined;
    const pending = login().then(unwrap);
    const entry = { who, pending };
    logins.set(this, entry);
    pending.then(
      (profile) => {
        if (logins.get(this) === entry) this.globalData.profile = profile;
      },
      () => {
        if (logins.get(this) === entry) logins.delete(this);
      },
    );
    return pending;
  },
});
