/**
 * 我的: who the caller is — name, village with its town, household with its members (the head marked)
 * and its number, roles — and the ways to change it: 绑定村居 / 更换村居, 注册志愿者 / 修改志愿者信息;
 * the household's points (我家积分).
 * Also the privacy guide (read it, agree to it), and, in local development only, a switcher between
 * the demo county's identities.
 */
import { definePage } from '../../base/page';
import type { Tap } from '../../base/events';
import type { Me } from '../../contract/api';
import { CATEGORY_LABELS } from '../../contract/domain';
import { useLocalCloud } from '../../config';
import { DEMO_IDENTITIES, getLocalIdentity, setLocalIdentity } from '../../services/identity';
import { pageUrl } from '../../routes';
import { openPage } from '../../services/navigate';
import { getPrivacyState, openPrivacyContract, requirePrivacyConsent } from '../../services/privacy';
import { clearSession, currentMe, loadMe, meVersion, setMe } from '../../services/session';
import { answerJoin } from '../../services/user';
import { apiErrorOf } from '../../services/transport';
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

function view(me: Me) {
  const path = me.station?.path ?? [];
  const town = path.length >= 2 ? shortOrgName(path[path.length - 2].name) : '';
  const h = me.household;
  return {
    status: 'ready' as Status,
    name: me.name || '还没有填写姓名',
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

definePage({
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    name: '',
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
      } catch (e) {
        this.setData({ status: 'error', errorMessage: apiErrorOf(e).message });
      }
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

    onIntegral() {
      void openPage(pageUrl('integralHome'));
    },

    onHours() {
      void openPage(pageUrl('activityHours'));
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
