/**
 * 我的信息 (个人信息查阅): what the project holds about me, in plain sections — who I am, my household
 * (the others' names masked), my roles, my volunteer record, the wishes I asked for and the tasks I
 * held, my service hours, the points I recorded, and who was shown my phone and address. Each long list
 * shows its first page and a 查看更多 for the next.
 * At the bottom, 注销账号: asked twice in plain words what will happen, then closed; the page says it
 * is done and the app starts afresh.
 */
import { definePage } from '../../../base/page';
import type { Tap } from '../../../base/events';
import type { MyData, MyDataList } from '../../../contract/api';
import { ROLE_LABELS } from '../../../contract/domain';
import { STATUS_INFO } from '../../../contract/order';
import { CLAIM_STATUS_LABELS, type ClaimStatus } from '../../../contract/integral';
import { pageUrl } from '../../../routes';
import { clearSession } from '../../../services/session';
import { apiErrorOf } from '../../../services/transport';
import { closeAccount, myData } from '../../../services/user';
import { formatTime, shortOrgName } from '../../../utils/format';

type Status = 'loading' | 'ready' | 'error' | 'closed';

interface Line {
  key: string;
  title: string;
  meta: string;
}

interface ListView {
  name: MyDataList;
  title: string;
  empty: string;
  lines: Line[];
  nextPage: number | null;
  loading: boolean;
}

const LIST_TITLES: Record<MyDataList, { title: string; empty: string }> = {
  requested: { title: '我提的心愿和求助', empty: '还没有提过。' },
  assigned: { title: '我做过的志愿任务', empty: '还没有做过。' },
  hours: { title: '我的服务时长', empty: '还没有服务时长记录。' },
  points: { title: '我申报的积分', empty: '还没有申报过积分。' },
  reveals: { title: '谁看过我的电话和地址', empty: '还没有志愿者看过。' },
};
const ORDER: MyDataList[] = ['requested', 'assigned', 'hours', 'points', 'reveals'];

const hoursText = (minutes: number) => {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h > 0 ? `${h}小时${m > 0 ? `${m}分钟` : ''}` : `${m}分钟`;
};

function linesOf(name: MyDataList, d: MyData['lists'], offset: number): Line[] {
  const key = (i: number) => `${name}-${offset + i}`;
  switch (name) {
    case 'requested':
    case 'assigned':
      return (d[name]?.items ?? []).map((o, i) => ({
        key: key(i),
        title: o.title,
        meta: `${STATUS_INFO[o.status]?.label ?? o.status} · ${shortOrgName(o.stationName)} · ${formatTime(o.createdAt)}`,
      }));
    case 'hours':
      return (d.hours?.items ?? []).map((h, i) => ({
        key: key(i),
        title: h.title,
        meta: `${hoursText(h.minutes)}${h.kind === 'honour' ? '（补记）' : ''} · ${formatTime(h.at)}`,
      }));
    case 'points':
      return (d.points?.items ?? []).map((p, i) => ({
        key: key(i),
        title: p.ruleName,
        meta: `${p.points > 0 ? '+' : ''}${p.points} 分 · ${CLAIM_STATUS_LABELS[p.status as ClaimStatus] ?? p.status} · ${formatTime(p.at)}`,
      }));
    case 'reveals':
      return (d.reveals?.items ?? []).map((r, i) => ({
        key: key(i),
        title: `${r.volunteerName} 看过（${r.orderTitle}）`,
        meta: `第一次 ${formatTime(r.firstAt)}，最近 ${formatTime(r.lastAt)}，共 ${r.times} 次`,
      }));
  }
}

function aboutView(a: NonNullable<MyData['about']>) {
  const v = a.volunteer;
  return {
    name: a.name || '没有填写',
    since: formatTime(a.createdAt),
    place: a.station ? shortOrgName(a.station.name) : '还没有绑定',
    roles: a.roles.length ? a.roles.map((r) => `${shortOrgName(r.orgName)}${ROLE_LABELS[r.role]}`).join('、') : '没有',
    household: a.household
      ? {
          id: a.household.id,
          role: a.household.isHead ? '户主' : '家庭成员',
          members: a.household.members.map((m, i) => ({
            key: `m-${i}`,
            text: `${m.name}${m.isHead ? '（户主）' : ''}${m.isMe ? '（我）' : ''}`,
          })),
          balance: a.household.balance,
        }
      : null,
    volunteer: v
      ? {
          phone: v.phone,
          status:
            { pending: '等待站长审核', active: '已通过', paused: '暂停服务', rejected: '没有通过' }[v.status] ??
            v.status,
          stations: `${v.stationIds.length} 个`,
          since: formatTime(v.registeredAt),
        }
      : null,
    activeRequested: a.activeRequested,
    activeAssigned: a.activeAssigned,
  };
}

definePage({
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    about: null as ReturnType<typeof aboutView> | null,
    lists: [] as ListView[],
    closing: false,
    closeError: '',
    closedText: '',
  },

  methods: {
    onLoad() {
      void this.load();
    },

    onRetry() {
      this.setData({ status: 'loading' });
      void this.load();
    },

    async load() {
      const r = await myData({});
      if (!r.ok) {
        this.setData({ status: 'error', errorMessage: r.error.message });
        return;
      }
      const d = r.data;
      this.setData({
        status: 'ready',
        about: d.about ? aboutView(d.about) : null,
        lists: ORDER.map((name) => ({
          name,
          ...LIST_TITLES[name],
          lines: linesOf(name, d.lists, 0),
          nextPage: d.lists[name]?.nextPage ?? null,
          loading: false,
        })),
      });
    },

    async onMore(e: Tap<{ index: number }>) {
      const index = Number(e.currentTarget.dataset.index);
      const list = this.data.lists[index];
      if (!list || list.nextPage === null || list.loading) return;
      this.setData({ [`lists[${index}].loading`]: true });
      const r = await myData({ list: list.name, page: list.nextPage });
      if (!r.ok) {
        this.setData({ [`lists[${index}].loading`]: false });
        wx.showToast({ title: r.error.message, icon: 'none' });
        return;
      }
      const more = linesOf(list.name, r.data.lists, list.lines.length);
      // Only the new lines, by path: the rest of the list stays as it is.
      const patch: Record<string, unknown> = {
        [`lists[${index}].loading`]: false,
        [`lists[${index}].nextPage`]: r.data.lists[list.name]?.nextPage ?? null,
      };
      more.forEach((line, i) => (patch[`lists[${index}].lines[${list.lines.length + i}]`] = line));
      this.setData(patch);
    },

    /** 注销账号: asked twice, in plain words, before anything happens. */
    onClose() {
      if (this.data.closing) return;
      const a = this.data.about;
      const doing = [
        a?.activeRequested ? `您还没人接的 ${a.activeRequested} 个心愿会被取消。` : '',
        a?.activeAssigned ? `您手上的 ${a.activeAssigned} 个志愿任务会退回，交给别的志愿者。` : '',
      ].join('');
      wx.showModal({
        title: '注销账号',
        content: `注销后，您的姓名、手机号、地址会被删除，不再是户里的成员，职务和志愿者登记也会取消。${doing}您提过的心愿、服务时长和积分记录会留给县里存档，但只显示“已注销用户”。`,
        confirmText: '继续注销',
        cancelText: '不注销',
        success: (first) => {
          if (!first.confirm) return;
          wx.showModal({
            title: '再确认一次',
            content: '注销以后不能恢复。以后再用，就要重新绑定村居、重新登记。确定注销吗？',
            confirmText: '确定注销',
            cancelText: '不注销',
            success: (second) => {
              if (second.confirm) void this.close();
            },
          });
        },
      });
    },

    async close() {
      this.setData({ closing: true, closeError: '' });
      try {
        const r = await closeAccount();
        if (!r.ok) {
          this.setData({ closing: false, closeError: r.error.message });
          return;
        }
        clearSession();
        const letGo = [
          r.data.cancelled ? `取消了 ${r.data.cancelled} 个心愿` : '',
          r.data.released ? `退回了 ${r.data.released} 个志愿任务` : '',
        ]
          .filter(Boolean)
          .join('，');
        this.setData({
          status: 'closed',
          closing: false,
          about: null,
          lists: [],
          closedText: `您的账号已经注销${letGo ? `，${letGo}` : ''}。谢谢您为乡亲们做的一切。`,
        });
      } catch (e) {
        this.setData({ closing: false, closeError: apiErrorOf(e).message });
      }
    },

    onHome() {
      wx.reLaunch({ url: pageUrl('home') });
    },
  },
});
