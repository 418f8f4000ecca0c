/**
 * 我的, in the usual layout: a card with who the caller is (initial, name, village with its town, roles,
 * a volunteer's own rating), then rows with a mark and a chevron, by role — 我的积分 (the household's),
 * 服务时长 (hours and star level), 我的证书, 我的活动, 消息, a station head's 站点设置, an admin's
 * 实践点管理 — then 注册志愿者 / 修改志愿者信息, 验证服务证明 and 更换村居 as ordinary rows; the
 * household with its members (the head marked) and its number; what a volunteer registered.
 * Also the privacy guide (read it, agree to it), 我的信息 (what is held about me, and closing the
 * account), and, in local development only, a switcher between
 * the demo county's identities.
 */
import { definePage } from '../../base/page';
import type { Tap } from '../../base/events';
import type { Me } from '../../contract/api';
import { CATEGORY_LABELS, type Role } from '../../contract/domain';
import { useLocalCloud } from '../../config';
import { DEMO_IDENTITIES, getLocalIdentity, setLocalIdentity } from '../../services/identity';
import { pageUrl } from '../../routes';
import { openPage } from '../../services/navigate';
import { getPrivacyState, openPrivacyContract, requirePrivacyConsent } from '../../services/privacy';
import { clearSession, currentMe, loadMe, meVersion, setMe } from '../../services/session';
import { answerJoin } from '../../services/user';
import { apiErrorOf } from '../../services/transport';
import { integralCall } from '../../services/integral';
import { activityCall } from '../../services/activity';
import { formatAvailability, roleTags, shortOrgName } from '../../utils/format';

type Status = 'loading' | 'ready' | 'error';

interface MemberView {
  openid: string;
  name: string;
  isHead: boolean;
  isMe: boolean;
}

interface IdentityView {
  openid: string;
  who: string;
  current: boolean;
}

/** One row of 我的: its mark (one character on a tone, drawn by the WXSS), its words, where it goes. */
interface RowView {
  id: string;
  icon: 'points' | 'hours' | 'certificates' | 'activities' | 'messages' | 'settings' | 'sites';
  tone: 'red' | 'amber' | 'green' | 'blue' | 'grey';
  title: string;
  url: string;
}

const has = (me: Me, ...roles: Role[]) => me.roles.some((r) => roles.includes(r.role));

function rowsOf(me: Me): RowView[] {
  const rows: (RowView | false)[] = [
    !!me.household && {
      id: 'integral-entry',
      icon: 'points',
      tone: 'red',
      title: '我的积分',
      url: pageUrl('integralHome'),
    },
    !!me.volunteer && {
      id: 'hours-entry',
      icon: 'hours',
      tone: 'amber',
      title: '服务时长',
      url: pageUrl('activityHours'),
    },
    !!me.volunteer && {
      id: 'certificates-entry',
      icon: 'certificates',
      tone: 'amber',
      title: '我的证书',
      url: pageUrl('activityCertificates'),
    },
    {
      id: 'activities-entry',
      icon: 'activities',
      tone: 'green',
      title: '我的活动',
      url: pageUrl('activityList', { tab: 'mine' }),
    },
    { id: 'messages-entry', icon: 'messages', tone: 'blue', title: '消息', url: pageUrl('messages') },
    has(me, 'stationHead') && {
      id: 'station-settings-entry',
      icon: 'settings',
      tone: 'grey',
      title: '站点设置',
      url: pageUrl('stationSettings'),
    },
    has(me, 'instituteAdmin', 'centerAdmin') && {
      id: 'points-entry',
      icon: 'sites',
      tone: 'grey',
      title: '实践点管理',
      url: pageUrl('adminPoints'),
    },
    has(me, 'centerAdmin') && {
      id: 'integral-settings-entry',
      icon: 'settings',
      tone: 'grey',
      title: '积分规则设置',
      url: pageUrl('integralSettings'),
    },
  ];
  return rows.filter((r): r is RowView => !!r);
}

function view(me: Me) {
  const path = me.station?.path ?? [];
  const town = path.length >= 2 ? shortOrgName(path[path.length - 2].name) : '';
  const h = me.household;
  return {
    status: 'ready' as Status,
    name: me.name || '还没有填写姓名',
    initial: me.name ? [...me.name][0] : '我',
    rows: rowsOf(me),
    village: me.station ? shortOrgName(me.station.name) : '',
    town,
    stationName: me.station?.name ?? '',
    household: h
      ? {
          id: h.id,
          headName: h.headName,
          members: h.members.map((m): MemberView => ({ ...m, isMe: m.openid === me.openid })),
          // Only the head is sent the requests waiting for them.
          requests: h.requests.map((r) => ({ openid: r.openid, name: r.name })),
        }
      : null,
    waitingFor: me.joinRequest?.headName ?? '',
    answering: '',
    roles: roleTags(me.roles),
    volunteer: me.volunteer
      ? {
          phone: me.volunteer.phone,
          skills: me.volunteer.skills.map((s) => CATEGORY_LABELS[s]).join('、'),
          stations: `${me.volunteer.stationIds.length} 个`,
          availability: formatAvailability(me.volunteer.availability) || '没有填写',
          rating:
            me.volunteer.rating.count > 0
              ? `${me.volunteer.rating.average} 星（${me.volunteer.rating.count} 次评价）`
              : '还没有人评价',
        }
      : null,
  };
}

/** Pages closed before their figures came back. */
const closed = new WeakSet<object>();

definePage({
  lifetimes: {
    detached() {
      closed.add(this);
    },
  },

  data: {
    status: 'loading' as Status,
    errorMessage: '',
    name: '',
    initial: '',
    rows: [] as RowView[],
    /** What a row's right side says, by row id: 120分, 12.5小时 · 一星志愿者. */
    figures: {} as Record<string, string>,
    village: '',
    town: '',
    stationName: '',
    household: null as {
      id: string;
      headName: string;
      members: MemberView[];
      requests: { openid: string; name: string }[];
    } | null,
    waitingFor: '',
    /** The openid whose request is being answered (its buttons wait). */
    answering: '',
    answerError: '',
    roles: [] as { role: string; label: string }[],
    volunteer: null as {
      phone: string;
      skills: string;
      stations: string;
      availability: string;
      rating: string;
    } | null,
    privacyNeeded: false,
    contractName: '',
    localDev: false,
    identities: [] as IdentityView[],
    _version: -1,
  },

  methods: {
    onLoad() {
      void this.load();
    },

    onShow() {
      const me = currentMe();
      if (this.data.status === 'ready' && me && meVersion() !== this.data._version) {
        this.setData({ ...view(me), _version: meVersion() });
      }
      void this.showPrivacy();
      this.showIdentities();
    },

    onPullDownRefresh() {
      void this.load().then(() => wx.stopPullDownRefresh());
    },

    onRetry() {
      this.setData({ status: 'loading' });
      void this.load();
    },

    async load() {
      try {
        const me = await loadMe();
        this.setData({ ...view(me), _version: meVersion() });
        void this.loadFigures(me);
      } catch (e) {
        this.setData({ status: 'error', errorMessage: apiErrorOf(e).message });
      }
    },

    /** The household's points and the volunteer's hours beside their rows; left out when not read. */
    async loadFigures(me: Me) {
      const [balance, hours] = await Promise.all([
        me.household ? integralCall('balance', {}) : null,
        me.volunteer ? activityCall('hours', {}) : null,
      ]);
      const figures: Record<string, string> = {};
      if (balance?.ok) figures['integral-entry'] = `${balance.data.balance}分`;
      if (hours?.ok) {
        const total = Math.round((hours.data.recordedHours + hours.data.honourHours) * 10) / 10;
        const star = hours.data.stars.stars > 0 ? ` ${'★'.repeat(hours.data.stars.stars)}` : '';
        figures['hours-entry'] = `${total}小时${star}`;
      }
      // The figures come after the page: it may have been closed meanwhile.
      if (!closed.has(this)) this.setData({ figures });
    },

    onRow(e: Tap<{ url: string }>) {
      void openPage(e.currentTarget.dataset.url);
    },

    async showPrivacy() {
      const s = await getPrivacyState();
      this.setData({ privacyNeeded: s.needAuthorization, contractName: s.contractName });
    },

    showIdentities() {
      const localDev = useLocalCloud();
      if (!localDev) {
        if (this.data.localDev) this.setData({ localDev: false, identities: [] });
        return;
      }
      const current = getLocalIdentity();
      this.setData({
        localDev: true,
        identities: DEMO_IDENTITIES.map((i) => ({ ...i, current: i.openid === current })),
      });
    },

    onBind() {
      void openPage(pageUrl('bind'));
    },

    onVolunteer() {
      void openPage(pageUrl('volunteer'));
    },

    onMyData() {
      void openPage(pageUrl('myData'));
    },

    onVerifyCertificate() {
      void openPage(pageUrl('activityVerify'));
    },

    /** The head agrees to a request to join (data-approve "1") or declines it. */
    async onAnswerJoin(e: Tap<{ openid: string; approve: string }>) {
      const { openid, approve } = e.currentTarget.dataset;
      if (this.data.answering) return;
      this.setData({ answering: openid, answerError: '' });
      const r = await answerJoin({ openid, approve: approve === '1' });
      if (!r.ok) {
        this.setData({ answering: '', answerError: r.error.message });
        return;
      }
      setMe(r.data);
      this.setData({ ...view(r.data), _version: meVersion() });
      wx.showToast({ title: approve === '1' ? '已同意' : '已拒绝', icon: 'success' });
    },

    onCopyHousehold() {
      const id = this.data.household?.id;
      if (id) wx.setClipboardData({ data: id });
    },

    onOpenContract() {
      openPrivacyContract();
    },

    async onAgreePrivacy() {
      await requirePrivacyConsent();
      await this.showPrivacy();
    },

    onSwitchIdentity(e: Tap<{ openid: string }>) {
      const openid = e.currentTarget.dataset.openid;
      if (!useLocalCloud() || openid === getLocalIdentity()) return;
      setLocalIdentity(openid);
      clearSession();
      // A relaunch starts every page afresh; the app logs in again as the new identity.
      wx.reLaunch({
        url: pageUrl('home'),
        fail: () => wx.showToast({ title: '没有重新打开，请在开发者工具里点“编译”', icon: 'none' }),
      });
    },
  },
});
