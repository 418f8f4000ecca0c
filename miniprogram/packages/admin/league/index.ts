/**
 * 考核排名: the league table of the caller's institutes or stations (`?level=institute|station`) under
 * the center's method, this year. Each row shows rank, name and score; a tap opens the score's parts
 * (each indicator's value, weight and the points it earned).
 */
import { definePage } from '../../../base/page';
import type { Tap } from '../../../base/events';
import { currentMe, loadMe } from '../../../services/session';
import { assessment } from '../../../services/stats';
import { apiErrorOf, unwrap } from '../../../services/transport';
import { widestScope } from '../scope';
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
    /** '' until the first answer: the function picks (institutes for the center, else stations). */
    level: '' as LeagueLevel | '',
    /** Only the center compares institutes as well as stations. */
    canSwitch: false,
    rows: [] as LeagueRowView[],
    open: '',
    from: '',
    to: '',
    method: '',
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const level = query.level === 'institute' || query.level === 'station' ? query.level : '';
      this.setData({ level });
      void this.load();
    },

    async load() {
      try {
        const me = currentMe() ?? (await loadMe());
        const { level } = this.data;
        const r = unwrap(await assessment(level ? { level } : {}));
        const shown = r.rows[0]?.level;
        this.setData({
          status: 'ready',
          canSwitch: widestScope(me.roles)?.role === 'centerAdmin',
          ...(shown === 'institute' || shown === 'station' ? { level: shown } : {}),
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
