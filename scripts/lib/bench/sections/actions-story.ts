/**
 * The walk the `actions` section measures: every action of every function, once each (some twice, in
 * a second case), as the demo people on the demo county, in an order where each finds what it needs —
 * a villager posts a wish that is reviewed, dispatched, accepted, fulfilled and rated; an activity is
 * signed up for, scanned in and out; a household claims, is awarded, redeems and picks up; the command
 * center is read and exported. Each step is one call; what it answered is kept for the steps after it.
 */
/** What the walk keeps: the ids it made, the walk's start on the cloud's clock, the clock now. */
export type State = Record<string, unknown> & { start: number; now: () => number };

/** The walk's start plus `minutes`, as an ISO time. */
const atMin = (st: State, minutes: number) => new Date(st.start + minutes * 60_000).toISOString();

export interface Step {
  /** fn.action */
  action: string;
  /** What case of the action this is, when it is not the plain one. */
  what?: string;
  who?: string;
  /** Moves the cloud's clock (minutes from the walk's start) before the call. */
  clockAt?: number;
  event(st: State): Record<string, unknown>;
  keep?(data: Record<string, unknown>, st: State): void;
}

const STATION = 'haian-01-001';
const POINT = 'haian-01-001-01';
const HERE = { lat: 32.5463, lng: 120.4592 };
const CENTER = 'demo-center-admin';
const INSTITUTE = 'demo-institute-admin';
const HEAD = 'demo-station-head';
const VOL = 'demo-volunteer';
const VOL2 = 'demo-vol-001';
const VILLAGER = 'demo-villager';
const NEIGHBOUR = 'demo-vil-1-1';
const NEWBIE = 'bench-newbie';
const LEAVER = 'bench-leaver';

const day = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
let seq = 0;
const rq = () => `bench-rq-${(seq += 1)}`;

export const STORY: Step[] = [
  // user: a newcomer signs in, binds, registers; the head reviews; roles; people; data; closing.
  { action: 'user.login', who: NEWBIE, event: () => ({}) },
  { action: 'user.me', who: VILLAGER, event: () => ({}) },
  { action: 'user.bind', who: NEWBIE, event: () => ({ stationId: STATION, name: '钱新来' }) },
  {
    action: 'user.bind',
    what: 'asks to join a household',
    who: LEAVER,
    event: () => ({ stationId: STATION, name: '孙离开', householdId: '10000001' }),
  },
  { action: 'user.answerJoin', who: VILLAGER, event: () => ({ openid: LEAVER, approve: false }) },
  {
    action: 'user.registerVolunteer',
    who: NEWBIE,
    event: () => ({ name: '钱新来', phone: '13900007777', skills: ['health'], stationIds: [STATION] }),
  },
  { action: 'user.pendingVolunteers', who: HEAD, event: () => ({ stationId: STATION }) },
  { action: 'user.reviewVolunteer', who: HEAD, event: () => ({ openid: NEWBIE, stationId: STATION, approve: true }) },
  { action: 'user.grantRole', who: INSTITUTE, event: () => ({ openid: NEWBIE, role: 'stationHead', orgId: STATION }) },
  { action: 'user.revokeRole', who: INSTITUTE, event: () => ({ openid: NEWBIE, role: 'stationHead', orgId: STATION }) },
  { action: 'user.listPeople', who: HEAD, event: () => ({}) },
  { action: 'user.myData', who: VILLAGER, event: () => ({}) },
  { action: 'user.close', who: LEAVER, event: () => ({ confirm: true }) },

  // org
  { action: 'org.get', who: VILLAGER, event: () => ({ id: STATION }) },
  { action: 'org.tree', who: VILLAGER, event: () => ({ id: 'haian-01', depth: 2, pageSize: 50 }) },
  { action: 'org.nearby', who: VILLAGER, event: () => ({ ...HERE, radiusM: 3000, limit: 50 }) },
  { action: 'org.nearestStations', who: VILLAGER, event: () => ({ ...HERE, limit: 10 }) },
  { action: 'org.search', who: VILLAGER, event: () => ({ q: '凤山', level: 'station' }) },
  {
    action: 'org.create',
    who: HEAD,
    event: () => ({ parentId: STATION, name: '凤山村测试服务点', location: HERE, kind: 'other' }),
    keep: (d, st) => (st.point = d.id),
  },
  { action: 'org.update', who: HEAD, event: (st) => ({ id: st.point, hours: '每天 8:00–17:00' }) },
  { action: 'org.retire', who: INSTITUTE, event: (st) => ({ parentId: STATION, id: st.point, reason: '建错了' }) },

  // order: one wish all the way, a second declined and cancelled, a third reopened.
  { action: 'order.settings', who: VILLAGER, event: () => ({}), keep: (d, st) => (st.orderSettings = d) },
  { action: 'order.setSettings', who: CENTER, event: (st) => ({ settings: st.orderSettings }) },
  { action: 'order.setAutoDispatch', who: HEAD, event: () => ({ stationId: STATION, on: false }) },
  { action: 'order.similar', who: VILLAGER, event: () => ({ category: 'health', pointId: POINT }) },
  ...[1, 2].map((k): Step => ({
    action: 'order.create',
    what: k === 1 ? undefined : 'a second wish',
    who: VILLAGER,
    event: () => ({
      kind: 'wish',
      category: 'health',
      title: `帮忙量血压${k}`,
      content: '家里老人血压高，想请志愿者上门量一量。',
      pointId: POINT,
      requestId: rq(),
      acknowledgeSimilar: true,
    }),
    keep: (d, st) => {
      st[`order${k}`] = d.id;
      st[`order${k}Status`] = d.status;
    },
  })),
  { action: 'order.review', who: HEAD, event: (st) => ({ id: st.order1, approve: true }) },
  { action: 'order.review', what: 'the second', who: HEAD, event: (st) => ({ id: st.order2, approve: true }) },
  { action: 'order.get', who: VILLAGER, event: (st) => ({ id: st.order1 }) },
  { action: 'order.list', who: HEAD, event: () => ({ scope: 'area' }) },
  { action: 'order.counts', who: HEAD, event: () => ({}) },
  { action: 'order.hall', who: VOL, event: () => ({ ...HERE }) },
  { action: 'order.candidates', who: HEAD, event: (st) => ({ id: st.order1 }) },
  { action: 'order.dispatch', who: HEAD, event: (st) => ({ id: st.order1, volunteer: VOL }) },
  { action: 'order.urge', who: HEAD, event: (st) => ({ id: st.order1, requestId: rq() }) },
  { action: 'order.accept', who: VOL, event: (st) => ({ id: st.order1 }) },
  { action: 'order.dispatch', what: 'the second', who: HEAD, event: (st) => ({ id: st.order2, volunteer: VOL }) },
  { action: 'order.decline', who: VOL, event: (st) => ({ id: st.order2, reason: '这两天在外地，去不了' }) },
  { action: 'order.cancel', who: VILLAGER, event: (st) => ({ id: st.order2 }) },
  {
    action: 'order.fulfil',
    who: VOL,
    event: (st) => ({ id: st.order1, note: '已上门量过血压，一切正常。', minutes: 60 }),
  },
  { action: 'order.rate', who: VILLAGER, event: (st) => ({ id: st.order1, stars: 5, comment: '很耐心' }) },
  { action: 'order.reopen', who: VILLAGER, event: (st) => ({ id: st.order1, reason: '血压又高了，想再请人看看' }) },
  { action: 'order.reveals', who: HEAD, event: () => ({ stationId: STATION }) },
  { action: 'order.messages', who: VOL, event: () => ({}), keep: (d, st) => (st.messages = d.messages) },
  {
    action: 'order.markRead',
    who: VOL,
    event: (st) => ({ ids: (st.messages as { id: string }[]).slice(0, 3).map((m) => m.id) }),
  },
  { action: 'order.subscribed', who: VOL, event: () => ({ templates: ['dispatched'] }) },

  // activity: made, signed up for, scanned in and out, hours and certificates.
  {
    action: 'activity.create',
    who: HEAD,
    event: (st) => ({
      pointId: POINT,
      title: '凤山村义诊',
      category: 'health',
      startAt: atMin(st, 120),
      endAt: atMin(st, 300),
      capacity: 50,
      signupRequired: true,
      requestId: rq(),
    }),
    keep: (d, st) => (st.activity = d.id),
  },
  { action: 'activity.edit', who: HEAD, event: (st) => ({ id: st.activity, description: '量血压、测血糖。' }) },
  { action: 'activity.get', who: VOL, event: (st) => ({ id: st.activity }) },
  { action: 'activity.list', who: VOL, event: () => ({ scope: 'near', ...HERE }) },
  { action: 'activity.signup', who: VOL, event: (st) => ({ id: st.activity }) },
  { action: 'activity.signup', what: 'a second volunteer', who: VOL2, event: (st) => ({ id: st.activity }) },
  { action: 'activity.cancelSignup', who: VOL2, event: (st) => ({ id: st.activity }) },
  { action: 'activity.signup', what: 'again', who: VOL2, event: (st) => ({ id: st.activity }) },
  {
    action: 'activity.code',
    clockAt: 100,
    who: HEAD,
    event: (st) => ({ id: st.activity }),
    keep: (d, st) => (st.scene = d.scene),
  },
  { action: 'activity.scan', what: 'check in', who: VOL, event: (st) => ({ scene: st.scene, location: HERE }) },
  {
    action: 'activity.scan',
    what: 'check in, far away (flagged)',
    who: VOL2,
    event: (st) => ({ scene: st.scene, location: { lat: 32.6, lng: 120.5 } }),
  },
  {
    action: 'activity.scan',
    what: 'again at once (already)',
    who: VOL,
    event: (st) => ({ scene: st.scene, location: HERE }),
  },
  {
    action: 'activity.roster',
    who: HEAD,
    event: (st) => ({ id: st.activity }),
    keep: (d, st) => (st.roster = d.entries),
  },
  {
    action: 'activity.review',
    who: HEAD,
    event: (st) => ({
      checkinId: (st.roster as { openid: string; checkinId: string }[]).find((e) => e.openid === VOL2)?.checkinId,
      accept: true,
    }),
  },
  {
    action: 'activity.code',
    what: 'later',
    clockAt: 200,
    who: HEAD,
    event: (st) => ({ id: st.activity }),
    keep: (d, st) => (st.scene = d.scene),
  },
  {
    action: 'activity.scan',
    what: 'check out (hours recorded)',
    who: VOL,
    event: (st) => ({ scene: st.scene, location: HERE }),
  },
  { action: 'activity.hours', who: VOL, event: () => ({}), keep: (d, st) => (st.hoursRecords = d.records) },
  { action: 'activity.totals', who: HEAD, event: () => ({ orgId: STATION }) },
  {
    action: 'activity.addHonour',
    who: HEAD,
    event: (st) => ({
      openid: VOL,
      orgId: STATION,
      minutes: 90,
      reason: '抗洪抢险，事后补记',
      title: '抗洪抢险',
      at: atMin(st, -600),
      requestId: rq(),
    }),
  },
  {
    action: 'activity.correct',
    who: HEAD,
    event: (st) => ({
      recordId: (st.hoursRecords as { id: string }[])[0]?.id,
      minutes: 60,
      reason: '签退晚了，按实际时长',
      requestId: rq(),
    }),
  },
  {
    action: 'activity.certificate',
    who: VOL,
    event: (st) => ({ from: day(st.now() - 30 * 86_400_000), to: day(st.now()) }),
    keep: (d, st) => (st.cert = d.code),
  },
  { action: 'activity.certificates', who: VOL, event: () => ({}) },
  { action: 'activity.certificatePdf', who: VOL, event: (st) => ({ code: st.cert }) },
  { action: 'activity.verifyCertificate', who: VILLAGER, event: (st) => ({ code: st.cert }) },
  { action: 'activity.cancel', who: HEAD, event: (st) => ({ id: st.activity, reason: '下雨，改期' }) },

  // integral: rules, a claim reviewed, an award, an objection settled, the shop.
  { action: 'integral.settings', who: VILLAGER, event: () => ({}), keep: (d, st) => (st.integralSettings = d) },
  { action: 'integral.setSettings', who: CENTER, event: (st) => ({ settings: st.integralSettings }) },
  {
    action: 'integral.rules',
    who: VILLAGER,
    event: () => ({}),
    keep: (d, st) => (st.rule = (d.rules as { id: string; points: number }[]).find((r) => r.points > 0)?.id),
  },
  { action: 'integral.setRule', who: HEAD, event: (st) => ({ stationId: STATION, ruleId: st.rule, enabled: true }) },
  {
    action: 'integral.claim',
    who: VILLAGER,
    event: (st) => ({ ruleId: st.rule, note: '帮邻居把粮食收进屋，免得淋雨', requestId: rq() }),
    keep: (d, st) => (st.claim = d.id),
  },
  { action: 'integral.claims', who: HEAD, event: () => ({ scope: 'queue', stationId: STATION }) },
  { action: 'integral.review', who: HEAD, event: (st) => ({ id: st.claim, approve: true }) },
  {
    action: 'integral.award',
    who: HEAD,
    event: (st) => ({
      householdId: '10000001',
      ruleId: st.rule,
      note: '经村民小组核实，情况属实，予以评定',
      requestId: rq(),
    }),
  },
  { action: 'integral.notices', who: NEIGHBOUR, event: () => ({}) },
  {
    action: 'integral.object',
    who: NEIGHBOUR,
    event: () => ({ id: 'demo-claim-notice', reason: '那天他家没分类，我看见了' }),
  },
  {
    action: 'integral.settleObjection',
    who: HEAD,
    event: () => ({ id: 'demo-claim-notice', uphold: false, reason: '核实过，分类到位' }),
  },
  {
    action: 'integral.ledger',
    who: VILLAGER,
    event: () => ({}),
    keep: (d, st) => (st.entry = (d.entries as { id: string }[])[0]?.id),
  },
  { action: 'integral.balance', who: VILLAGER, event: () => ({}) },
  { action: 'integral.reverse', who: HEAD, event: (st) => ({ entryId: st.entry, reason: '记错了户' }) },
  { action: 'integral.items', who: VILLAGER, event: () => ({}) },
  {
    action: 'integral.saveItem',
    who: HEAD,
    event: () => ({ stationId: STATION, name: '洗衣液', points: 5, addStock: 20, pickupPlace: '村委会' }),
    keep: (d, st) => (st.item = d.id),
  },
  {
    action: 'integral.redeem',
    who: VILLAGER,
    event: (st) => ({ itemId: st.item, requestId: (st.redeemId = rq()) }),
    keep: (d, st) => (st.pickup = d.pickupCode),
  },
  {
    action: 'integral.redeem',
    what: 'retried (same requestId)',
    who: VILLAGER,
    event: (st) => ({ itemId: st.item, requestId: st.redeemId }),
  },
  { action: 'integral.redemptions', who: HEAD, event: () => ({ scope: 'station', stationId: STATION }) },
  { action: 'integral.verifyPickup', who: HEAD, event: (st) => ({ code: st.pickup }) },
  { action: 'integral.rank', who: VILLAGER, event: () => ({}) },

  // stats
  { action: 'stats.overview', who: INSTITUTE, event: () => ({}) },
  {
    action: 'stats.assessment',
    who: CENTER,
    event: () => ({}),
    keep: (d, st) => (st.indicators = (d.method as { indicators: unknown }).indicators),
  },
  { action: 'stats.setAssessment', who: CENTER, event: (st) => ({ indicators: st.indicators }) },
  { action: 'stats.export', who: HEAD, event: () => ({ kind: 'orders' }) },
  { action: 'stats.public', event: () => ({}) },
];
