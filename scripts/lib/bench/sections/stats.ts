/**
 * stats: the command center at county scale — a simulated county-year of raw records (orders with
 * their timelines, check-ins, hours, ledger entries, volunteers, activities) over the demo network
 * (17 institutes, 231 stations, ~5,000 points), turned into month figure documents (with their days inside) by the
 * recompute (timed: what `npm run stats:check` spends computing), then the dashboards read at every
 * level: time, tcb requests and documents per call.
 */
import type { OrgDoc } from '../../../../cloudfunctions/shared/org/domain/model';
import { pathOf } from '../../../../cloudfunctions/shared/org/domain/model';
import { recompute, type Records } from '../../../../cloudfunctions/shared/stats/domain/records';
import type { EventFacts } from '../../../../cloudfunctions/shared/stats/domain/figures';
import { CATEGORIES } from '../../../../typings/domain';
import { BenchCloud } from '../cloud';
import { county, rand } from '../data';
import { rowOf, timeRow, type Row, type Section } from '../report';
import { fmt, sample, secs } from './common';
import type { Options } from './options';

const DAY = 86_400_000;
const MIN = 60_000;

/** The issue's county-year (the quick run takes a five-hundredth). */
const YEAR = { orders: 200_000, checkins: 1_000_000, entries: 1_000_000, volunteers: 50_000, activities: 42_000 };

function countyYear(
  network: OrgDoc[],
  now: number,
  scale: number,
): { records: Records; counts: Record<string, number> } {
  const c = county(network);
  const r = rand(0x57a7);
  const stationPaths = c.stations.map((s) => pathOf(s));
  const pointPaths = c.points.map((p) => pathOf(p));
  const yearStart = Date.UTC(new Date(now).getUTCFullYear(), 0, 1) - 8 * 3_600_000;
  const span = Math.max(DAY, now - yearStart);
  const when = () => new Date(yearStart + r() * span);
  const n = (k: keyof typeof YEAR) => Math.max(1, Math.round(YEAR[k] * scale));
  const volunteers = Array.from({ length: n('volunteers') }, (_, i) => `bench-vol-${i}`);

  const orders: Records['orders'] extends Iterable<infer O> ? O[] : never = [];
  for (let i = 0; i < n('orders'); i += 1) {
    const created = when().getTime();
    const at = (m: number) => new Date(Math.min(now, created + m * MIN));
    const by = r.pick(volunteers);
    const events: EventFacts[] = [{ type: 'created', from: null, to: 'submitted', by: 'villager', at: at(0) }];
    const roll = r();
    if (roll < 0.03) events.push({ type: 'rejected', from: 'submitted', to: 'rejected', by: 'head', at: at(300) });
    else if (roll < 0.06)
      events.push({ type: 'cancelled', from: 'submitted', to: 'cancelled', by: 'villager', at: at(60) });
    else {
      events.push({ type: 'reviewed', from: 'submitted', to: 'open', by: 'head', at: at(120 + r.int(600)) });
      const accept = 200 + r.int(3000);
      events.push({ type: 'claimed', from: 'open', to: 'accepted', by, at: at(accept) });
      if (r() < 0.02)
        events.push({ type: 'escalated', from: 'accepted', to: 'accepted', by: 'system', at: at(accept + 60) });
      if (r() < 0.96) {
        const done = accept + 600 + r.int(8000);
        events.push({ type: 'fulfilled', from: 'accepted', to: 'fulfilled', by, at: at(done) });
        if (r() < 0.9) {
          events.push({
            type: 'rated',
            from: 'fulfilled',
            to: 'closed',
            by: 'villager',
            at: at(done + 600),
            stars: 3 + r.int(3),
          });
        }
      }
    }
    orders.push({
      kind: r() < 0.85 ? 'wish' : 'whistle',
      category: r.pick(CATEGORIES),
      createdAt: new Date(created),
      path: r.pick(stationPaths),
      events: events.filter((e) => new Date(e.at).getTime() <= now),
    });
  }
  const activities = Array.from({ length: n('activities') }, () => ({ path: r.pick(pointPaths), endAt: when() }));
  const checkins: { openid: string; inAt: Date; path: string[] }[] = [];
  const hours: { kind: 'recorded' | 'honour'; minutes: number; path: string[]; at: Date }[] = [];
  for (let i = 0; i < n('checkins'); i += 1) {
    const a = activities[r.int(activities.length)];
    const inAt = new Date(new Date(a.endAt).getTime() - 120 * MIN);
    checkins.push({ openid: r.pick(volunteers), inAt, path: a.path });
    hours.push({ kind: r() < 0.05 ? 'honour' : 'recorded', minutes: 30 + r.int(150), path: a.path, at: inAt });
  }
  const entries = Array.from({ length: n('entries') }, () => {
    const roll = r();
    const points = roll < 0.8 ? 1 + r.int(10) : roll < 0.9 ? -(1 + r.int(10)) : -(5 + r.int(20));
    return {
      cause: roll < 0.8 ? 'claim' : roll < 0.9 ? 'deduction' : 'redemption',
      points,
      path: r.pick(stationPaths),
      at: when(),
    };
  });
  const approved = volunteers.map(() => ({ path: r.pick(stationPaths), at: when() }));
  const records: Records = { orders, checkins, hours, activities, entries, volunteers: approved };
  return {
    records,
    counts: {
      orders: orders.length,
      events: orders.reduce((s, o) => s + o.events.length, 0),
      checkins: checkins.length,
      hours: hours.length,
      entries: entries.length,
      volunteers: approved.length,
      activities: activities.length,
    },
  };
}

export async function statsSection(opts: Options): Promise<Section> {
  const scale = opts.quick ? 0.002 : 1;
  const n = opts.quick ? 2 : 20;
  opts.log(`stats: starting a local cloud with the demo county, a county-year at scale ${scale}`);
  const bench = await BenchCloud.start({ demo: true });
  try {
    const network = bench.engine.find('orgs', { query: {}, limit: 100_000 }) as unknown as OrgDoc[];
    const now = bench.cloud.clock.now();
    const t0 = performance.now();
    const { records, counts } = countyYear(network, now, scale);
    const genMs = performance.now() - t0;
    // Timed once: at full scale a recompute runs for minutes on a shared machine.
    const t1 = performance.now();
    const book = recompute(records);
    const recomputeMs = [performance.now() - t1];
    bench.engine.remove('figures', {}, true);
    bench.engine.remove('figureMarks', {}, true);
    const docs = [...book.docs.values()];
    const insertMs = bench.insert('figures', docs);
    // The active-volunteer markers matter to the writes, not to the reads measured here: not inserted.

    const rows: Row[] = [];
    const year = String(new Date(now + 8 * 3_600_000).getUTCFullYear());
    const month = new Date(now + 8 * 3_600_000).toISOString().slice(0, 7);
    const calls: [string, string, Record<string, unknown>][] = [
      ['stats.overview, this year, the county (center admin: 17 institutes)', 'demo-center-admin', {}],
      ['stats.overview, this year, a town (institute admin: its stations)', 'demo-institute-admin', {}],
      ['stats.overview, this year, a village (station head)', 'demo-station-head', {}],
      [
        'stats.overview, a quarter across two part months, the county',
        'demo-center-admin',
        { from: `${year}-01-15`, to: `${year}-04-14` },
      ],
      ['stats.overview, this month, the county', 'demo-center-admin', { from: `${month}-01` }],
      ['stats.assessment, this year, the 17 institutes', 'demo-center-admin', {}],
      ['stats.assessment, this year, all 231 stations', 'demo-center-admin', { level: 'station' }],
    ];
    for (const [what, openid, req] of calls) {
      const action = what.startsWith('stats.assessment') ? 'assessment' : 'overview';
      const costs = await sample(bench, n, () => bench.call('stats', { action, ...req }, openid));
      rows.push(rowOf(what, costs));
    }
    const pub = await sample(bench, n, () => bench.call('stats', { action: 'public' }));
    rows.push(rowOf('stats.public (the big screen: the county year, today, 231 stations)', pub));
    rows.push(
      timeRow(
        `recompute of every figure from the county-year's records (in memory, pure)`,
        recomputeMs,
        `${fmt(book.docs.size)} documents`,
      ),
    );
    return {
      name: 'stats',
      title: `the command center over a county-year: ${fmt(counts.orders)} orders, ${fmt(counts.checkins)} check-ins, ${fmt(counts.entries)} ledger entries`,
      setup: [
        `${Object.entries(counts)
          .map(([k, v]) => `${fmt(v)} ${k}`)
          .join(', ')} generated over this year in ${secs(genMs)}`,
        `recomputed into ${fmt(docs.length)} figure documents (one a node and month, each day's counters inside) for the center, 17 institutes and 231 stations, ${fmt(book.marks.size)} active-volunteer markers (not inserted: the reads do not use them); the documents inserted through the engine in ${secs(insertMs)}`,
        `${n} calls of each by the demo people, one at a time`,
      ],
      rows,
      notes: [
        'round trips: a dashboard reads the caller (users), the node its access names (orgs), then the node, its children and all their figure documents in one parallel batch — three sequential round trips; the batch holds one query per group of months sized to answer ≤ 1,000 documents, so its tcb requests grow with the period, not with the records',
      ],
    };
  } finally {
    await bench.close();
  }
}
