/**
 * 积分超市管理 for the station head: the station's shelf with its stock (上架 a new item, 补货 adds
 * stock), and 核销取货码 — scan the villager's code or type the eight digits; a code is good once.
 * An institute admin manages the institute's shared shop here the same way: its items are offered to
 * the villagers of every station of the institute, beside their station's own.
 */
import { definePage } from '../../../base/page';
import type { IntegralItem } from '../../../contract/integral';
import { integralCall } from '../../../services/integral';

const view = (i: IntegralItem) => ({ id: i.id, name: i.name, points: i.points, stock: i.stock, place: i.pickupPlace });

definePage({
  data: {
    status: 'loading' as 'loading' | 'ready' | 'error',
    error: '',
    stationId: '',
    /** The institute's shared shop (an institute admin), not a station's. */
    shared: false,
    items: [] as ReturnType<typeof view>[],
    code: '',
    checked: '',
    name: '',
    points: '',
    stock: '',
    place: '',
    actionError: '',
  },
  methods: {
    async onLoad(): Promise<void> {
      // The shop is the station the head runs: their role's node, from the login.
      const profile = await getApp<IAppOption>()
        .ready()
        .catch(() => null);
      const held =
        profile?.roles.find((r) => r.role === 'stationHead') ?? profile?.roles.find((r) => r.role === 'instituteAdmin');
      if (!held?.orgId) return this.setData({ status: 'error', error: '只有站长或所长可以管理积分超市。' });
      this.setData({ stationId: held.orgId, shared: held.role === 'instituteAdmin' });
      await this.load();
    },
    async load(): Promise<void> {
      const r = await integralCall('items', { stationId: this.data.stationId });
      if (!r.ok) return this.setData({ status: 'error', error: r.error.message });
      this.setData({ status: 'ready', items: r.data.items.map(view) });
    },
    onCode(e: WechatMiniprogram.Input): void {
      this.setData({ code: e.detail.value.trim(), actionError: '', checked: '' });
    },
    onScan(): void {
      wx.scanCode({
        onlyFromCamera: true,
        success: (res) => {
          this.setData({ code: res.result.trim() });
          void this.onVerify();
        },
      });
    },
    async onVerify(): Promise<void> {
      if (!/^\d{8}$/.test(this.data.code)) return this.setData({ actionError: '取货码是8位数字，请核对。' });
      const r = await integralCall('verifyPickup', { code: this.data.code });
      if (!r.ok) return this.setData({ actionError: r.error.message, checked: '' });
      this.setData({ checked: `核销成功：${r.data.itemName}，请把东西交给村民。`, code: '' });
    },
    onField(e: WechatMiniprogram.Input): void {
      this.setData({ [String(e.currentTarget.dataset.field)]: e.detail.value, actionError: '' });
    },
    async save(req: {
      id?: string;
      name: string;
      points: number;
      addStock: number;
      pickupPlace: string;
    }): Promise<void> {
      const r = await integralCall('saveItem', { stationId: this.data.stationId, ...req });
      if (!r.ok) return this.setData({ actionError: r.error.message });
      this.setData({ name: '', points: '', stock: '' });
      await this.load();
    },
    onAdd(): void {
      const points = Number(this.data.points);
      const stock = Number(this.data.stock);
      if (!this.data.name.trim() || !(points > 0) || !(stock >= 0))
        return this.setData({ actionError: '请填好商品名称、所需积分和数量。' });
      void this.save({
        name: this.data.name.trim(),
        points,
        addStock: stock,
        pickupPlace: this.data.place.trim() || '村委会',
      });
    },
    onRestock(e: WechatMiniprogram.TouchEvent): void {
      const item = this.data.items.find((x) => x.id === e.currentTarget.dataset.id);
      if (item)
        void this.save({ id: item.id, name: item.name, points: item.points, addStock: 10, pickupPlace: item.place });
    },
  },
});
