/**
 * 实践点管理 for station heads and admins: a station's practice points (`?stationId=`, or the head's own
 * station, or one an admin picks), each with 修改, and 新增实践点. The form asks the name, the kind of
 * point, where it is (picked on the map with wx.chooseLocation, which also offers its address), the
 * address and the opening hours; problems are said at the field. A retried 保存 of a new point finds
 * the one it made (org.create answers a same-named, same-placed point again).
 */
import { definePage } from '../../../base/page';
import type { Detail, InputEvent, Tap } from '../../../base/events';
import { noFieldError, showAtField } from '../../../base/form';
import type { PickedStation } from '../../../components/station-picker/type';
import type { TreeNode } from '../../../contract/api';
import { POINT_KIND_LABELS, POINT_KINDS, type PointKind } from '../../../contract/domain';
import { createOrg, getOrg, tree, updateOrg } from '../../../services/org';
import { currentMe, loadMe } from '../../../services/session';
import { shortOrgName } from '../../../utils/format';

type Status = 'loading' | 'pick' | 'ready' | 'error';

const NAME_MAX = 30;
const ADDRESS_MAX = 80;
const HOURS_MAX = 60;

interface PointRow {
  id: string;
  name: string;
  meta: string;
}

interface Draft {
  /** '' for a new point. */
  id: string;
  name: string;
  kind: PointKind | '';
  location: { lat: number; lng: number } | null;
  /** What the map said of the chosen place, to show it was picked. */
  placeText: string;
  address: string;
  hours: string;
}

const EMPTY: Draft = { id: '', name: '', kind: '', location: null, placeText: '', address: '', hours: '' };
const KINDS = POINT_KINDS.map((key) => ({ key, label: POINT_KIND_LABELS[key] }));

function rowOf(p: TreeNode): PointRow {
  const kind = p.kind ? POINT_KIND_LABELS[p.kind] : '';
  return { id: p.id, name: p.name, meta: [kind, p.address ?? ''].filter(Boolean).join(' · ') };
}

definePage({
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    stationName: '',
    points: [] as PointRow[],
    editing: false,
    draft: { ...EMPTY } as Draft,
    kinds: KINDS,
    nameMax: NAME_MAX,
    addressMax: ADDRESS_MAX,
    hoursMax: HOURS_MAX,
    saving: false,
    saved: '',
    error: '',
    errorField: '',
    fieldError: '',
    _stationId: '',
    _nodes: [] as TreeNode[],
  },

  methods: {
    async onLoad(query: { stationId?: string } = {}) {
      const me = currentMe() ?? (await loadMe().catch(() => undefined));
      const own = me?.roles.find((r) => r.role === 'stationHead')?.orgId;
      const stationId = query.stationId ?? own;
      if (!stationId) {
        this.setData({ status: 'pick' });
        return;
      }
      this.setData({ _stationId: stationId });
      await this.load();
    },

    onPickStation(e: Detail<PickedStation>) {
      this.setData({ _stationId: e.detail.id, status: 'loading' });
      void this.load();
    },

    onOtherStation() {
      this.setData({ status: 'pick', editing: false, saved: '', error: '' });
    },

    onRetry() {
      this.setData({ status: 'loading' });
      void this.load();
    },

    async load() {
      const id = this.data._stationId;
      const [station, children] = await Promise.all([getOrg({ id }), tree({ id, pageSize: 50 })]);
      if (!station.ok || !children.ok) {
        const e = !station.ok ? station.error : !children.ok ? children.error : null;
        this.setData({ status: 'error', errorMessage: e?.message ?? '' });
        return;
      }
      if (station.data.level !== 'station') {
        this.setData({ status: 'error', errorMessage: '请选一个村（社区）的实践站。' });
        return;
      }
      const nodes = children.data.children ?? [];
      this.setData({
        status: 'ready',
        stationName: shortOrgName(station.data.name),
        points: nodes.map(rowOf),
        _nodes: nodes,
      });
    },

    onNew() {
      this.setData({ editing: true, draft: { ...EMPTY }, saved: '', error: '', ...noFieldError });
    },

    onEdit(e: Tap<{ id: string }>) {
      const p = this.data._nodes.find((n) => n.id === e.currentTarget.dataset.id);
      if (!p) return;
      this.setData({
        editing: true,
        saved: '',
        error: '',
        ...noFieldError,
        draft: {
          id: p.id,
          name: p.name,
          kind: p.kind ?? '',
          location: p.location,
          placeText: p.location ? '已在地图上选好' : '',
          address: p.address ?? '',
          hours: p.hours ?? '',
        },
      });
    },

    onCancel() {
      this.setData({ editing: false, error: '', ...noFieldError });
    },

    fixed(field: string) {
      if (this.data.errorField === field) this.setData(noFieldError);
    },

    onName(e: InputEvent) {
      this.setData({ 'draft.name': e.detail.value.slice(0, NAME_MAX) });
      this.fixed('name');
    },

    onKind(e: Tap<{ kind: PointKind }>) {
      this.setData({ 'draft.kind': e.currentTarget.dataset.kind });
      this.fixed('kind');
    },

    onAddress(e: InputEvent) {
      this.setData({ 'draft.address': e.detail.value.slice(0, ADDRESS_MAX) });
      this.fixed('address');
    },

    onHours(e: InputEvent) {
      this.setData({ 'draft.hours': e.detail.value.slice(0, HOURS_MAX) });
    },

    /** The map picker: the place, and its address where the form has none yet. */
    onChooseLocation() {
      const d = this.data.draft;
      wx.chooseLocation({
        ...(d.location ? { latitude: d.location.lat, longitude: d.location.lng } : {}),
        success: (res) => {
          this.setData({
            'draft.location': { lat: res.latitude, lng: res.longitude },
            'draft.placeText': res.name || res.address || '已在地图上选好',
            ...(this.data.draft.address ? {} : { 'draft.address': (res.address || '').slice(0, ADDRESS_MAX) }),
          });
          this.fixed('location');
        },
        fail: (err: { errMsg?: string }) => {
          // Closing the map is not an error; anything else is said where the place is asked.
          if (!/cancel/.test(err.errMsg ?? '')) {
            showAtField(this, 'location', '没有打开地图。请允许使用位置后再试。');
          }
        },
      });
    },

    async onSave() {
      if (this.data.saving) return;
      const d = this.data.draft;
      const name = d.name.trim();
      if ([...name].length < 2) return showAtField(this, 'name', '请写实践点的名称，至少2个字。');
      if (!d.kind) return showAtField(this, 'kind', '请选实践点的类型。');
      if (!d.location) return showAtField(this, 'location', '请点“在地图上选位置”，选好实践点在哪里。');
      const address = d.address.trim();
      const hours = d.hours.trim();
      this.setData({ saving: true, error: '', saved: '', ...noFieldError });
      const r = d.id
        ? await updateOrg({
            id: d.id,
            name,
            kind: d.kind,
            location: d.location,
            address: address || null,
            hours: hours || null,
          })
        : await createOrg({
            parentId: this.data._stationId,
            name,
            kind: d.kind,
            location: d.location,
            ...(address ? { address } : {}),
            ...(hours ? { hours } : {}),
          });
      if (!r.ok) {
        this.setData({ saving: false, error: r.error.message });
        return;
      }
      this.setData({ saving: false, editing: false, saved: d.id ? `已保存“${name}”。` : `已新增“${name}”。` });
      await this.load();
    },
  },
});
