/**
 * 首页: once login has answered, the caller's `Me` decides what they see — one section per role they
 * hold (a villager's 点单 and orders, a volunteer's tasks, a station head's queues, an admin's numbers),
 * or, before they have bound to a village, one clear first step. A failed load shows a plain message
 * and a big 重试 button.
 */
import { definePage } from '../../base/page';
import type { Tap } from '../../base/events';
import type { Me, OrderCounts } from '../../contract/api';
import type { Role } from '../../contract/domain';
import { pageUrl } from '../../routes';
import { openPage } from '../../services/navigate';
import { getOrg } from '../../services/org';
import { currentMe, loadMe, meVersion } from '../../services/session';
import { apiErrorOf, unwrap } from '../../services/transport';
import { orderCounts } from '../../services/order';
import { listPeople, pendingVolunteers } from '../../services/user';
import { roleTags, shortOrgName } from '../../utils/format';
import { ADMIN_ENTRIES, STATION_ENTRIES, VILLAGER_ENTRIES, VOLUNTEER_ENTRIES } from './entries';

type Status = 'loading' | 'ready' | 'error';

interface Count {
  key: string;
  label: string;
  value: string;
  /** A number that calls for action (something waits, or is late): drawn in red. */
  alert?: boolean;
}

interface AdminSection {
  key: string;
  title: string;
  counts: Count[];
  note: string;
}

const ADMIN_ROLES: Role[] = ['centerAdmin', 'instituteAdmin'];
const ADMIN_TITLES: Record<string, string> = { centerAdmin: '中心管理员', instituteAdmin: '所长' };

/** The sections `me` is entitled to, and only what the view renders. */
function view(me: Me) {
  const has = (role: Role) => me.roles.some((r) => r.role === role);
  const town = me.station?.path.length ? me.station.path[me.station.path.length - 2]?.name : '';
  const village = me.station ? `${shortOrgName(me.station.name)}${town ? `（${shortOrgName(town)}）` : ''}` : '';
  const bound = !!me.stationId && !!me.station;
  return {
    status: 'ready' as Status,
    busy: false,
    greeting: me.name || me.nickname ? `${me.name || me.nickname}，您好！` : '您好！',
    roles: roleTags(me.roles),
    firstStep: !bound && me.roles.length === 0,
    bindHint: !bound && me.roles.length > 0,
    villager: has('villager') ? { village: village || '还没有绑定村（社区）' } : null,
    volunteer: has('volunteer'),
    stationHead: has('stationHead'),
    stationNames: '',
    admins: me.roles
      .filter((r) => ADMIN_ROLES.includes(r.role) && r.orgId)
      .map((r) => ({
        key: `${r.role}-${r.orgId}`,
        title: ADMIN_TITLES[r.role],
        counts: [],
        note: '正在统计……',
      })) as AdminSection[],
  };
}

function countsOf(
  role: Role,
  counts: { institutes: number; stations: number; points: number },
  people: number,
  orders: OrderCounts,
): Count[] {
  const act = (key: keyof OrderCounts, label: string): Count => ({
    key,
    label,
    value: `${orders[key]} 单`,
    alert: orders[key] > 0,
  });
  return [
    act('submitted', '待审核'),
    act('open', '待派单'),
    act('overdue', '逾期'),
    act('red', '亮红灯（县里也超时）'),
    ...(role === 'centerAdmin' ? [{ key: 'institutes', label: '实践所', value: `${counts.institutes} 个` }] : []),
    { key: 'stations', label: '实践站', value: `${counts.stations} 个` },
    { key: 'points', label: '实践点', value: `${counts.points} 个` },
    { key: 'people', label: '登记的人员', value: `${people} 人` },
  ];
}

/** The red numbers on the entries that lead to the work waiting (the caller's widest scope). */
function badgesOf(c: OrderCounts): Record<string, number> {
  return {
    'order-review': c.submitted,
    'order-dispatch': c.open,
    'order-overdue': c.overdue,
    'admin-orders': c.submitted + c.open + c.overdue,
  };
}

definePage({
  data: {
    status: 'loading' as Status,
    busy: false,
    errorMessage: '',
    greeting: '',
    welcome: '',
    roles: [] as { role: string; label: string }[],
    firstStep: false,
    bindHint: false,
    villager: null as { village: string } | null,
    volunteer: false,
    stationHead: false,
    stationNames: '',
    admins: [] as AdminSection[],
    villagerEntries: VILLAGER_ENTRIES,
    volunteerEntries: VOLUNTEER_ENTRIES,
    stationEntries: STATION_ENTRIES,
    adminEntries: ADMIN_ENTRIES,
    badges: {} as Record<string, number>,
    _version: -1,
  },

  methods: {
    onLoad() {
      void this.load(true);
    },

    onShow() {
      // Back from binding or registering: show the newer `Me` without asking again.
      const me = currentMe();
      if (this.data.status === 'ready' && me && meVersion() !== this.data._version) this.render(me);
    },

    onPullDownRefresh() {
      void this.load(false).then(() => wx.stopPullDownRefresh());
    },

    onRetry() {
      if (this.data.busy) return;
      this.setData({ status: 'loading', busy: true });
      void this.load(false);
    },

    onRefresh() {
      if (this.data.busy) return;
      this.setData({ busy: true });
      void this.load(false);
    },

    async load(first: boolean) {
      try {
        const profile = await getApp<IAppOption>().ready();
        const me = await loadMe();
        if (first) this.setData({ welcome: profile.isNew ? '欢迎加入文明实践云。' : '欢迎回来。' });
        else if (!this.data.welcome) this.setData({ welcome: '欢迎回来。' });
        this.render(me);
      } catch (e) {
        this.setData({ status: 'error', errorMessage: apiErrorOf(e).message, busy: false });
      }
    },

    render(me: Me) {
      this.setData({ ...view(me), _version: meVersion() });
      void this.loadScopes(me);
    },

    /** The names and numbers of the nodes the caller runs; each section fills in on its own. */
    async loadScopes(me: Me) {
      const heads = me.roles.filter((r) => r.role === 'stationHead' && r.orgId).map((r) => r.orgId as string);
      if (heads.length > 0) {
        // The red number on 志愿者审核: registrations waiting at the stations the caller heads.
        void Promise.all(heads.map((stationId) => pendingVolunteers({ stationId }))).then((rs) => {
          const n = rs.reduce((sum, r) => sum + (r.ok ? r.data.volunteers.length : 0), 0);
          this.setData({ badges: { ...this.data.badges, 'volunteer-review': n } });
        });
        const names = await Promise.all(
          heads.map(async (id) => {
            if (id === me.station?.id) return shortOrgName(me.station.name);
            const r = await getOrg({ id });
            return r.ok ? shortOrgName(r.data.name) : '';
          }),
        );
        this.setData({ stationNames: names.filter(Boolean).join('、') });
      }
      const admins = me.roles.filter((r) => ADMIN_ROLES.includes(r.role) && r.orgId);
      if (heads.length > 0 || admins.length > 0) {
        void orderCounts().then((r) => {
          if (r.ok) this.setData({ badges: { ...this.data.badges, ...badgesOf(r.data) } });
        });
      }
      await Promise.all(
        admins.map(async (grant, i) => {
          const orgId = grant.orgId as string;
          try {
            const [node, people, orders] = await Promise.all([
              getOrg({ id: orgId }).then(unwrap),
              listPeople({ orgId }).then(unwrap),
              orderCounts(orgId).then(unwrap),
            ]);
            this.setData({
              [`admins[${i}].title`]: `${ADMIN_TITLES[grant.role]} · ${node.name}`,
              [`admins[${i}].counts`]: countsOf(grant.role, node.counts, people.total, orders),
              [`admins[${i}].note`]: '',
            });
          } catch (e) {
            this.setData({ [`admins[${i}].note`]: `数字暂时取不到：${apiErrorOf(e).message}` });
          }
        }),
      );
    },

    onEntry(e: Tap<{ url: string }>) {
      void openPage(e.currentTarget.dataset.url);
    },

    onBind() {
      void openPage(pageUrl('bind'));
    },
  },
});
