/**
 * Demo moral integral for 凤山村: the station's supermarket shelf, and households whose points are
 * real records — claims and awards approved, past their notice and posted through the domain's own
 * decisions — so the demo villager's balance (户号 10000001) is the sum of ledger entries, plus one
 * claim waiting for review and one on the notice board for whoever opens the demo.
 */
import type { Engine } from '../db/engine';
import type { OrgDoc } from '../../cloudfunctions/shared/org/domain/model';
import { pathOf } from '../../cloudfunctions/shared/org/domain/model';
import { INTEGRAL_DEFAULTS } from '../../typings/integral';
import {
  capId,
  decideAward,
  decideClaim,
  decideReview,
  EARNING,
  entryFor,
  isRefusal,
  postingForClaim,
  type Caller,
} from '../../cloudfunctions/shared/integral/domain/decide';
import {
  periodsOf,
  type ClaimDoc,
  type EntryDoc,
  type HouseholdRef,
  type ItemDoc,
} from '../../cloudfunctions/shared/integral/domain/model';
import { templateRule } from '../../cloudfunctions/shared/integral/domain/template';
import { DEMO_STATION_ID } from './network';

const DAY = 86_400_000;

const SHELF: [name: string, points: number, stock: number][] = [
  ['洗衣液（2公斤）', 20, 12],
  ['食用油（5升）', 60, 6],
  ['大米（10斤）', 40, 10],
  ['毛巾两条', 8, 30],
  ['酱油醋一套', 15, 15],
  ['理发券一张', 10, 20],
];

/** [household, rule, days ago, note, approved by the head (else claimed by the household)] */
const HISTORY: [string, string, number, string, boolean][] = [
  ['10000001', 'filial-visit', 80, '中秋节陪母亲过节', false],
  ['10000001', 'env-yard', 75, '美丽庭院检查达标', true],
  ['10000001', 'vol-activity', 60, '参加重阳节敬老志愿活动', false],
  ['10000001', 'neighbour-help', 45, '帮隔壁钱大爷把生病的老伴送到镇卫生院', false],
  ['10000001', 'env-cleanup', 30, '参加村道两侧义务清扫', false],
  ['10000001', 'customs-reading', 20, '参加道德讲堂', false],
  ['10000001', 'vol-blood', 12, '在镇上无偿献血', true],
  ['20000001', 'env-yard', 70, '美丽庭院检查达标', true],
  ['20000001', 'neighbour-harvest', 40, '农忙帮困难户抢收', true],
  ['20000005', 'filial-elderly-meal', 50, '给独居老人送饭', false],
  ['20000005', 'ban-burning', 25, '焚烧秸秆被劝阻', true],
  ['20000009', 'vol-emergency', 35, '防汛值守两个晚上', true],
];

export function seedIntegral(engine: Engine, network: OrgDoc[], now: Date): { counts: Record<string, number> } {
  const station = network.find((d) => d._id === DEMO_STATION_ID);
  if (!station) throw new Error('demo network has no 凤山村');
  const path = pathOf(station);
  const head: Caller = {
    openid: 'demo-station-head',
    name: '李站长',
    roles: [{ role: 'stationHead', orgId: DEMO_STATION_ID, path }],
    stationId: DEMO_STATION_ID,
    householdId: null,
  };
  const households = new Map(
    engine.find('households', { query: { stationId: DEMO_STATION_ID } }).map((h) => [
      h._id as string,
      {
        id: h._id as string,
        stationId: DEMO_STATION_ID,
        path,
        headName: h.headName as string,
        memberOpenids: (h.members as { openid: string }[]).map((m) => m.openid),
      } satisfies HouseholdRef,
    ]),
  );
  const claims: ClaimDoc[] = [];
  const entries: EntryDoc[] = [];
  const balances = new Map<string, number>();
  const tallies = new Map<string, { household: HouseholdRef; period: string; points: number }>();
  const must = <T>(x: T) => {
    if (isRefusal(x)) throw new Error(`demo integral: ${x.message}`);
    return x as Exclude<T, { refused: unknown }>;
  };

  HISTORY.forEach(([hid, ruleId, daysAgo, note, byHead], i) => {
    const household = households.get(hid);
    const rule = templateRule(ruleId);
    if (!household || !rule) return;
    const at = new Date(now.getTime() - daysAgo * DAY);
    const member: Caller = {
      openid: household.memberOpenids[0],
      name: household.headName,
      roles: [],
      stationId: DEMO_STATION_ID,
      householdId: hid,
    };
    const base = {
      id: `demo-claim-${i + 1}`,
      requestKey: `demo:${i + 1}`,
      rule,
      household,
      note,
      photos: [],
      now: at,
    };
    let claim = byHead
      ? must(
          decideAward(
            { ...base, source: 'award', caller: head, note: `${note}，经村民小组核实属实` },
            INTEGRAL_DEFAULTS,
          ),
        )
      : must(decideClaim({ ...base, source: 'self', caller: member, rule: { ...rule, evidence: false } }));
    if (claim.status === 'pending') {
      const review = must(
        decideReview(claim, { approve: true }, head, { settings: INTEGRAL_DEFAULTS, now: at, recentApprovals: 0 }),
      );
      claim = { ...claim, ...review.set };
    }
    const postedAt = new Date(at.getTime() + INTEGRAL_DEFAULTS.noticeDays * DAY);
    const entry = entryFor(postingForClaim(claim, postedAt), balances.get(hid) ?? 0);
    balances.set(hid, entry.balanceAfter);
    if (EARNING(entry.cause)) {
      const { month, year } = periodsOf(postedAt);
      for (const period of [month, year]) {
        const t = tallies.get(`${hid}:${period}`) ?? { household, period, points: 0 };
        tallies.set(`${hid}:${period}`, { ...t, points: t.points + entry.points });
      }
    }
    entries.push(entry);
    claims.push({ ...claim, status: 'posted', entryId: entry._id, updatedAt: postedAt });
  });

  // Open work for the demo: a neighbour's claim to review, and the demo household's on the board.
  const open = (hid: string, ruleId: string, note: string, id: string, approve: boolean) => {
    const household = households.get(hid);
    if (!household) return;
    const member: Caller = {
      openid: household.memberOpenids[0],
      name: household.headName,
      roles: [],
      stationId: DEMO_STATION_ID,
      householdId: hid,
    };
    const at = new Date(now.getTime() - DAY);
    let claim = must(
      decideClaim({
        id,
        requestKey: `demo:${id}`,
        source: 'self',
        rule: templateRule(ruleId)!,
        household,
        note,
        photos: [],
        caller: member,
        now: at,
      }),
    );
    if (approve)
      claim = {
        ...claim,
        ...must(
          decideReview(claim, { approve: true }, head, { settings: INTEGRAL_DEFAULTS, now: at, recentApprovals: 0 }),
        ).set,
      };
    claims.push(claim);
  };
  open('20000001', 'filial-visit', '周末回家陪父母吃饭', 'demo-claim-queue', false);
  open('10000001', 'env-sorting', '垃圾分类投放到位', 'demo-claim-notice', true);

  const items: ItemDoc[] = SHELF.map(([name, points, stock], i) => ({
    _id: `demo-item-${i + 1}`,
    stationId: DEMO_STATION_ID,
    path,
    name,
    picture: null,
    points,
    stock,
    pickupPlace: '凤山村委会一楼便民服务室',
    enabled: true,
    createdAt: now,
    updatedAt: now,
  }));

  const rows = (xs: object[]) => xs as unknown as Record<string, unknown>[];
  engine.insert('integralClaims', rows(claims));
  engine.insert('integralLedger', rows(entries));
  engine.insert(
    'integralBalances',
    rows(
      [...balances].map(([hid, balance]) => ({
        _id: hid,
        householdId: hid,
        stationId: DEMO_STATION_ID,
        path,
        balance,
        entries: entries.filter((e) => e.householdId === hid).length,
        updatedAt: now,
      })),
    ),
  );
  engine.insert(
    'integralTallies',
    rows(
      [...tallies].map(([id, t]) => ({
        _id: id,
        householdId: t.household.id,
        headName: t.household.headName,
        stationId: DEMO_STATION_ID,
        path,
        period: t.period,
        points: t.points,
      })),
    ),
  );
  engine.insert('integralItems', rows(items));
  // The cap slots the approved records hold, as the approvals' transactions would have taken them.
  const caps = new Map<string, number>();
  for (const c of claims)
    if (c.status !== 'pending' && c.monthlyCap !== null) caps.set(capId(c), (caps.get(capId(c)) ?? 0) + 1);
  engine.insert('integralCaps', rows([...caps].map(([id, count]) => ({ _id: id, count }))));
  return { counts: { integralEntries: entries.length, integralItems: items.length } };
}
