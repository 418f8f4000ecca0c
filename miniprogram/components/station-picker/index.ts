/**
 * Picks a village or community (a station): by name (org.search, paged, with its town), or the nearest
 * to where the villager stands (wx.getLocation → org.nearestStations, with the distance). Emits `pick`
 * with { id, name, place }. Pages that host it also host a privacy-popup, for the location.
 */
import { locate, openLocationSetting, type LocationFailure } from '../../services/location';
import { nearestStations, search } from '../../services/org';
import { apiErrorOf, unwrap } from '../../services/transport';
import type { InputEvent, Tap } from '../../base/events';
import { distanceFrom, shortOrgName } from '../../utils/format';
import { defineComponent } from '../../base/component';
import type { PickedStation } from './type';

interface StationRow {
  id: string;
  title: string;
  meta: string;
  name: string;
  place: string;
}

type Tab = 'search' | 'near';
type Status = 'idle' | 'loading' | 'ready' | 'empty' | 'error';

const NEAREST = 10;

const more = (nextPage: number | null) => ({ hasMore: nextPage !== null, _nextPage: nextPage ?? 0 });

defineComponent({
  properties: {
    /** 'both' shows the two tabs; 'search' only the search by name (when location is refused). */
    modes: { type: String, value: 'both' as 'both' | 'search' },
  },

  data: {
    tab: 'search' as Tab,
    status: 'idle' as Status,
    rows: [] as StationRow[],
    hasMore: false,
    message: '',
    locationProblem: '' as LocationFailure | '',
    _query: '',
    _nextPage: 0,
  },

  methods: {
    onTab(e: Tap<{ tab: Tab }>) {
      const tab = e.currentTarget.dataset.tab;
      if (tab === this.data.tab) return;
      this.setData({ tab, status: 'idle', rows: [], hasMore: false, message: '', locationProblem: '' });
      if (tab === 'near') void this.findNearest();
    },

    onQueryInput(e: InputEvent) {
      this.setData({ _query: e.detail.value });
    },

    onSearch() {
      void this.runSearch(0);
    },

    onMore() {
      if (this.data.hasMore) void this.runSearch(this.data._nextPage);
    },

    async runSearch(page: number) {
      const q = this.data._query.trim();
      if (!q) {
        this.setData({ status: 'error', message: '请先输入村或社区的名字，比如“凤山”。' });
        return;
      }
      if (this.data.status === 'loading') return;
      this.setData({ status: 'loading', message: '' });
      try {
        const res = unwrap(await search({ q, level: 'station', ...(page > 0 ? { page } : {}) }));
        const rows = res.nodes.map((n) => this.row(n.id, n.name, shortOrgName(n.parentName), ''));
        if (page === 0) {
          this.setData({ rows, ...more(res.nextPage), status: rows.length > 0 ? 'ready' : 'empty' });
        } else {
          // Append by path: the rows already shown do not travel again.
          const changes: Record<string, unknown> = { ...more(res.nextPage), status: 'ready' };
          const start = this.data.rows.length;
          rows.forEach((r, i) => {
            changes[`rows[${start + i}]`] = r;
          });
          this.setData(changes);
        }
      } catch (e) {
        this.setData({ status: 'error', message: apiErrorOf(e).message });
      }
    },

    async findNearest() {
      this.setData({ status: 'loading', message: '正在查找您的位置……', locationProblem: '' });
      const here = await locate();
      if (!here.ok) {
        this.setData({ status: 'error', message: here.message, locationProblem: here.reason });
        return;
      }
      try {
        const res = unwrap(await nearestStations({ lat: here.lat, lng: here.lng, limit: NEAREST }));
        const rows = res.stations.map((s) => this.row(s.id, s.name, '', distanceFrom('离您', s.distanceM)));
        this.setData({ rows, hasMore: false, message: '', status: rows.length > 0 ? 'ready' : 'empty' });
      } catch (e) {
        this.setData({ status: 'error', message: apiErrorOf(e).message });
      }
    },

    onRetryLocation() {
      void this.findNearest();
    },

    async onOpenSetting() {
      if (await openLocationSetting()) void this.findNearest();
    },

    onUseSearch() {
      this.setData({ tab: 'search', status: 'idle', rows: [], hasMore: false, message: '', locationProblem: '' });
    },

    row(id: string, name: string, town: string, distance: string): StationRow {
      const short = shortOrgName(name);
      const place = town ? `${short}（${town}）` : short;
      const meta = [town, distance].filter(Boolean).join(' · ');
      return { id, title: short, meta: meta || name, name, place };
    },

    onPick(e: Tap<{ index: number }>) {
      const row = this.data.rows[e.currentTarget.dataset.index];
      if (!row) return;
      const picked: PickedStation = { id: row.id, name: row.name, place: row.place };
      this.triggerEvent('pick', picked);
    },
  },
});
