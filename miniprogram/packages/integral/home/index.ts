/**
 * 我家积分: the household's balance and its ledger, newest first (加载更多 for older), with the ways to
 * earn and spend: 申报积分, 积分公示, 积分超市, 红榜.
 */
import { definePage } from '../../../base/page';
import { causeLabel, day, integralCall, signed } from '../../../services/integral';
import { pageUrl } from '../../../routes';
import { openPage } from '../../../services/navigate';

interface Row {
  id: string;
  cause: string;
  points: string;
  plus: boolean;
  note: string;
  at: string;
}

const LINKS = [
  { id: 'claim', title: '申报积分', url: pageUrl('integralClaim') },
  { id: 'notices', title: '积分公示', url: pageUrl('integralNotices') },
  { id: 'shop', title: '积分超市', url: pageUrl('integralShop') },
  { id: 'codes', title: '我的取货码', url: pageUrl('integralShop', { tab: 'codes' }) },
  { id: 'rank', title: '红榜', url: pageUrl('integralRank') },
];

definePage({
  data: {
    status: 'loading' as 'loading' | 'ready' | 'error',
    error: '',
    balance: 0,
    householdId: '',
    rows: [] as Row[],
    links: LINKS,
    nextPage: null as number | null,
  },
  methods: {
    onShow() {
      void this.load();
    },
    async load() {
      const [b, l] = await Promise.all([integralCall('balance', {}), integralCall('ledger', {})]);
      if (!b.ok || !l.ok) {
        this.setData({ status: 'error', error: (!b.ok ? b.error : !l.ok ? l.error : null)?.message ?? '' });
        return;
      }
      this.setData({
        status: 'ready',
        balance: b.data.balance,
        householdId: b.data.householdId,
        rows: l.data.entries.map(toRow),
        nextPage: l.data.nextPage,
      });
    },
    async onMore() {
      const page = this.data.nextPage;
      if (page === null) return;
      const r = await integralCall('ledger', { page });
      if (!r.ok) return;
      const start = this.data.rows.length;
      const patch: Record<string, unknown> = { nextPage: r.data.nextPage };
      r.data.entries.forEach((e, i) => (patch[`rows[${start + i}]`] = toRow(e)));
      this.setData(patch);
    },
    onRetry() {
      this.setData({ status: 'loading' });
      void this.load();
    },
    onLink(e: WechatMiniprogram.TouchEvent) {
      void openPage(String(e.currentTarget.dataset.url));
    },
  },
});

function toRow(e: {
  id: string;
  cause: Parameters<typeof causeLabel>[0];
  points: number;
  note: string;
  at: string;
}): Row {
  return {
    id: e.id,
    cause: causeLabel(e.cause),
    points: signed(e.points),
    plus: e.points > 0,
    note: e.note,
    at: day(e.at),
  };
}
