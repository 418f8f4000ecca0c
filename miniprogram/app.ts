/**
 * The app logs the villager in as soon as it starts; pages wait for that through `ready()`. A failed
 * login is not cached: the next `ready()` (a page's 重试) tries again.
 */
import type { Profile } from './contract/api';
import { unwrap } from './services/transport';
import { login } from './services/user';

/** Per app instance, the login under way or done. */
const logins = new WeakMap<object, Promise<Profile>>();

App<IAppOption>({
  globalData: {},

  onLaunch() {
    // Start early; pages see the outcome (and any error) through ready().
    this.ready().catch(() => undefined);
  },

  ready() {
    let pending = logins.get(this);
    if (!pending) {
      pending = login().then(unwrap);
      logins.set(this, pending);
      pending.then(
        (profile) => {
          this.globalData.profile = profile;
        },
        () => {
          logins.delete(this);
        },
      );
    }
    return pending;
  },
});
