/**
 * stats: the command center at county scale — a simulated county-year of raw records (orders with
 * their timelines, check-ins, hours, ledger entries, volunteers, activities) over the demo network
 * (17 institutes, 231 stations, ~5,000 points), turned into month figure documents (with their days inside) by the
 * recompute (timed: what `npm run stats:check` spends computing), then the dashboards read at every
 * level: time, tcb requests and documents per call.
 */
import type { OrgDoc } from '../../../../cloudfunctions/shared/org/domain/model';
import { pathOf } from '../../../../cloudfunctions/shared/org/domain/model';
import { compare, recompute, type Records } from '../../../../cloudfunctions/shared/stats/domain/records';
import {
  figureId,
  FIGURE_SHARDS,
  type EventFacts,
  type FigureDoc,
} from '../../../../cloudfunctions/shared/stats/domain/figures';
import { CATEGORIES } from '../../../../typings/domain';
import { BenchCloud, type CallCost } from '../cloud';
import { baselineDb } from '../baseline';
import { loadFigures, loadRecords, type StatsDb } from '../../stats';
import { county, rand } from '../data';
import { rowOf, timeRow, type Row, type Section } from '../report';
import { fmt, secs } from './common';
import { lastClosedMonth } from '../../../../cloudfunctions/shared/stats/timer';
import type { Options } from './options';

const DAY = 86_400_000;
const MIN = 60_000;

/** The part of the year whose raw records the end-to-end stats:check reads back (a full year's 3.3 million would take an hour to insert here). */
const CHECK_SCALE = Number(process.env.BENCH_CHECK_SCALE) > 0 ? Number(process.env.BENCH_CHECK_SCALE) : 0.02;

/** The issue's county-year (the quick run takes a five-hundredth). */
const YEAR = { orders: 200_000, checkins: 1_000_000, entries: 1_000_000, volunteers: 50_000, activities: 42_000 };

function countyYear(
  network: OrgDoc[],
  now: number,
  scale: number,
): { records: Records; checkins: { openid: string; activity: number }[]; counts: Record<string, number> } {
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
  const checkins: { openid: string; inAt: Date; path: string[]; activity: number }[] = [];
  const hours: { kind: 'recorded' | 'honour'; minutes: number; path: string[]; at: Date }[] = [];
  for (let i = 0; i < n('checkins'); i += 1) {
    const activity = r.int(activities.length);
    const a = activities[activity];
    const inAt = new Date(new Date(a.endAt).getTime() - 120 * MIN);
    checkins.push({ openid: r.pick(volunteers), inAt, path: a.path, activity });
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
    checkins,
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

/**
 * A recomputed month document split over the FIGURE_SHARDS shards the live writes leave (each change
 * raises one shard at random, so a busy node's month has all of them): each counter divided evenly.
 */
function shardsOf(doc: FigureDoc): FigureDoc[] {
  const shards = Array.from({ length: FIGURE_SHARDS }, (_, i) => ({
    _id: figureId(doc.orgId, doc.month, i),
    orgId: doc.orgId,
    nodes: doc.nodes,
    grain: doc.grain,
    period: doc.period,
    month: doc.month,
  })) as FigureDoc[];
  for (const [k, v] of Object.entries(doc)) {
    if (typeof v !== 'number' || v === 0) continue;
    const q = Math.trunc(v / FIGURE_SHARDS);
    const rest = v - q * FIGURE_SHARDS;
    shards.forEach((sh, i) => {
      const part = q + (i < Math.abs(rest) ? Math.sign(rest) : 0);
      if (part !== 0) sh[k] = part;
    });
  }
  return shards.filter((sh) => Object.values(sh).some((v) => typeof v === 'number'));
}

/** The raw records of a county-year as the collections keep them (the fields the recompute reads). */
function rawDocs(year: ReturnType<typeof countyYear>): Record<string, Record<string, unknown>[]> {
  const r = year.records;
  const key = (p: string, i: number) => ({ _id: `bench-${p}-${i}`, requestKey: `bench-${p}-${i}` });
  const seen = new Set<string>();
  const checkins: Record<string, unknown>[] = [];
  [...r.checkins].forEach((c, i) => {
    const activityId = `bench-act-${year.checkins[i].activity}`;
    // One check-in per person and activity (the unique index): a repeat is left out.
    if (seen.has(`${activityId}:${c.openid}`)) return;
    seen.add(`${activityId}:${c.openid}`);
    checkins.push({ _id: `bench-ci-${i}`, activityId, openid: c.openid, inAt: c.inAt, figured: true });
  });
  return {
    orders: [...r.orders].map((o, i) => ({ ...key('ord', i), ...o })),
    activities: [...r.activities].map((a, i) => ({ ...key('act', i), ...a, closed: true, status: 'open' })),
    checkins,
    hours: [...r.hours].map((h, i) => ({ ...key('hrs', i), ...h })),
    integralLedger: [...r.entries].map((e, i) => ({ _id: `bench-led-${i}`, key: `bench-led-${i}`, ...e })),
    volunteers: [...r.volunteers].map((v, i) => ({
      _id: `bench-vol-${i}`,
      status: 'active',
      stationIds: [v.path[v.path.length - 1]],
      reviewedAt: v.at,
    })),
  };
}

/**
 * `n` calls one at a time (`cold`: each after the roll-ups are dropped, not timed: `all` of them, as after
 * a rebuild, or those of the `closedMonth` only, as when a month has just closed and the timer has not kept it),
 * a failed call counted, not fatal: on a loaded machine a call may outlive the SDK's request timeout.
 */
type Cold = false | 'all' | 'month';

async function calls(
  bench: BenchCloud,
  n: number,
  call: () => Promise<unknown>,
  cold: Cold = false,
  closedMonth = '',
): Promise<{ costs: CallCost[]; failed: string[] }> {
  const costs: CallCost[] = [];
  const failed: string[] = [];
  for (let i = 0; i < n; i += 1) {
    if (cold === 'all') bench.engine.remove('figureRollups', { kind: 'rollup' }, true);
    if (cold === 'month') bench.engine.remove('figureRollups', { kind: 'rollup', month: closedMonth }, true);
    try {
      costs.push(await bench.measure(call));
    } catch (e) {
      failed.push(String((e as Error).message).slice(0, 160));
    }
  }
  return { costs, failed };
}

/** The row of some calls, or a note of what failed. */
function rowOrNote(rows: Row[], notes: string[], what: string, r: { costs: CallCost[]; failed: string[] }): void {
  if (r.costs.length > 0) {
    rows.push(rowOf(what, r.costs, r.failed.length ? `${r.failed.length} more failed: ${r.failed[0]}` : undefined));
  }
  if (r.failed.length > 0)
    notes.push(`${what}: ${r.failed.length} of ${r.failed.length + r.costs.length} calls failed (${r.failed[0]})`);
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
    // As the live writes leave them: each node's month in FIGURE_SHARDS shards.
    const docs = [...book.docs.values()].flatMap(shardsOf);
    const insertMs = bench.insert('figures', docs);
    // The active-volunteer markers matter to the writes, not to the reads measured here: not inserted.

    const rows: Row[] = [];
    const year = String(new Date(now + 8 * 3_600_000).getUTCFullYear());
    const month = new Date(now + 8 * 3_600_000).toISOString().slice(0, 7);
    // How each call is measured: `rolled`, a period ending today that covers the month closed last (its
    // first call after that month closed computes the month's roll-ups); `rebuild`, also first calls after
    // a rebuild; `plain`, later calls only (a period without the month closed last).
    type Measure = 'rolled' | 'rebuild' | 'plain';
    const center = 'demo-center-admin';
    const calls_: [string, string, 'overview' | 'assessment', Record<string, unknown>, Measure][] = [
      ['stats.overview, this year, the county (center admin: 17 institutes)', center, 'overview', {}, 'rolled'],
      [
        'stats.overview, this year, a town (institute admin: its stations)',
        'demo-institute-admin',
        'overview',
        {},
        'rolled',
      ],
      ['stats.overview, this year, a village (station head)', 'demo-station-head', 'overview', {}, 'rolled'],
      [
        'stats.overview, a quarter across two part months, the county',
        center,
        'overview',
        { from: `${year}-01-15`, to: `${year}-04-14` },
        'plain',
      ],
      ['stats.overview, this month, the county', center, 'overview', { from: `${month}-01` }, 'plain'],
      ['stats.assessment, this year, the 17 institutes', center, 'assessment', {}, 'rolled'],
      ['stats.assessment, this year, all 231 stations', center, 'assessment', { level: 'station' }, 'rebuild'],
    ];
    const cold = Math.max(1, Math.round(n / 4));
    const notes: string[] = [];
    const closedMonth = lastClosedMonth(new Date(now));
    const firsts = async (what: string, call: () => Promise<unknown>, afterRebuild: boolean) => {
      if (afterRebuild) {
        const r = await calls(bench, cold, call, 'all');
        rowOrNote(rows, notes, `${what}: a first call after a rebuild (every closed month's roll-up computed)`, r);
      }
      // The months before kept (by a call not measured), the month that closed not.
      await calls(bench, 1, call);
      const r = await calls(bench, cold, call, 'month', closedMonth);
      rowOrNote(
        rows,
        notes,
        `${what}: a first call after a month closed (its roll-ups computed from the month before's)`,
        r,
      );
      rowOrNote(rows, notes, `${what}: later calls (the roll-ups kept)`, await calls(bench, n, call));
    };
    for (const [what, openid, action, req, measure] of calls_) {
      const call = () => bench.call('stats', { action, ...req }, openid);
      if (measure === 'plain') rowOrNote(rows, notes, what, await calls(bench, n, call));
      else await firsts(what, call, measure === 'rebuild');
    }
    const pub = () => bench.call('stats', { action: 'public' });
    await firsts('stats.public (the big screen: the county year, today, 231 stations)', pub, true);

    // The timer keeping the month that closed for all 249 nodes, so no reader computes it: after a month
    // closed (the months before kept) and after a rebuild (nothing kept).
    for (const [what, drop] of [
      ['after a month closed', { kind: 'rollup', month: closedMonth }],
      ['after a rebuild', { kind: 'rollup' }],
    ] as const) {
      bench.engine.remove('figureRollups', drop, true);
      bench.engine.remove('figureRollups', { _id: 'kept' }, false);
      try {
        let summary: { rollups?: { computed: number } | null; run?: { ops: number } } = {};
        const cost = await bench.measure(async () => {
          summary = await bench.call<typeof summary>('cron', { Type: 'Timer' });
        });
        rows.push(
          rowOf(
            `the timer keeping ${closedMonth}'s roll-ups, ${what} (the whole run, its other jobs included)`,
            [cost],
            `${summary.rollups?.computed ?? 0} nodes computed, ${summary.run?.ops ?? 0} operations in the run`,
          ),
        );
      } catch (e) {
        notes.push(`the timer ${what}: ${String((e as Error).message).slice(0, 160)}`);
      }
    }
    rows.push(
      timeRow(
        `recompute of every figure from the county-year's records (in memory, pure)`,
        recomputeMs,
        `${fmt(book.docs.size)} documents`,
      ),
    );

    // npm run stats:check end to end: the raw records of a part of the year in the collections, read
    // back in keyset pages through the admin SDK as the script does, recomputed and compared.
    const part = opts.quick ? scale : CHECK_SCALE;
    const raw = rawDocs(countyYear(network, now, part));
    let rawCount = 0;
    let rawInsertMs = 0;
    for (const [coll, list] of Object.entries(raw)) {
      rawInsertMs += bench.insert(coll, list);
      rawCount += list.length;
    }
    const db = baselineDb(bench.cloud.url) as StatsDb;
    try {
      const t2 = performance.now();
      const [loaded, kept] = await Promise.all([loadRecords(db), loadFigures(db)]);
      const readMs = performance.now() - t2;
      const t3 = performance.now();
      const diffs = compare(kept, recompute(loaded.records)).length;
      const checkMs = performance.now() - t3;
      rows.push(
        timeRow(
          `stats:check end to end over ${fmt(part * 100)} % of the year: reading the records and figures in pages`,
          [readMs],
          `${fmt(Object.values(loaded.counts).reduce((a, b) => a + b, 0))} records, ${fmt(kept.size)} figure documents`,
        ),
      );
      rows.push(timeRow(`stats:check end to end: recomputing and comparing`, [checkMs], `${fmt(diffs)} differences`));
    } catch (e) {
      notes.push(`stats:check end to end failed: ${String((e as Error).message).slice(0, 160)}`);
    }
    return {
      name: 'stats',
      title: `the command center over a county-year: ${fmt(counts.orders)} orders, ${fmt(counts.checkins)} check-ins, ${fmt(counts.entries)} ledger entries`,
      setup: [
        `${Object.entries(counts)
          .map(([k, v]) => `${fmt(v)} ${k}`)
          .join(', ')} generated over this year in ${secs(genMs)}`,
        `recomputed into ${fmt(book.docs.size)} node-months (one a node and month, each day's counters inside) for the center, 17 institutes and 231 stations, stored as the live writes leave them in ${fmt(docs.length)} documents of up to ${FIGURE_SHARDS} shards; ${fmt(book.marks.size)} active-volunteer markers (not inserted: the reads do not use them); the documents inserted through the engine in ${secs(insertMs)}`,
        `${n} calls of each by the demo people, one at a time; a first call ${cold} times, each after the roll-ups of closed months were dropped`,
        `for stats:check, ${fmt(rawCount)} raw records of ${fmt(part * 100)} % of a county-year inserted beside the demo's in ${secs(rawInsertMs)} (the differences are expected: the figures are the whole year's)`,
      ],
      rows,
      notes: [
        ...notes,
        'round trips: a dashboard reads the caller (users), the node its access names (orgs), then the node, its children and all their figure documents in one parallel batch — three sequential round trips; the batch holds one query per group of months sized to answer ≤ 1,000 documents, so its tcb requests grow with the period, not with the records',
        'the league tables and the big screen read two roll-ups a node (the year-to-dates at the period’s ends, figureRollups), the overview one a node and month, and only the open month live; a roll-up not kept is computed from the month before’s (one more round trip for the month’s figures, then the insert), or from January when none is kept that year (after a rebuild); the timer keeps each month’s as it closes',
      ],
    };
  } finally {
    await bench.close();
  }
}
