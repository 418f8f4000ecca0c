/**
 * 考核排名: the league table of the caller's institutes or stations (`?level=institute|station`) under
 * the center's method, this year. Each row shows rank, name and score; a tap opens the score's parts
 * (each indicator's value, weight and the points it earned).
 */
import { definePage } from '../../../base/page';
import type { Tap } from '../../../base/events';
import { assessment } from '../../../services/stats';
import { apiErrorOf, unwrap } from '../../../services/transport';
import { leagueRows, type LeagueRowView } from '../stats-view';

type Status = 'loading' | 'ready' | 'error';
type LeagueLevel = 'institute' | 'station';

definePage({
  data: {
    status: 'loading' as Status,
    message: '',
    levels: [
      { key: 'institute', label: '实践所' },
      { key: 'station', label: '实践站' },
    ],
    level: 'station' as LeagueLevel,
    rows: [] as LeagueRowView[],
    open: '',
    from: '',
    to: '',
    method: '',
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ level: query.level === 'institute' ? 'institute' : 'station' });
      void this.load();
    },

    async load() {
      try {
        const r = unwrap(await assessment({ level: this.data.level }));
        this.setData({
          status: 'ready',
          rows: leagueRows(r.rows),
          from: r.from,
          to: r.to,
          method: r.method.indicators.map((i) => `${i.weight}`).join(' + '),
          open: '',
        });
      } catch (e) {
        this.setData({ status: 'error', message: apiErrorOf(e).message });
      }
    },

    onLevel(e: Tap<{ key: LeagueLevel }>) {
      const level = e.currentTarget.dataset.key;
      if (level === this.data.level) return;
      this.setData({ level, status: 'loading' });
      void this.load();
    },

    onRow(e: Tap<{ id: string }>) {
      const id = e.currentTarget.dataset.id;
      this.setData({ open: this.data.open === id ? '' : id });
    },

    onRetry() {
      this.setData({ status: 'loading' });
      void this.load();
    },
  },
});
