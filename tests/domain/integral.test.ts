/**
 * The decisions of moral integral, without a database: every transition and refusal of a record, the
 * ledger's arithmetic, the supermarket's checks and the center's bounds on a station's rules.
 */
import { INTEGRAL_DEFAULTS, RULE_GROUPS } from '../../typings/integral';
import {
  auditBalances,
  checkCap,
  decideAward,
  decideClaim,
  decideExpiry,
  decideObjection,
  decidePickup,
  decideRedeem,
  decideReversal,
  decideReview,
  decideSettlement,
  dueForPosting,
  entryFor,
  isRefusal,
  pointsForHours,
  pointsForRating,
  postingForClaim,
  type Caller,
  type NewRecord,
} from '../../cloudfunctions/shared/integral/domain/decide';
import type { ClaimDoc, HouseholdRef, ItemDoc } from '../../cloudfunctions/shared/integral/domain/model';
import { periodsOf } from '../../cloudfunctions/shared/integral/domain/model';
import { decideConversion, type Conversion } from '../../cloudfunctions/shared/integral/domain/convert';
import {
  adjustRule,
  bounds,
  catalogue,
  TEMPLATE,
  templateRule,
} from '../../cloudfunctions/shared/integral/domain/template';

const NOW = new Date('2026-11-30T02:00:00Z');
const S = ['c', 'i', 's1'];
const house: HouseholdRef = { id: '10000001', stationId: 's1', path: S, headName: '赵桂英', memberOpenids: ['v1'] };
const villager: Caller = { openid: 'v1', name: '赵桂英', roles: [], stationId: 's1', householdId: '10000001' };
const neighbour: Caller = { openid: 'v2', name: '钱', roles: [], stationId: 's1', householdId: '10000002' };
const head: Caller = {
  openid: 'h1',
  name: '李站长',
  roles: [{ role: 'stationHead', orgId: 's1', path: S }],
  stationId: 's1',
  householdId: '10000009',
};
const otherHead: Caller = {
  ...head,
  openid: 'h2',
  roles: [{ role: 'stationHead', orgId: 's2', path: ['c', 'i', 's2'] }],
};
const institute: Caller = {
  openid: 'i1',
  name: '王所长',
  roles: [{ role: 'instituteAdmin', orgId: 'i', path: ['c', 'i'] }],
  stationId: null,
  householdId: null,
};
const rule = (id: string) => templateRule(id)!;
const rec = (over: Partial<NewRecord> = {}): NewRecord => ({
  id: 'r1',
  requestKey: 'v1:req00001',
  source: 'self',
  rule: rule('filial-visit'),
  household: house,
  note: '周末回家陪父母',
  photos: [],
  caller: villager,
  now: NOW,
  ...over,
});
const ok = <T>(x: T) => {
  if (isRefusal(x)) throw new Error(`refused: ${x.message}`);
  return x as Exclude<T, { refused: unknown }>;
};
const refusal = (x: unknown) => (isRefusal(x) ? x.refused : 'ok');
const ctx = (recentApprovals = 0) => ({ settings: INTEGRAL_DEFAULTS, now: NOW, recentApprovals });

describe('the center template and a station’s adjustments', () => {
  it('holds a few dozen rules across every group, earning and deducting, with unique ids', () => {
    expect(TEMPLATE.length).toBeGreaterThanOrEqual(30);
    expect(new Set(TEMPLATE.map((r) => r.id)).size).toBe(TEMPLATE.length);
    expect(new Set(TEMPLATE.map((r) => r.group))).toEqual(new Set(RULE_GROUPS));
    expect(TEMPLATE.some((r) => r.points < 0 && !r.claimable)).toBe(true);
    expect(TEMPLATE.every((r) => r.points !== 0 && /\p{Script=Han}/u.test(r.name))).toBe(true);
  });

  it('lets a station move points within half and twice the template, keeping the sign', () => {
    expect(bounds(rule('neighbour-help'))).toEqual({ min: 2, max: 6, capMax: 8 });
    expect(bounds(rule('ban-gambling'))).toEqual({ min: -40, max: -10, capMax: null });
    expect(adjustRule(rule('neighbour-help'), undefined, { points: 6 })).toEqual({ override: { points: 6 } });
    expect(adjustRule(rule('neighbour-help'), undefined, { points: 7 })).toHaveProperty('refusal');
    expect(adjustRule(rule('neighbour-help'), undefined, { points: -3 })).toHaveProperty('refusal');
    expect(adjustRule(rule('neighbour-help'), undefined, { monthlyCap: 9 })).toHaveProperty('refusal');
    expect(adjustRule(rule('ban-gambling'), undefined, { monthlyCap: 3 })).toHaveProperty('refusal');
    const cat = catalogue(new Map([['neighbour-help', { points: 4, enabled: false, monthlyCap: undefined }]]));
    expect(cat.find((r) => r.id === 'neighbour-help')).toMatchObject({ points: 4, enabled: false, monthlyCap: 4 });
    // Rules a villager can claim with a few words come first; deductions last.
    expect(cat[0]).toMatchObject({ claimable: true, evidence: false });
    expect(cat[cat.length - 1].claimable).toBe(false);
  });
});

describe('claims and awards', () => {
  it('a villager claims for their household: pending, for the rule’s points and this month', () => {
    const doc = ok(decideClaim(rec()));
    expect(doc).toMatchObject({ status: 'pending', points: 2, householdId: '10000001', month: '2026-11' });
  });

  it('refuses a claim without photos where evidence is required, for a deduction, or for another village', () => {
    expect(refusal(decideClaim(rec({ rule: rule('filial-care') })))).toBe('INVALID_ARGUMENT');
    expect(refusal(decideClaim(rec({ rule: rule('ban-gambling') })))).toBe('FAILED_PRECONDITION');
    expect(refusal(decideClaim(rec({ household: { ...house, stationId: 's2' } })))).toBe('FORBIDDEN');
    expect(refusal(decideClaim(rec({ caller: { ...villager, householdId: null } })))).toBe('FAILED_PRECONDITION');
  });

  it('an award by the station head goes straight to notice; above the threshold it waits for the institute', () => {
    const award = (r: string) =>
      decideAward(
        rec({ caller: head, rule: rule(r), source: 'award', note: '经村民小组核实，情况属实，予以评定' }),
        INTEGRAL_DEFAULTS,
      );
    expect(ok(award('neighbour-help'))).toMatchObject({ status: 'notice', reviewedBy: 'h1' });
    expect(ok(award('neighbour-help')).noticeEndsAt).toEqual(new Date(NOW.getTime() + 3 * 86_400_000));
    expect(ok(award('ban-elder-neglect'))).toMatchObject({ status: 'notice', points: -20 });
    expect(ok(award('ban-gambling'))).toMatchObject({ status: 'notice' });
    const big = { ...INTEGRAL_DEFAULTS, secondApprovalAbove: 10 };
    expect(
      ok(
        decideAward(
          rec({ caller: head, rule: rule('ban-gambling'), photos: [{ fileId: 'f', check: 'pending', traceId: null }] }),
          big,
        ),
      ),
    ).toMatchObject({
      status: 'second',
      noticeEndsAt: null,
    });
  });

  it('refuses an award for one’s own household, outside one’s station, or by a villager', () => {
    const own = { ...head, householdId: '10000001' };
    expect(refusal(decideAward(rec({ caller: own }), INTEGRAL_DEFAULTS))).toBe('FORBIDDEN');
    expect(refusal(decideAward(rec({ caller: otherHead }), INTEGRAL_DEFAULTS))).toBe('FORBIDDEN');
    expect(refusal(decideAward(rec({ caller: neighbour }), INTEGRAL_DEFAULTS))).toBe('FORBIDDEN');
  });
});

describe('review', () => {
  const claimDoc = (over: Partial<ClaimDoc> = {}): ClaimDoc => ({ ...ok(decideClaim(rec())), ...over });

  it('approval puts it on notice and takes a cap slot; rejection needs a reason and takes none', () => {
    const a = ok(decideReview(claimDoc(), { approve: true }, head, ctx()));
    expect(a.set).toMatchObject({ status: 'notice', reviewedBy: 'h1' });
    expect(a.cap).toBe(1);
    expect(refusal(decideReview(claimDoc(), { approve: false }, head, ctx()))).toBe('INVALID_ARGUMENT');
    expect(ok(decideReview(claimDoc(), { approve: false, reason: '不属实' }, head, ctx()))).toMatchObject({
      set: { status: 'rejected' },
      cap: 0,
    });
  });

  it('refuses a second decision, a villager, a head of another village, and one’s own household', () => {
    expect(refusal(decideReview(claimDoc({ status: 'notice' }), { approve: true }, head, ctx()))).toBe('CONFLICT');
    expect(refusal(decideReview(claimDoc(), { approve: true }, neighbour, ctx()))).toBe('FORBIDDEN');
    expect(refusal(decideReview(claimDoc(), { approve: true }, otherHead, ctx()))).toBe('FORBIDDEN');
    const own = { ...head, householdId: '10000001' };
    expect(refusal(decideReview(claimDoc(), { approve: true }, own, ctx()))).toBe('FORBIDDEN');
  });

  it('a big one goes to the institute, which a station head cannot approve, nor the same person twice', () => {
    const big = claimDoc({ points: 30 });
    const first = ok(decideReview(big, { approve: true }, head, ctx()));
    expect(first).toMatchObject({ set: { status: 'second' }, cap: 1 });
    const waiting = { ...big, ...first.set } as ClaimDoc;
    expect(refusal(decideReview(waiting, { approve: true }, head, ctx()))).toBe('FORBIDDEN');
    const both = { ...institute, roles: [...institute.roles, ...head.roles], openid: 'h1' };
    expect(refusal(decideReview(waiting, { approve: true }, both, ctx()))).toBe('FORBIDDEN');
    expect(ok(decideReview(waiting, { approve: true }, institute, ctx()))).toMatchObject({
      set: { status: 'notice' },
      cap: 0,
    });
    expect(ok(decideReview(waiting, { approve: false, reason: '证据不足' }, institute, ctx())).cap).toBe(-1);
  });

  it('a burst of approvals by one person flags the record to the institute', () => {
    expect(ok(decideReview(claimDoc(), { approve: true }, head, ctx(29))).set.flagged).toBe(false);
    expect(ok(decideReview(claimDoc(), { approve: true }, head, ctx(30))).set.flagged).toBe(true);
  });

  it('the monthly cap refuses the slot past it; uncapped rules and give-backs always pass', () => {
    expect(checkCap({ monthlyCap: 2 }, 1, 1)).toBeNull();
    expect(checkCap({ monthlyCap: 2 }, 2, 1)?.refused).toBe('FAILED_PRECONDITION');
    expect(checkCap({ monthlyCap: null }, 99, 1)).toBeNull();
    expect(checkCap({ monthlyCap: 2 }, 2, -1)).toBeNull();
  });
});

describe('notice, objection and posting', () => {
  const onNotice = (): ClaimDoc => ({
    ...ok(decideClaim(rec())),
    status: 'notice',
    noticeEndsAt: new Date(NOW.getTime() + 86_400_000),
    reviews: [{ by: 'h1', byName: '李站长', approve: true, reason: null, at: NOW }],
  });

  it('a villager of the village objects once; the record is not posted while it is open', () => {
    const c = onNotice();
    const o = ok(decideObjection(c, '没有这回事', neighbour, NOW));
    const objected = { ...c, ...o.set } as ClaimDoc;
    expect(objected.openObjections).toBe(1);
    expect(refusal(decideObjection(objected, '再说一次', neighbour, NOW))).toBe('CONFLICT');
    expect(refusal(decideObjection(c, '外村人', { ...neighbour, stationId: 's2' }, NOW))).toBe('FORBIDDEN');
    const later = new Date(NOW.getTime() + 2 * 86_400_000);
    expect(dueForPosting(objected, later)).toBe(false);
    expect(dueForPosting(c, later)).toBe(true);
    expect(dueForPosting(c, NOW)).toBe(false);
  });

  it('an upheld objection cancels the record and gives its cap slot back; a dismissed one lets it go on', () => {
    const objected = {
      ...onNotice(),
      openObjections: 1,
      objections: [{ by: 'v2', byName: '钱', reason: '不实', at: NOW, outcome: null }],
    };
    const up = ok(decideSettlement(objected, { uphold: true, reason: '核实不属实' }, head, NOW));
    expect(up).toMatchObject({ set: { status: 'cancelled', openObjections: 0 }, cap: -1 });
    expect(up.set.objections?.[0].outcome).toBe('异议成立：核实不属实');
    const down = ok(decideSettlement(objected, { uphold: false, reason: '经核实属实' }, head, NOW));
    expect(down.set.status).toBeUndefined();
    expect(refusal(decideSettlement(objected, { uphold: true, reason: 'x' }, neighbour, NOW))).toBe('FORBIDDEN');
    expect(refusal(decideSettlement(onNotice(), { uphold: true, reason: 'x' }, head, NOW))).toBe('FAILED_PRECONDITION');
  });

  it('posting makes one entry keyed by the record, on top of the balance, approved by the last reviewer', () => {
    const p = postingForClaim(onNotice(), NOW);
    expect(p).toMatchObject({ key: 'claim:r1', cause: 'claim', points: 2, approvedBy: 'h1' });
    expect(entryFor(p, 10)).toMatchObject({ _id: 'claim:r1', key: 'claim:r1', balanceAfter: 12 });
    const award = postingForClaim({ ...onNotice(), source: 'award', points: -5 }, NOW);
    expect(award.cause).toBe('deduction');
  });

  it('a mistake is reversed by its opposite, once, and never a redemption', () => {
    const e = entryFor(postingForClaim(onNotice(), NOW), 0);
    expect(ok(decideReversal(e, '记错了', head, NOW))).toMatchObject({
      key: 'reversal:claim:r1',
      points: -2,
      reverses: 'claim:r1',
    });
    expect(refusal(decideReversal({ ...e, cause: 'redemption' }, '记错了', head, NOW))).toBe('FAILED_PRECONDITION');
    expect(refusal(decideReversal(e, '记错了', otherHead, NOW))).toBe('FORBIDDEN');
  });
});

describe('the supermarket', () => {
  const item: ItemDoc = {
    _id: 'it1',
    stationId: 's1',
    path: S,
    name: '洗衣液',
    picture: null,
    points: 10,
    stock: 3,
    pickupPlace: '村委会',
    enabled: true,
    createdAt: NOW,
    updatedAt: NOW,
  };
  const redeem = (over: Partial<Parameters<typeof decideRedeem>[0]> = {}) =>
    decideRedeem(
      { id: 'rd1', requestKey: 'k', pickupCode: '12345678', item, household: house, balance: 15, ...over },
      INTEGRAL_DEFAULTS,
      NOW,
    );

  it('reserves the item with a pickup code and a redemption entry for its points', () => {
    const r = ok(redeem());
    expect(r.redemption).toMatchObject({ status: 'reserved', pickupCode: '12345678', points: 10 });
    expect(r.redemption.expiresAt).toEqual(new Date(NOW.getTime() + 7 * 86_400_000));
    expect(r.posting).toMatchObject({ key: 'redeem:rd1', cause: 'redemption', points: -10 });
  });

  it('refuses when the balance is short, the stock is gone, the item is off, or the shop is not theirs', () => {
    expect(refusal(redeem({ balance: 9 }))).toBe('FAILED_PRECONDITION');
    expect(refusal(redeem({ item: { ...item, stock: 0 } }))).toBe('FAILED_PRECONDITION');
    expect(refusal(redeem({ item: { ...item, enabled: false } }))).toBe('FAILED_PRECONDITION');
    expect(refusal(redeem({ item: { ...item, stationId: 's2' } }))).toBe('FORBIDDEN');
    expect(ok(redeem({ item: { ...item, stationId: 'i', path: ['c', 'i'] } })).redemption.shopPath).toEqual(['c', 'i']);
  });

  it('a pickup is checked once, by the shop’s station head, before it expires; then it is refunded', () => {
    const red = ok(redeem()).redemption;
    expect(ok(decidePickup(red, head, NOW))).toMatchObject({ status: 'picked', pickedBy: 'h1' });
    expect(refusal(decidePickup({ ...red, status: 'picked' }, head, NOW))).toBe('CONFLICT');
    expect(refusal(decidePickup(red, otherHead, NOW))).toBe('FORBIDDEN');
    const late = new Date(NOW.getTime() + 8 * 86_400_000);
    expect(refusal(decidePickup(red, head, late))).toBe('FAILED_PRECONDITION');
    expect(decideExpiry(red, house, NOW)).toBeNull();
    expect(decideExpiry(red, house, late)?.posting).toMatchObject({ key: 'refund:rd1', cause: 'refund', points: 10 });
    expect(decideExpiry({ ...red, status: 'picked' }, house, late)).toBeNull();
  });
});

describe('conversions, periods and the audit', () => {
  it('turns whole hours and good ratings into points', () => {
    expect(pointsForHours(3.7, rule('vol-hours'))).toBe(3);
    expect(pointsForHours(-1, rule('vol-hours'))).toBe(0);
    expect(pointsForRating(5, rule('vol-order'))).toBe(3);
    expect(pointsForRating(3, rule('vol-order'))).toBe(0);
  });

  it('counts months in Shanghai time', () => {
    expect(periodsOf(new Date('2026-11-30T16:30:00Z'))).toEqual({ month: '2026-12', year: '2026' });
    expect(periodsOf(new Date('2026-12-31T15:59:00Z'))).toEqual({ month: '2026-12', year: '2026' });
  });

  it('finds every household whose cache is not the sum of its entries', () => {
    const sums = new Map([
      ['a', 5],
      ['b', 3],
    ]);
    expect(
      auditBalances(
        sums,
        new Map([
          ['a', 5],
          ['b', 3],
        ]),
      ),
    ).toEqual([]);
    expect(
      auditBalances(
        sums,
        new Map([
          ['a', 5],
          ['c', 1],
        ]),
      ),
    ).toEqual([
      { householdId: 'b', cached: null, sum: 3 },
      { householdId: 'c', cached: 1, sum: 0 },
    ]);
  });
});

describe('conversions into records', () => {
  const conv = (over: Partial<Conversion> = {}): Conversion => ({
    id: 'cv1',
    source: 'hours',
    amount: 3.5,
    sourceKey: 'session-1',
    rule: rule('vol-hours'),
    household: house,
    note: '敬老院志愿服务3.5小时',
    now: NOW,
    ...over,
  });

  it('hours become a record on notice for whole hours × the rule, keyed by the session', () => {
    const doc = decideConversion(conv(), INTEGRAL_DEFAULTS) as ClaimDoc;
    expect(doc).toMatchObject({ status: 'notice', source: 'hours', points: 3, requestKey: 'hours:session-1' });
    expect(postingForClaim(doc, NOW).cause).toBe('hours');
  });

  it('a good rating becomes a record; a poor one, under an hour, or a switched-off rule does not', () => {
    const order = decideConversion(
      conv({ source: 'order', amount: 5, rule: rule('vol-order'), sourceKey: 'o1' }),
      INTEGRAL_DEFAULTS,
    );
    expect(order).toMatchObject({ points: 3, requestKey: 'order:o1' });
    expect(
      decideConversion(conv({ source: 'order', amount: 3, rule: rule('vol-order') }), INTEGRAL_DEFAULTS),
    ).toBeNull();
    expect(decideConversion(conv({ amount: 0.5 }), INTEGRAL_DEFAULTS)).toBeNull();
    expect(refusal(decideConversion(conv({ rule: { ...rule('vol-hours'), enabled: false } }), INTEGRAL_DEFAULTS))).toBe(
      'FAILED_PRECONDITION',
    );
  });
});
