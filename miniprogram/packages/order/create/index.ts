/**
 * 我要点单: a villager posts a micro-wish or blows the whistle. Kind, one of the ten services, a title
 * and what is needed, up to three photos, where (a practice point nearby or where they are now) and how
 * to reach them. Before posting it shows open orders of the same kind close by and asks 仍然提交？; the
 * request id is made once per form, so a retried submit makes one order. Success opens the detail.
 */
import { definePage } from '../../../base/page';
import { noFieldError, showAtField } from '../../../base/form';
import type { Detail } from '../../../base/events';
import type { ChangeDetail as CategoryChange } from '../../../components/category-picker/type';
import type { ChangeDetail as PhotosChange } from '../../../components/photo-picker/type';
import type { TextDetail as VoiceText } from '../../../components/voice-input/type';
import type { NearbyPoint } from '../../../contract/api';
import type { Category } from '../../../contract/domain';
import { CATEGORY_LABELS } from '../../../contract/domain';
import {
  CONTACT_PHONE,
  ORDER_KIND_INFO,
  ORDER_KINDS,
  ORDER_LIMITS,
  type OrderKind,
  type OrderStatus,
} from '../../../contract/order';
import { askSubscribe, createOrder, newRequestId, similarOrders } from '../../../services/order';
import { locate } from '../../../services/location';
import { getOrg, nearby } from '../../../services/org';
import { photoCloudPath, uploadPhotos } from '../../../services/upload';
import { distanceFrom, formatDistance, formatTime, shortOrgName } from '../../../utils/format';
import { openPage } from '../../../services/navigate';
import { pageUrl } from '../../../routes';
import { currentMe } from '../../../services/session';

/** How many of the nearest points show in the form; the rest are one tap away, in a sheet. */
const NEAREST = 3;

interface FieldProblem {
  field: 'category' | 'title' | 'content' | 'phone' | 'address' | 'photos';
  message: string;
}

/** Limits of the form: the order function's own, from the contract. */
const {
  titleMin: TITLE_MIN,
  titleMax: TITLE_MAX,
  contentMin: CONTENT_MIN,
  contentMax: CONTENT_MAX,
  addressMax: ADDRESS_MAX,
  photos: MAX_PHOTOS,
} = ORDER_LIMITS;
/** How far the practice point picker looks: a little beyond the ten-minute circle. */
const NEARBY_RADIUS_M = 3000;

type Place = 'none' | 'point' | 'here';

interface PointOption {
  id: string;
  name: string;
  station: string;
  distance: string;
}

interface SimilarView {
  id: string;
  title: string;
  status: OrderStatus;
  distance: string;
  time: string;
  place: string;
}

const KINDS = ORDER_KINDS.map((key) => ({
  key,
  label: ORDER_KIND_INFO[key].label,
  description: ORDER_KIND_INFO[key].description,
}));

definePage({
  data: {
    kinds: KINDS,
    kind: 'wish' as OrderKind,
    category: '' as Category | '',
    categoryLabel: '',
    title: '',
    content: '',
    titleMax: TITLE_MAX,
    contentMax: CONTENT_MAX,
    addressMax: ADDRESS_MAX,
    maxPhotos: MAX_PHOTOS,
    photos: [] as string[],
    place: 'none' as Place,
    placeText: '',
    placeError: '',
    locating: false,
    points: [] as PointOption[],
    showPoints: false,
    phone: '',
    address: '',
    unbound: false,
    formError: '',
    /** The field a check found wrong (category, title, content, phone, address, photos), and why. */
    errorField: '',
    nearest: [] as { id: string; name: string; station: string; distance: string }[],
    showSheet: false,
    fieldError: '',
    submitting: false,
    stage: '',
    similar: [] as SimilarView[],
    showSimilar: false,
    _requestId: '',
    _uploaded: {} as Record<string, string>,
    _location: null as { lat: number; lng: number } | null,
    _pointId: '',
    _asked: false,
  },

  methods: {
    onLoad(query: { pointId?: string } = {}) {
      this.setData({ _requestId: newRequestId() });
      // 在这里许愿 on a practice point's page: that point is where, unless the villager picks another.
      if (query.pointId) void this.preselectPoint(query.pointId);
      // Posting needs a village; say so first rather than after the form is filled in.
      const me = currentMe();
      if (me) this.setData({ unbound: !me.stationId });
      else
        getApp<IAppOption>()
          .ready()
          .then((profile) => this.setData({ unbound: !profile.stationId }))
          .catch(() => undefined);
    },

    async preselectPoint(id: string) {
      const r = await getOrg({ id });
      if (!r.ok || r.data.level !== 'point' || this.data.place !== 'none') return;
      const station = r.data.path.find((p) => p.id === r.data.parentId)?.name ?? '';
      this.setData({
        place: 'point',
        placeText: station ? `${r.data.name}（${shortOrgName(station)}）` : r.data.name,
        _pointId: id,
      });
    },

    onBind() {
      void openPage(pageUrl('bind'));
    },

    onShow() {
      // Back from binding: the shared Me says whether the village is set now.
      const me = currentMe();
      if (me && this.data.unbound && me.stationId) this.setData({ unbound: false });
    },

    onKind(e: WechatMiniprogram.TouchEvent) {
      const kind = String(e.currentTarget.dataset.kind) as OrderKind;
      if (ORDER_KIND_INFO[kind]) this.setData({ kind });
    },

    onCategory(e: Detail<CategoryChange>) {
      const category = e.detail.value;
      this.setData({ category, categoryLabel: CATEGORY_LABELS[category] ?? '', formError: '' });
      if (this.data.errorField === 'category') this.setData({ errorField: '', fieldError: '' });
    },

    onTitle(e: WechatMiniprogram.Input) {
      this.setData({ title: e.detail.value.slice(0, TITLE_MAX) });
    },

    onContent(e: WechatMiniprogram.Input) {
      this.setData({ content: e.detail.value.slice(0, CONTENT_MAX) });
    },

    /** Said aloud (按住说话): added to what is typed; a title keeps no closing full stop. */
    onVoiceTitle(e: Detail<VoiceText>) {
      const said = e.detail.text.replace(/[。.！!？?]+$/, '');
      this.setData({ title: `${this.data.title}${said}`.slice(0, TITLE_MAX) });
    },

    onVoiceContent(e: Detail<VoiceText>) {
      this.setData({ content: `${this.data.content}${e.detail.text}`.slice(0, CONTENT_MAX) });
    },

    onPhotos(e: Detail<PhotosChange>) {
      this.setData({ photos: e.detail.paths.slice(0, MAX_PHOTOS) });
    },

    onPhone(e: WechatMiniprogram.Input) {
      this.setData({ phone: e.detail.value.trim() });
    },

    onAddress(e: WechatMiniprogram.Input) {
      this.setData({ address: e.detail.value.slice(0, ADDRESS_MAX) });
    },

    async location(): Promise<{ lat: number; lng: number } | null> {
      if (this.data._location) return this.data._location;
      this.setData({ locating: true, placeError: '' });
      const found = await locate();
      if (!found.ok) {
        this.setData({ locating: false, placeError: `${found.message}也可以不选，站长会按您所在的村来安排。` });
        return null;
      }
      const here = { lat: found.lat, lng: found.lng };
      this.setData({ locating: false, _location: here });
      return here;
    },

    async onUseHere() {
      if (this.data.locating) return;
      const here = await this.location();
      if (!here) return;
      this.setData({ place: 'here', placeText: '用我现在的位置', _pointId: '', showPoints: false });
    },

    async onPickPoint() {
      if (this.data.locating) return;
      const here = await this.location();
      if (!here) return;
      this.setData({ locating: true });
      const r = await nearby({ lat: here.lat, lng: here.lng, radiusM: NEARBY_RADIUS_M, limit: 20 });
      this.setData({ locating: false });
      if (!r.ok) {
        this.setData({ placeError: r.error.message });
        return;
      }
      if (r.data.points.length === 0) {
        this.setData({ placeError: '附近三公里内没有实践点，可以用您现在的位置。', showPoints: false });
        return;
      }
      const points = r.data.points.map((p: NearbyPoint) => ({
        id: p.id,
        name: p.name,
        station: p.stationName,
        distance: formatDistance(p.distanceM),
      }));
      this.setData({ points, nearest: points.slice(0, NEAREST), showPoints: true, showSheet: false });
    },

    onMorePoints() {
      this.setData({ showSheet: true });
    },

    onCloseSheet() {
      this.setData({ showSheet: false });
    },

    onPoint(e: WechatMiniprogram.TouchEvent) {
      const id = String(e.currentTarget.dataset.id);
      const point = this.data.points.find((p) => p.id === id);
      if (!point) return;
      this.setData({
        place: 'point',
        placeText: `${point.name}（${point.station}）`,
        _pointId: id,
        showPoints: false,
        showSheet: false,
      });
    },

    onClearPlace() {
      this.setData({ place: 'none', placeText: '', _pointId: '', showPoints: false });
    },

    /** The first field that is missing or wrong, and what to say about it in plain words. */
    problem(): FieldProblem | null {
      const { category, title, content, phone, address, photos } = this.data;
      if (!category) return { field: 'category', message: '请选一个服务类别。' };
      const t = title.trim();
      if (t.length < TITLE_MIN) return { field: 'title', message: `请写一个标题，至少${TITLE_MIN}个字。` };
      if (t.length > TITLE_MAX) return { field: 'title', message: `标题最多${TITLE_MAX}个字。` };
      const c = content.trim();
      if (c.length < CONTENT_MIN) return { field: 'content', message: `请说说具体要办什么，至少${CONTENT_MIN}个字。` };
      if (c.length > CONTENT_MAX) return { field: 'content', message: `具体内容最多${CONTENT_MAX}个字。` };
      if (phone && !CONTACT_PHONE.test(phone))
        return { field: 'phone', message: '电话号码不对，请填11位手机号或带区号的座机号。' };
      if (address.trim().length > ADDRESS_MAX) return { field: 'address', message: `地址最多${ADDRESS_MAX}个字。` };
      if (photos.length > MAX_PHOTOS) return { field: 'photos', message: `照片最多${MAX_PHOTOS}张。` };
      return null;
    },

    onSubmit() {
      if (this.data.submitting) return;
      const problem = this.problem();
      if (problem) {
        // Said at the field at fault, and the page brought to it: the villager tapped 提交 far below.
        showAtField(this, problem.field, problem.message, { formError: '' });
        return;
      }
      this.setData(noFieldError);
      // WeChat shows the prompt only from the tap itself, before anything is awaited.
      if (!this.data._asked) {
        this.setData({ _asked: true });
        askSubscribe(['progress']);
      }
      void this.submit(false);
    },

    onSubmitAnyway() {
      if (this.data.submitting) return;
      this.setData({ showSimilar: false });
      void this.submit(true);
    },

    onNotSubmit() {
      this.setData({ showSimilar: false, similar: [] });
    },

    where(): { pointId?: string; location?: { lat: number; lng: number } } {
      const { place, _pointId, _location } = this.data;
      if (place === 'point' && _pointId) return { pointId: _pointId };
      if (place === 'here' && _location) return { location: { lat: _location.lat, lng: _location.lng } };
      return {};
    },

    /** Shows open orders of the same service close by and asks 仍然提交？; false when there are none. */
    async offerSimilar(category: Category, where: { pointId?: string; location?: { lat: number; lng: number } }) {
      const s = await similarOrders({ category, ...where });
      if (!s.ok || s.data.orders.length === 0) return false;
      const similar = s.data.orders.slice(0, 5).map((o) => ({
        id: o.id,
        title: o.title,
        status: o.status,
        distance: distanceFrom('离这里', o.distanceM),
        time: formatTime(o.createdAt),
        place: o.pointName ?? o.stationName,
      }));
      this.setData({ submitting: false, stage: '', similar, showSimilar: true });
      return true;
    },

    async submit(acknowledgeSimilar: boolean) {
      const category = this.data.category as Category;
      this.setData({ submitting: true, formError: '', stage: '正在查看附近有没有一样的需求……' });
      const where = this.where();

      // The check helps avoid duplicates; when it cannot run, posting still goes ahead.
      if (!acknowledgeSimilar && (await this.offerSimilar(category, where))) return;

      const { _requestId: requestId, photos } = this.data;
      let fileIds: string[] = [];
      if (photos.length > 0) {
        this.setData({ stage: '正在上传照片……' });
        // Already uploaded photos (path → fileID) are kept across retries; each new one gets a new name.
        const uploaded = this.data._uploaded;
        const up = await uploadPhotos(
          photos,
          (openid, p) => photoCloudPath(openid, 'orders', `${requestId}-${Object.keys(uploaded).length}`, p),
          uploaded,
        );
        if (!up.ok) {
          this.setData({ submitting: false, stage: '', formError: up.error.message });
          return;
        }
        fileIds = up.data;
      }

      this.setData({ stage: '正在提交……' });
      const phone = this.data.phone.trim();
      const address = this.data.address.trim();
      const r = await createOrder({
        kind: this.data.kind,
        category,
        title: this.data.title.trim(),
        content: this.data.content.trim(),
        requestId,
        ...where,
        ...(fileIds.length > 0 ? { photos: fileIds } : {}),
        ...(phone || address ? { contact: { ...(phone ? { phone } : {}), ...(address ? { address } : {}) } } : {}),
        ...(acknowledgeSimilar ? { acknowledgeSimilar: true } : {}),
      });
      if (!r.ok) {
        // A similar order appeared since the check: show it rather than only say so.
        const raced =
          r.error.code === 'FAILED_PRECONDITION' && (r.error.details ?? []).some((d) => d.startsWith('similar'));
        if (raced && (await this.offerSimilar(category, where))) return;
        this.setData({ submitting: false, stage: '', formError: r.error.message });
        return;
      }
      this.setData({ stage: '提交成功' });
      wx.redirectTo({ url: pageUrl('orderDetail', { id: r.data.id }) });
    },
  },
});
