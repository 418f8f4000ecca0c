/**
 * timer: one run of the cron function (skips, escalations, automatic closes) over 100,000 active
 * orders whose deadlines are spread over the coming week, plus some already red at the center. A
 * run where nothing is due; a run five-minutely in a steady county (the deadlines of ten minutes
 * fall due, about 0.1 % of the orders); a run after an outage (1 %); and that run again once the
 * county's villagers are in the users collection (who is told of an escalation is looked up there).
 */
import type { OrgDoc } from '../../../../cloudfunctions/shared/org/domain/model';
import type { CronSummary } from '../../../../cloudfunctions/cron/index';
import type { UserDoc } from '../../../../cloudfunctions/shared/user/domain/model';
import { roleFields } from '../../../../cloudfunctions/shared/user/domain/model';
import { pathOf } from '../../../../cloudfunctions/shared/org/domain/model';
import { CATEGORIES } from '../../../../typings/domain';
import type { OrderStatus } from '../../../../typings/order';
import { BenchCloud, type CallCost } from '../cloud';
import { county, levelOf, orderDoc, rand } from '../data';
import { rowOf, scans, type Row, type Section } from '../report';
import { fmt, secs } from './common';
import type { Options } from './options';

/** What one cron run answers (its order part is all this section reads). */
type Summary = CronSummary;

const MIN = 60_000;
const DAY = 86_400_000;
/** Deadlines are spread over this window after the start. */
const WINDOW = 7 * DAY;

export async function timerSection(opts: Options): Promise<Section | null> {
  const size = opts.quick ? 2_000 : 100_000;
  const reds = opts.quick ? 10 : 200;
  const villagers = opts.quick ? 2_000 : 100_000;
  opts.log(`timer: starting a local cloud with the demo county and ${fmt(size)} active orders`);
  const bench = await BenchCloud.start({ demo: true });
  try {
    if (!bench.cloud.pool.exists('cron')) return null;
    const network = bench.engine.find('orgs', { query: {}, limit: 100_000 }) as unknown as OrgDoc[];
    const c = county(network);
    const T = Math.ceil(bench.cloud.clock.now() / MIN) * MIN + 10 * MIN;
    const r = rand(0x71e5);
    const helpers = Array.from({ length: 60 }, (_v, i) => `demo-vol-${String(i + 1).padStart(3, '0')}`);
    const statuses: [OrderStatus, number][] = [
      ['submitted', 0.1],
      ['open', 0.35],
      ['dispatched', 0.1],
      ['accepted', 0.35],
      ['fulfilled', 0.1],
    ];
    const statusOf = () => {
      let x = r();
      for (const [s, w] of statuses) if ((x -= w) < 0) return s;
      return 'accepted';
    };
    const docs = Array.from({ length: size }, (_v, i) => {
      const status = statusOf();
      const deadline = new Date(T + MIN + r() * WINDOW);
      const assigned = ['dispatched', 'accepted', 'fulfilled'].includes(status);
      return orderDoc({
        id: `bench-active-${String(i + 1).padStart(6, '0')}`,
        station: r.pick(c.stations),
        level: levelOf(r),
        status,
        category: r.pick(CATEGORIES),
        createdAt: new Date(T - r() * 3 * DAY),
        dueAt: status === 'fulfilled' ? null : status === 'dispatched' ? new Date(deadline.getTime() + DAY) : deadline,
        acceptBy: status === 'dispatched' ? deadline : null,
        rateBy: status === 'fulfilled' ? deadline : null,
        assignee: assigned ? { openid: r.pick(helpers), name: '志愿者' } : null,
      });
    });
    for (let i = 0; i < reds; i++) {
      docs.push(
        orderDoc({
          id: `bench-red-${String(i + 1).padStart(6, '0')}`,
          station: r.pick(c.stations),
          level: 'center',
          status: 'open',
          category: r.pick(CATEGORIES),
          createdAt: new Date(T - 10 * DAY),
          dueAt: new Date(T - r() * 3 * DAY),
          overdue: true,
        }),
      );
    }
    const insertMs = bench.insert('orders', docs);
    // The demo's own orders are in the same cloud: their deadlines count too.
    const demo = bench.engine.find('orders', {
      query: {
        status: { $in: ['submitted', 'open', 'dispatched', 'accepted', 'fulfilled'] },
        _id: { $regex: '^demo-' },
      },
      limit: 100_000,
    }) as unknown as typeof docs;
    const dueBy = (t: number) =>
      [...docs, ...demo].filter((d) =>
        [d.overdue ? null : d.dueAt, d.acceptBy, d.rateBy].some((x) => x !== null && x.getTime() <= t),
      ).length;

    const rows: Row[] = [];
    const notes: string[] = [];
    const opsOf = (k: CallCost) => Object.values(k.ops).reduce((a, b) => a + b, 0);
    const run = async (what: string, at: number, repeat = 1): Promise<{ costs: CallCost[]; summaries: Summary[] }> => {
      bench.cloud.clock.set(new Date(at).toISOString());
      const costs: CallCost[] = [];
      const summaries: Summary[] = [];
      let failed: string | undefined;
      for (let i = 0; i < repeat && !failed; i++) {
        costs.push(
          await bench.measure(async () => {
            try {
              summaries.push(await bench.call<Summary>('cron', {}));
            } catch (e) {
              failed = (e as Error).message.replace(/\s+/g, ' ').slice(0, 160);
            }
          }),
        );
      }
      const s = summaries[summaries.length - 1];
      const k = costs[costs.length - 1];
      const changed = s ? s.skipped + s.escalated + s.overdue + s.autoClosed : 0;
      rows.push(
        rowOf(
          what,
          costs,
          failed
            ? `FAILED after ${fmt(Math.round(k.ms))} ms: ${failed}`
            : changed
              ? `changed ${fmt(changed)} (skipped ${s.skipped}, escalated ${s.escalated}, red ${s.overdue}, auto-closed ${s.autoClosed})${s.more ? ', stopped at its budget: more left' : ''}; ${(k.ms / changed).toFixed(1)} ms, ${(k.requests / changed).toFixed(1)} requests and ${(opsOf(k) / changed).toFixed(1)} database operations per changed order${s.run ? `; the run counted ${fmt(s.run.ops)} database operations of its ${fmt(s.run.maxOps)}` : ''}`
              : `changed nothing${s.more ? ' (more: true)' : ''}`,
        ),
      );
      notes.push(...scans(costs).map((p) => `${what}: full scan ${p}`));
      return { costs, summaries };
    };

    // A first run that is not measured: the function's instance is loaded (a cold start).
    bench.cloud.clock.set(new Date(T).toISOString());
    await bench.call('cron', {});
    const idle = await run('cron, nothing due', T, opts.quick ? 2 : 5);
    const redRows = Math.max(...idle.costs.map((k) => k.examined.orders ?? 0));
    if (redRows > 0) {
      notes.push(
        `an idle run reads ${fmt(redRows)} order rows, one per red order: the escalation sweep (status in the active ones, dueAt ≤ now, overdue: false, by dueAt) is served by status_due, whose range cannot leave out the red orders (overdue: true, dueAt long past), so every run reads all of them again, and more as red orders pile up`,
      );
    }
    let at = T + 10 * MIN;
    let passed = dueBy(T);
    const due = (t: number) => {
      const n = dueBy(t) - passed;
      passed = dueBy(t);
      return fmt(n);
    };
    await run(`cron, steady: 10 minutes of deadlines due (${due(at)})`, at);
    at += WINDOW / 100;
    const backlog = await run(`cron, after an outage: 1 % due (${due(at)})`, at);
    // The rest of the backlog, a run every 5 minutes as the trigger does, until a run says it is done.
    let more = backlog.summaries[0]?.more ?? false;
    for (let n = 2; more && n <= 40; n++) {
      at += 5 * MIN;
      more = (await run(`cron, after the outage, run ${n} (${due(at)} newly due)`, at)).summaries[0]?.more ?? false;
    }

    // The county's villagers in the users collection: who is told of an escalation is looked up there.
    const people: UserDoc[] = Array.from({ length: villagers }, (_v, i) => {
      const st = r.pick(c.stations);
      const held = [{ role: 'villager' as const, orgId: st._id, path: pathOf(st) }];
      return {
        _id: `bench-villager-${String(i + 1).padStart(6, '0')}`,
        openid: `bench-villager-${String(i + 1).padStart(6, '0')}`,
        name: '村民',
        ...roleFields(held),
        nickname: null,
        stationId: st._id,
        householdId: null,
        bindingId: null,
        createdAt: new Date(T),
        lastLoginAt: new Date(T),
        rev: 0,
      };
    });
    const usersMs = bench.insert('users', people);
    const v = fmt(villagers);
    at += 10 * MIN;
    const steady = await run(`cron, steady, ${v} villagers in users (${due(at)} due)`, at);
    const usersRead = steady.costs[0].examined.users ?? 0;
    if (usersRead > villagers) {
      notes.push(
        `who is told of an escalation (notify.holders: users where { areas: <node>, roles: elemMatch { role, orgId } }) is found through the areas_created index, which holds every user under the node: a steady run read ${fmt(usersRead)} user rows — all ${v} users for each escalation to the center, all of an institute's for each escalation to an institute`,
      );
    }
    if (!steady.summaries[0]?.more && steady.summaries.length) {
      at += 5 * MIN;
      await run(`cron, nothing due, ${v} villagers in users`, at, opts.quick ? 2 : 5);
    }
    at += WINDOW / 100;
    await run(`cron, after an outage, ${v} villagers in users (${due(at)} due)`, at);

    return {
      name: 'timer',
      title: `one cron run over ${fmt(size)} active orders`,
      setup: [
        `${fmt(size)} active orders over all 231 stations (submitted 10 %, open 35 %, dispatched 10 %, accepted 35 %, fulfilled 10 %; 80 % held by the station, 17 % the institute, 3 % the center), each with its next deadline spread evenly over the coming 7 days, and ${fmt(reds)} already red at the center; inserted through the engine in ${secs(insertMs)}`,
        `${fmt(villagers)} villagers added to users for the last runs in ${secs(usersMs)}`,
        'the cron function called through the gateway as the platform calls it (no caller), the local cloud’s clock moved between runs',
      ],
      rows,
      notes,
    };
  } finally {
    await bench.close();
  }
}
