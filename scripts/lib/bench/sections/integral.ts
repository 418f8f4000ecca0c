/**
 * integral: moral integral at county scale — a year of ledger entries for households in every village
 * (what a household's ledger weighs per year), redemptions one after another (latency and round trips
 * of the one-transaction write), and the roll of honour (红榜) for a village, a town and the county.
 */
import type { OrgDoc } from '../../../../cloudfunctions/shared/org/domain/model';
import { pathOf } from '../../../../cloudfunctions/shared/org/domain/model';
import { entryFor, type Posting } from '../../../../cloudfunctions/shared/integral/domain/decide';
import { periodsOf, type EntryDoc } from '../../../../cloudfunctions/shared/integral/domain/model';
import { TEMPLATE } from '../../../../cloudfunctions/shared/integral/domain/template';
import { BenchCloud } from '../cloud';
import { county, rand } from '../data';
import { rowOf, scans, type Row, type Section } from '../report';
import { fmt, sample, secs } from './common';
import type { Options } from './options';

/** A year of one household: two good deeds a month posted, four redemptions (an assumption, stated). */
const DEEDS_PER_YEAR = 24;
const REDEMPTIONS_PER_YEAR = 4;

export async function integralSection(opts: Options): Promise<Section> {
  const perStation = opts.quick ? 3 : 40;
  const n = opts.quick ? 3 : 30;
  opts.log(`integral: starting a local cloud with the demo county and ${perStation} households a village`);
  const bench = await BenchCloud.start({ demo: true });
  try {
    const network = bench.engine.find('orgs', { query: {}, limit: 100_000 }) as unknown as OrgDoc[];
    const c = county(network);
    const now = bench.cloud.clock.now();
    const r = rand(0x1e61);
    const earning = TEMPLATE.filter((x) => x.points > 0);
    const entries: EntryDoc[] = [];
    const balances: object[] = [];
    const tallies = new Map<
      string,
      { householdId: string; stationId: string; path: string[]; period: string; points: number }
    >();
    for (const station of c.stations) {
      const path = pathOf(station);
      for (let h = 0; h < perStation; h += 1) {
        const id = `9${station._id.replace(/\D/g, '').slice(-5)}${String(h).padStart(3, '0')}`;
        const household = { id, stationId: station._id, path, headName: '农户' };
        let balance = 0;
        const moves = [
          ...Array.from({ length: DEEDS_PER_YEAR }, () => r.pick(earning).points),
          ...Array.from({ length: REDEMPTIONS_PER_YEAR }, () => -5),
        ];
        moves.forEach((points, k) => {
          const at = new Date(now - (365 - (k * 365) / moves.length) * 86_400_000);
          const p: Posting = {
            key: `bench:${id}:${k}`,
            household,
            cause: points > 0 ? 'claim' : 'redemption',
            points: points > 0 || balance + points >= 0 ? points : 0,
            note: points > 0 ? '参加村里环境整治义务劳动：和邻居一起清理了村道两侧的垃圾' : '兑换：洗衣液（2公斤）',
            refId: `bench-ref-${id}-${k}`,
            reverses: null,
            approvedBy: points > 0 ? 'demo-station-head' : null,
            approvedByName: points > 0 ? '李站长' : null,
            at,
          };
          const e = entryFor(p, balance);
          balance = e.balanceAfter;
          entries.push(e);
          if (p.cause !== 'claim') return;
          for (const period of Object.values(periodsOf(at))) {
            const t = tallies.get(`${id}:${period}`) ?? {
              householdId: id,
              stationId: station._id,
              path,
              period,
              points: 0,
            };
            tallies.set(`${id}:${period}`, { ...t, points: t.points + p.points });
          }
        });
        balances.push({
          _id: id,
          householdId: id,
          stationId: station._id,
          path,
          balance,
          entries: moves.length,
          updatedAt: new Date(now),
        });
      }
    }
    const ledgerMs = bench.insert('integralLedger', entries);
    bench.insert('integralBalances', balances);
    bench.insert(
      'integralTallies',
      [...tallies].map(([id, t]) => ({ _id: id, headName: '农户', ...t })),
    );
    const households = balances.length;
    const bytes = entries.reduce((s, e) => s + Buffer.byteLength(JSON.stringify(e)), 0);
    const perHousehold = bytes / households;

    const rows: Row[] = [];
    const notes: string[] = [];
    const item = await bench.call<{ id: string }>(
      'integral',
      { action: 'saveItem', stationId: 'haian-01-001', name: '毛巾', points: 1, addStock: 1000, pickupPlace: '村委会' },
      'demo-station-head',
    );
    // The demo household holds about twenty points: one point an item, at most twenty redemptions.
    const redeem = await sample(bench, Math.min(n, 20), (i) =>
      bench.call(
        'integral',
        { action: 'redeem', itemId: item.id, requestId: `bench-redeem-${i}-0000` },
        'demo-villager',
      ),
    );
    rows.push(rowOf('integral.redeem (balance, stock, entry, reservation in one transaction)', redeem));
    const again = await sample(bench, Math.min(n, 10), (i) =>
      bench.call(
        'integral',
        { action: 'redeem', itemId: item.id, requestId: `bench-redeem-${i}-0000` },
        'demo-villager',
      ),
    );
    rows.push(rowOf('integral.redeem retried (the same requestId: answered, nothing written)', again));
    const ledger = await sample(bench, n, () => bench.call('integral', { action: 'ledger' }, 'demo-villager'));
    rows.push(rowOf('integral.ledger, first page (the household’s own)', ledger));
    const ranks: [string, string, Record<string, unknown>][] = [
      ['integral.rank, this month, the village (a villager)', 'demo-villager', {}],
      [
        'integral.rank, this year, the town (institute admin)',
        'demo-institute-admin',
        { orgId: 'haian-01', period: String(new Date(now).getUTCFullYear()) },
      ],
      [
        'integral.rank, this year, the county (center admin)',
        'demo-center-admin',
        { orgId: 'haian', period: String(new Date(now).getUTCFullYear()) },
      ],
    ];
    for (const [what, openid, req] of ranks) {
      const costs = await sample(bench, n, () => bench.call('integral', { action: 'rank', ...req }, openid));
      rows.push(rowOf(what, costs));
      notes.push(...scans(costs).map((s) => `${what}: full scan ${s}`));
    }
    notes.push(
      `ledger size: ${fmt(Math.round(bytes / entries.length))} bytes an entry as JSON, ${fmt(Math.round(perHousehold))} bytes per household per year (${DEEDS_PER_YEAR + REDEMPTIONS_PER_YEAR} entries); for 300,000 households (a county the size of Hai'an) about ${fmt(Math.round((perHousehold * 300_000) / 2 ** 20))} MB a year, plus the indexes`,
    );
    return {
      name: 'integral',
      title: `moral integral with ${fmt(households)} households and ${fmt(entries.length)} ledger entries`,
      setup: [
        `${perStation} households in each of the ${c.stations.length} villages, each with a year of ledger (${DEEDS_PER_YEAR} posted good deeds, ${REDEMPTIONS_PER_YEAR} redemptions), their balances and ${fmt(tallies.size)} rank tallies, inserted through the engine in ${secs(ledgerMs)}`,
        `${n} redemptions one after another by the demo villager; rolls of honour by the demo people`,
      ],
      rows,
      notes,
    };
  } finally {
    await bench.close();
  }
}
