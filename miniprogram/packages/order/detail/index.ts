/**
 * One order: its status in plain words, what was asked, photos (checked ones; 图片审核中 for the rest),
 * the contact for those allowed to see it, the proof and the rating, and the timeline. The buttons are
 * exactly the actions the function says the caller may do now (`can`); each answers the updated order.
 */
import { definePage } from '../../../base/page';
import type { Detail } from '../../../base/events';
import type { ChangeDetail as PhotosChange } from '../../../components/photo-picker/type';
import type { ChangeDetail as StarsChange } from '../../../components/star-rating/type';
import type { Order, OrderAction } from '../../../contract/api';
import { CATEGORY_LABELS, LEVEL_LABELS } from '../../../contract/domain';
import type { Result } from '../../../contract/errors';
import { kindLabel, ORDER_LIMITS, STATUS_INFO, type OrderStatus } from '../../../contract/order';
import {
  acceptOrder,
  askSubscribe,
  cancelOrder,
  declineOrder,
  fulfilOrder,
  getOrder,
  rateOrder,
  reopenOrder,
  reviewOrder,
} from '../../../services/order';
import { photoCloudPath, uploadPhotos } from '../../../services/upload';
import { loadFromQuery } from '../lib/order-query';
import { formatTime } from '../../../utils/format';
import { eventView, photoViews, type EventView, type PhotoView } from '../lib/view';
import { goBack, openPage } from '../../../services/navigate';
import { pageUrl } from '../../../routes';
import { statusLabel, statusLine, viewerOf, type Viewer } from '../lib/status-lines';

type Status = 'loading' | 'ready' | 'error';
type Panel = '' | 'rate' | 'reopen' | 'cancel' | 'decline' | 'fulfil' | 'reject';

const REASON_MIN = 2;
const REASON_MAX = 200;
const NOTE_MAX = 500;
const COMMENT_MAX = 200;
const MAX_PHOTOS = ORDER_LIMITS.photos;
/** The time a volunteer states for a fulfilment, in half hours up to the default cap (8 hours). */
const SERVICE_TIMES = [
  { label: '不填', minutes: 0 },
  ...Array.from({ length: 16 }, (_, i) => ({ label: `${(i + 1) / 2} 小时`, minutes: (i + 1) * 30 })),
];

const chips = (texts: string[]) => texts.map((text) => ({ text }));
const REOPEN_REASONS = chips(['没有真正办好', '问题又出现了', '办的不是我要的']);
const DECLINE_REASONS = chips(['这几天没空', '离得太远', '这件事我不会办']);
const REJECT_REASONS = chips(['不属于服务范围', '内容说得不清楚', '已经有人在办了']);

interface OrderView {
  id: string;
  title: string;
  status: OrderStatus;
  statusLabel: string;
  statusHint: string;
  overdue: boolean;
  kind: string;
  category: string;
  place: string;
  level: string;
  createdAt: string;
  dueAt: string;
  requester: string;
  assignee: string;
  content: string;
  photos: PhotoView[];
  phone: string;
  address: string;
  assigneePhone: string;
  fulfilment: { note: string; at: string; photos: PhotoView[]; time: string } | null;
  rating: { stars: number; comment: string; auto: boolean; at: string } | null;
}

type CanMap = Record<OrderAction, boolean>;

const NONE: CanMap = {
  review: false,
  dispatch: false,
  accept: false,
  decline: false,
  fulfil: false,
  rate: false,
  cancel: false,
  reopen: false,
};

function orderView(o: Order, viewer: Viewer): OrderView {
  const info = STATUS_INFO[o.status];
  return {
    id: o.id,
    title: o.title,
    status: o.status,
    statusLabel: statusLabel(o.status, viewer),
    statusHint: statusLine(o.status, viewer, o.assignee?.name ?? ''),
    overdue: o.overdue,
    kind: kindLabel(o.kind),
    category: CATEGORY_LABELS[o.category] ?? '',
    place: o.pointName ? `${o.stationName} · ${o.pointName}` : o.stationName,
    level: o.level !== 'station' ? `已上报到${LEVEL_LABELS[o.level]}` : '',
    createdAt: formatTime(o.createdAt),
    dueAt: info && info.active && o.dueAt ? formatTime(o.dueAt) : '',
    requester: o.requester.name ?? '',
    assignee: o.assignee ? o.assignee.name : '',
    content: o.content,
    photos: photoViews(o.photos),
    phone: o.contact?.phone ?? '',
    assigneePhone: o.assigneePhone ?? '',
    address: o.contact?.address ?? '',
    fulfilment: o.fulfilment
      ? {
          note: o.fulfilment.note,
          at: formatTime(o.fulfilment.at),
          photos: photoViews(o.fulfilment.photos),
          time: o.fulfilment.minutes ? `${o.fulfilment.minutes / 60} 小时` : '',
        }
      : null,
    rating: o.rating
      ? { stars: o.rating.stars, comment: o.rating.comment ?? '', auto: o.rating.auto, at: formatTime(o.rating.at) }
      : null,
  };
}

function canMap(can: OrderAction[]): CanMap {
  const map = { ...NONE };
  for (const a of can) if (a in map) map[a] = true;
  return map;
}

/** What to tell the user after each action went through. */
const DONE: Record<string, string> = {
  accept: '您已接单，请按约定去办。',
  decline: '已告诉站长您不接这一单。',
  fulfil: '已提交，等群众评价。',
  rate: '谢谢您的评价！',
  cancel: '这个需求已经取消。',
  reopen: '已重新打开，站长会再安排。',
  approve: '审核通过，可以派单了。',
  reject: '已退回，群众会看到原因。',
};

definePage({
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    /** The order is not there or not this user's to see: trying again cannot help, going back can. */
    errorFinal: false,
    order: null as OrderView | null,
    viewer: 'staff' as Viewer,
    events: [] as EventView[],
    can: { ...NONE },
    hasActions: false,
    panel: '' as Panel,
    stars: 0,
    comment: '',
    reason: '',
    note: '',
    fulfilPhotos: [] as string[],
    serviceTimes: SERVICE_TIMES.map((t) => t.label),
    serviceTimeIndex: 0,
    reopenReasons: REOPEN_REASONS,
    declineReasons: DECLINE_REASONS,
    rejectReasons: REJECT_REASONS,
    reasonMax: REASON_MAX,
    noteMax: NOTE_MAX,
    commentMax: COMMENT_MAX,
    maxPhotos: MAX_PHOTOS,
    acting: false,
    actionError: '',
    notice: '',
    _id: '',
    _loaded: false,
    _uploaded: {} as Record<string, string>,
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      loadFromQuery(this, query);
    },

    onShow() {
      // Back from the dispatch page: show what changed there.
      if (this.data._loaded && !this.data.acting) void this.load(true);
    },

    onPullDownRefresh() {
      void this.load(true).then(() => wx.stopPullDownRefresh());
    },

    onRetry() {
      this.setData({ status: 'loading' });
      void this.load();
    },

    async load(quiet = false) {
      if (!quiet) this.setData({ status: 'loading' });
      const r = await getOrder(this.data._id);
      if (!r.ok) {
        const errorFinal = r.error.code === 'FORBIDDEN' || r.error.code === 'NOT_FOUND';
        if (!quiet || !this.data.order) this.setData({ status: 'error', errorMessage: r.error.message, errorFinal });
        return;
      }
      const me = await getApp<IAppOption>()
        .ready()
        .catch(() => undefined);
      this.setData({ viewer: viewerOf(r.data, me?.openid) });
      this.show(r.data);
    },

    onBack() {
      goBack('home');
    },

    show(o: Order) {
      const can = canMap(o.can);
      this.setData({
        status: 'ready',
        order: orderView(o, this.data.viewer),
        events: o.events.map(eventView).reverse(),
        can,
        hasActions: o.can.length > 0,
        _loaded: true,
      });
    },

    onPanel(e: WechatMiniprogram.TouchEvent) {
      const panel = String(e.currentTarget.dataset.panel ?? '') as Panel;
      this.setData({ panel, reason: '', actionError: '', notice: '' });
    },

    onClosePanel() {
      this.setData({ panel: '', actionError: '' });
    },

    onStars(e: Detail<StarsChange>) {
      this.setData({ stars: e.detail.value, actionError: '' });
    },

    onComment(e: WechatMiniprogram.Input) {
      this.setData({ comment: e.detail.value.slice(0, COMMENT_MAX) });
    },

    onReason(e: WechatMiniprogram.Input) {
      this.setData({ reason: e.detail.value.slice(0, REASON_MAX), actionError: '' });
    },

    onQuickReason(e: WechatMiniprogram.TouchEvent) {
      this.setData({ reason: String(e.currentTarget.dataset.reason ?? ''), actionError: '' });
    },

    onServiceTime(e: { detail: { value: string | number } }) {
      this.setData({ serviceTimeIndex: Number(e.detail.value) || 0 });
    },

    onNote(e: WechatMiniprogram.Input) {
      this.setData({ note: e.detail.value.slice(0, NOTE_MAX), actionError: '' });
    },

    onFulfilPhotos(e: Detail<PhotosChange>) {
      this.setData({ fulfilPhotos: e.detail.paths.slice(0, MAX_PHOTOS) });
    },

    /** Runs one action; on success shows the order it answers, on failure the plain message. */
    async act(what: string, run: () => Promise<Result<Order>>) {
      if (this.data.acting) return;
      this.setData({ acting: true, actionError: '', notice: '' });
      const r = await run();
      if (!r.ok) {
        this.setData({ acting: false, actionError: r.error.message });
        // Someone else moved it meanwhile: show where it stands now.
        if (r.error.code === 'CONFLICT' || r.error.code === 'FAILED_PRECONDITION') void this.load(true);
        return;
      }
      this.show(r.data);
      this.setData({ acting: false, panel: '', reason: '', note: '', comment: '', notice: DONE[what] ?? '' });
    },

    /** The typed reason, or '' after telling the user what is missing. */
    reasonOrComplain(what: string): string {
      const reason = this.data.reason.trim();
      if (reason.length < REASON_MIN) {
        this.setData({ actionError: `请写一下${what}，至少${REASON_MIN}个字。` });
        return '';
      }
      return reason;
    },

    onAccept() {
      if (this.data.acting) return;
      // WeChat shows the prompt only from the tap itself, before anything is awaited.
      askSubscribe(['dispatched']);
      void this.act('accept', () => acceptOrder(this.data._id));
    },

    onDecline() {
      const reason = this.reasonOrComplain('不接的原因');
      if (reason) void this.act('decline', () => declineOrder(this.data._id, reason));
    },

    onFulfil() {
      const note = this.data.note.trim();
      if (note.length < REASON_MIN) {
        this.setData({ actionError: `请写一下办了什么，至少${REASON_MIN}个字。` });
        return;
      }
      const id = this.data._id;
      const paths = this.data.fulfilPhotos;
      void this.act('fulfil', async () => {
        let photos: string[] = [];
        if (paths.length > 0) {
          const uploaded = this.data._uploaded;
          const up = await uploadPhotos(
            paths,
            (openid, p) =>
              photoCloudPath(openid, 'proofs', `${id}-${Date.now().toString(36)}-${Object.keys(uploaded).length}`, p),
            uploaded,
          );
          if (!up.ok) return up;
          photos = up.data;
        }
        const minutes = SERVICE_TIMES[this.data.serviceTimeIndex]?.minutes ?? 0;
        return fulfilOrder({
          id,
          note,
          ...(photos.length > 0 ? { photos } : {}),
          ...(minutes > 0 ? { minutes } : {}),
        });
      });
    },

    onRate() {
      const stars = this.data.stars;
      if (stars < 1 || stars > 5) {
        this.setData({ actionError: '请点星星打分，最少1颗，最多5颗。' });
        return;
      }
      const comment = this.data.comment.trim();
      void this.act('rate', () => rateOrder({ id: this.data._id, stars, ...(comment ? { comment } : {}) }));
    },

    onReopen() {
      const reason = this.reasonOrComplain('为什么要重新办');
      if (reason) void this.act('reopen', () => reopenOrder(this.data._id, reason));
    },

    onReasonSubmit() {
      const panel = this.data.panel;
      if (panel === 'reopen') this.onReopen();
      else if (panel === 'decline') this.onDecline();
      else if (panel === 'reject') this.onReject();
    },

    onCancel() {
      void this.act('cancel', () => cancelOrder(this.data._id));
    },

    onApprove() {
      if (this.data.acting) return;
      askSubscribe(['attention']);
      void this.act('approve', () => reviewOrder({ id: this.data._id, approve: true }));
    },

    onReject() {
      const reason = this.reasonOrComplain('不通过的原因');
      if (reason) void this.act('reject', () => reviewOrder({ id: this.data._id, approve: false, reason }));
    },

    onDispatch() {
      void openPage(pageUrl('orderDispatch', { id: this.data._id }));
    },

    onCall() {
      const phone = this.data.order?.phone;
      if (phone) wx.makePhoneCall({ phoneNumber: phone });
    },

    onCallAssignee() {
      const phone = this.data.order?.assigneePhone;
      if (phone) wx.makePhoneCall({ phoneNumber: phone });
    },
  },
});
