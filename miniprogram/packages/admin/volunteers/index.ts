/**
 * 志愿者审核 for station heads: the registrations waiting at their station (user.pendingVolunteers) —
 * name, masked phone, skills and the stations chosen — approved, or declined with a reason
 * (user.reviewVolunteer). Only an approved volunteer takes orders. A head of several stations picks one.
 */
import { definePage } from '../../../base/page';
import type { InputEvent, Tap } from '../../../base/events';
import type { VolunteerProfile } from '../../../contract/api';
import { CATEGORY_LABELS } from '../../../contract/domain';
import { getOrg } from '../../../services/org';
import { loadMe } from '../../../services/session';
import { apiErrorOf } from '../../../services/transport';
import { pendingVolunteers, reviewVolunteer } from '../../../services/user';
import { shortOrgName } from '../../../utils/format';

type Status = 'loading' | 'ready' | 'error' | 'forbidden';

interface Row {
  openid: string;
  name: string;
  phone: string;
  skills: string;
  stations: string;
  registeredAt: string;
  error: string;
}

/** 139****5678: the page shows no more of a phone than a check needs. */
const masked = (phone: string) => (phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****');

/** Names of stations, each looked up once (the lookup itself is kept, so rows share it). */
const names = new Map<string, Promise<string>>();
function nameOf(id: string): Promise<string> {
  if (!names.has(id))
    names.set(
      id,
      getOrg({ id }).then((r) => (r.ok ? shortOrgName(r.data.name) : id)),
    );
  return names.get(id)!;
}

async function rowOf(v: VolunteerProfile): Promise<Row> {
  const stations = await Promise.all(v.stationIds.map(nameOf));
  return {
    openid: v.openid,
    name: v.name,
    phone: masked(v.phone),
    skills: v.skills.map((s) => CATEGORY_LABELS[s]).join('、'),
    stations: stations.join('、'),
    registeredAt: v.registeredAt.slice(0, 10),
    error: '',
  };
}

definePage({
  data: {
    status: 'loading' as Status,
    message: '',
    stations: [] as { id: string; name: string }[],
    stationId: '',
    rows: [] as Row[],
    busy: false,
    _reasons: {} as Record<string, string>,
  },

  methods: {
    onLoad() {
      void this.start();
    },

    onRetry() {
      void this.start();
    },

    async start() {
      this.setData({ status: 'loading' });
      try {
        const me = await loadMe();
        const heads = me.roles.filter((r) => r.role === 'stationHead' && r.orgId).map((r) => r.orgId as string);
        if (heads.length === 0) {
          this.setData({ status: 'forbidden' });
          return;
        }
        const stations = await Promise.all(heads.map(async (id) => ({ id, name: await nameOf(id) })));
        this.setData({ stations, stationId: this.data.stationId || heads[0] });
        await this.load();
      } catch (e) {
        this.setData({ status: 'error', message: apiErrorOf(e).message });
      }
    },

    async load() {
      const r = await pendingVolunteers({ stationId: this.data.stationId });
      if (!r.ok) {
        this.setData({ status: r.error.code === 'FORBIDDEN' ? 'forbidden' : 'error', message: r.error.message });
        return;
      }
      this.setData({ status: 'ready', rows: await Promise.all(r.data.volunteers.map(rowOf)) });
    },

    onStation(e: Tap<{ id: string }>) {
      this.setData({ stationId: e.currentTarget.dataset.id, status: 'loading' });
      void this.load();
    },

    onReasonInput(e: InputEvent & { currentTarget: { dataset: { openid: string } } }) {
      this.data._reasons[e.currentTarget.dataset.openid] = String(e.detail.value ?? '');
    },

    onApprove(e: Tap<{ openid: string }>) {
      void this.review(e.currentTarget.dataset.openid, true);
    },

    onDecline(e: Tap<{ openid: string }>) {
      void this.review(e.currentTarget.dataset.openid, false);
    },

    async review(openid: string, approve: boolean) {
      if (this.data.busy) return;
      const reason = (this.data._reasons[openid] ?? '').trim();
      const index = this.data.rows.findIndex((r) => r.openid === openid);
      if (!approve && reason.length < 2) {
        this.setData({ [`rows[${index}].error`]: '请写一写不同意的原因，至少2个字。' });
        return;
      }
      this.setData({ busy: true, [`rows[${index}].error`]: '' });
      const r = await reviewVolunteer({
        openid,
        stationId: this.data.stationId,
        approve,
        ...(approve ? {} : { reason }),
      });
      if (!r.ok) {
        this.setData({ busy: false, [`rows[${index}].error`]: r.error.message });
        return;
      }
      this.setData({ busy: false, rows: this.data.rows.filter((x) => x.openid !== openid) });
      wx.showToast({ title: approve ? '已同意' : '已不同意', icon: 'success' });
    },
  },
});
