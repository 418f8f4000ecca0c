/**
 * 首页: greets the villager once login has answered and shows the roles they hold, or that they have
 * not bound to a village yet. A failed login shows a plain message and a big 重试 button.
 */
import { definePage } from '../../base/page';
import type { Profile } from '../../contract/api';
import { ROLE_LABELS } from '../../contract/domain';
import { apiErrorOf, unwrap } from '../../services/transport';
import { login } from '../../services/user';

type Status = 'loading' | 'ready' | 'error';

interface RoleView {
  role: string;
  label: string;
}

/** Only what the view renders. */
function profileView(profile: Profile) {
  const seen = new Set<string>();
  const roles: RoleView[] = [];
  for (const { role } of profile.roles) {
    if (seen.has(role)) continue;
    seen.add(role);
    roles.push({ role, label: ROLE_LABELS[role] ?? role });
  }
  return {
    status: 'ready' as Status,
    greeting: profile.nickname ? `${profile.nickname}，您好！` : '您好！',
    welcome: profile.isNew ? '欢迎加入文明实践云。' : '欢迎回来。',
    roles,
    busy: false,
  };
}

/** Logs in again, e.g. after a station head has bound the villager, and keeps the app's copy current. */
async function relogin(): Promise<Profile> {
  const profile = unwrap(await login());
  getApp<IAppOption>().globalData.profile = profile;
  return profile;
}

definePage({
  data: {
    status: 'loading' as Status,
    greeting: '',
    welcome: '',
    roles: [] as RoleView[],
    busy: false,
    errorMessage: '',
  },

  methods: {
    onLoad() {
      void this.show(getApp<IAppOption>().ready());
    },

    onRetry() {
      if (this.data.busy) return;
      this.setData({ status: 'loading', busy: true });
      const app = getApp<IAppOption>();
      // After a failed 刷新 the app still holds the old profile: fetch a new one rather than show that.
      void this.show(app.globalData.profile ? relogin() : app.ready());
    },

    onRefresh() {
      if (this.data.busy) return;
      this.setData({ busy: true });
      void this.show(relogin());
    },

    async show(profile: Promise<Profile>) {
      try {
        this.setData(profileView(await profile));
      } catch (e) {
        this.setData({ status: 'error', errorMessage: apiErrorOf(e).message, busy: false });
      }
    },
  },
});
