/**
 * The order machine's decisions, without a database: every transition from every status it starts
 * from, as every relation it allows, and every refusal — who may not (FORBIDDEN) before when it may
 * not (CONFLICT), and what the input may not be. The timer's steps and automatic dispatch too.
 */
import type { OrderAction } from '../../typings/api';
import { DEFAULT_ORDER_SETTINGS as S, ORDER_STATUSES, type OrderStatus } from '../../typings/order';
import {
  allowedActions,
  mayView,
  relationsTo,
  TRANSITIONS,
  type OrderRelation,
} from '../../cloudfunctions/shared/order/domain/machine';
import {
  applied,
  decide,
  posted,
  type Caller,
  type Change,
  type Decision,
  type TransitionInput,
} from '../../cloudfunctions/shared/order/domain/decide';
import { autoClose, autoDispatchTo, escalate, skip } from '../../cloudfunctions/shared/order/domain/system';
import type { OrderDoc } from '../../cloudfunctions/shared/order/domain/model';

const HOUR = 3_600_000;
const T0 = new Date('2026-11-30T02:00:00Z');
const at = (h: number) => new Date(T0.getTime() + h * HOUR);

const REQUESTER = { openid: 'villager-1', name: '赵桂英' };
const VOLUNTEER = { openid: 'volunteer-1', name: '张志愿' };

/** A wish of station haian-01-001, posted at T0, in `status` (with VOLUNTEER as its volunteer from dispatch on). */
function order(status: OrderStatus, over: Partial<OrderDoc> = {}): OrderDoc {
  const o = posted(
    {
      _id: 'o1',
      requestKey: 'villager-1:r1',
      kind: 'wish',
      category: 'health',
      title: '上门帮忙量量血压',
      content: '老伴血压一直偏高',
      photos: [],
      pointId: null,
      pointName: null,
      lat: 32.5,
      lng: 120.4,
      stationId: 'haian-01-001',
      stationName: '凤山村',
      path: ['haian', 'haian-01', 'haian-01-001'],
      requester: { ...REQUESTER, householdId: null },
      contact: null,
    },
    REQUESTER,
    S,
    T0,
  );
  const held = ['dispatched', 'accepted', 'fulfilled', 'closed'].includes(status);
  return {
    ...o,
    status,
    assignee: held || status === 'cancelled' ? { ...VOLUNTEER } : null,
    fulfilledAt: status === 'fulfilled' || status === 'closed' ? at(1) : null,
    rating: status === 'closed' ? { stars: 4, comment: null, auto: false, at: at(2) } : null,
    ...over,
  };
}

const caller = (who: { openid: string; name: string }, relations: OrderRelation[], skills = ['health']): Caller => ({
  ...who,
  relations,
  skills,
});

const INPUT: TransitionInput = {
  review: { approve: true },
  dispatch: {
    volunteer: {
      ...VOLUNTEER,
      status: 'active',
      areas: ['haian', 'haian-01', 'haian-01-001'],
      skills: ['health'],
    },
  },
  accept: {},
  decline: { reason: '这周去不了' },
  fulfil: { note: '已经办好了', photos: [], minutes: null },
  rate: { stars: 5, comment: '谢谢' },
  cancel: {},
  reopen: { reason: '其实没有办好' },
};

/** Who acts as each relation (the assignee is the order's volunteer; an area volunteer is another). */
const WHO: Record<OrderRelation, { openid: string; name: string }> = {
  requester: REQUESTER,
  assignee: VOLUNTEER,
  dispatcher: { openid: 'head-1', name: '李站长' },
  areaVolunteer: { openid: 'volunteer-2', name: '刘志愿' },
};

const changeOf = (d: Decision): Change => {
  if ('refused' in d) throw new Error(`refused: ${JSON.stringify(d.refused)}`);
  return d.change;
};
const refusedOf = (d: Decision) => ('refused' in d ? d.refused.code : 'changed');

const ACTIONS = Object.keys(TRANSITIONS) as OrderAction[];
const RELATIONS: OrderRelation[] = ['requester', 'assignee', 'dispatcher', 'areaVolunteer'];

describe('every transition, from every status, as every relation', () => {
  const cases = ACTIONS.flatMap((action) =>
    RELATIONS.flatMap((relation) =>
      ORDER_STATUSES.map((status) => {
        const from = TRANSITIONS[action][relation];
        const expected = !from ? 'FORBIDDEN' : from.includes(status) ? 'changed' : 'CONFLICT';
        return { action, relation, status, expected };
      }),
    ),
  );
  it.each(cases)('$action as $relation on a $status order → $expected', ({ action, relation, status, expected }) => {
    const o = order(status);
    const d = decide(action, o, caller(WHO[relation], [relation]), INPUT[action] as never, S, at(3));
    expect(refusedOf(d)).toBe(expected);
    if (expected !== 'changed') return;
    const c = changeOf(d);
    // The change is conditional on what it read, appends one event from the status it read.
    expect(c.condition).toEqual({ status, level: 'station', 'assignee.openid': o.assignee?.openid ?? null });
    expect(c.event).toMatchObject({ from: status, by: WHO[relation].openid, at: at(3) });
    expect(c.set.status).toBe(c.event.to);
    expect(applied(o, c).events).toHaveLength(o.events.length + 1);
  });
});

describe('what each transition changes', () => {
  const d = (action: OrderAction, status: OrderStatus, relation: OrderRelation, input = INPUT[action]) =>
    changeOf(decide(action, order(status), caller(WHO[relation], [relation]), input as never, S, at(3)));

  it('review: approved opens with the take deadline and offers it on; rejected closes with the reason', () => {
    expect(d('review', 'submitted', 'dispatcher')).toMatchObject({
      set: { status: 'open', dueAt: at(3 + S.sla.station.takeHours), overdue: false },
      event: { type: 'reviewed' },
      counters: [],
      offerOn: true,
    });
    expect(d('review', 'submitted', 'dispatcher', { approve: false, reason: '请到村委会办理' })).toMatchObject({
      set: { status: 'rejected', dueAt: null },
      event: { type: 'rejected', note: '请到村委会办理' },
      offerOn: false,
    });
  });

  it('dispatch: the volunteer holds it until acceptBy, their load raised', () => {
    expect(d('dispatch', 'open', 'dispatcher')).toMatchObject({
      set: { status: 'dispatched', assignee: VOLUNTEER, acceptBy: at(3 + S.acceptHours) },
      event: { type: 'dispatched', note: `派给${VOLUNTEER.name}` },
      counters: [{ openid: VOLUNTEER.openid, inc: { load: 1 } }],
    });
  });

  it('accept: the assignee accepts; an area volunteer claims, capped, and becomes the assignee', () => {
    expect(d('accept', 'dispatched', 'assignee')).toMatchObject({
      set: { status: 'accepted', acceptBy: null, dueAt: at(3 + S.sla.station.fulfilHours) },
      event: { type: 'accepted' },
      counters: [],
    });
    expect(d('accept', 'open', 'areaVolunteer')).toMatchObject({
      set: { status: 'accepted', assignee: WHO.areaVolunteer },
      event: { type: 'claimed' },
      counters: [{ openid: WHO.areaVolunteer.openid, inc: { load: 1 }, loadBelow: 5 }],
    });
  });

  it('decline: back to open, the decliner passed over and their load given back, offered on', () => {
    expect(d('decline', 'dispatched', 'assignee')).toMatchObject({
      set: { status: 'open', assignee: null, passedOver: [VOLUNTEER.openid], acceptBy: null },
      event: { type: 'declined', note: '这周去不了' },
      counters: [{ openid: VOLUNTEER.openid, inc: { load: -1 } }],
      offerOn: true,
    });
  });

  it('fulfil: the proof recorded, the rating clock started, the load given back', () => {
    expect(d('fulfil', 'accepted', 'assignee')).toMatchObject({
      set: {
        status: 'fulfilled',
        fulfilledAt: at(3),
        rateBy: new Date(at(3).getTime() + S.autoCloseDays * 86_400_000),
      },
      event: { type: 'fulfilled', note: '已经办好了' },
      counters: [{ openid: VOLUNTEER.openid, inc: { load: -1 } }],
    });
  });

  it('rate: closed with the stars, counted for the volunteer', () => {
    expect(d('rate', 'fulfilled', 'requester')).toMatchObject({
      set: { status: 'closed', rating: { stars: 5, comment: '谢谢', auto: false }, rateBy: null },
      event: { type: 'rated', note: '5星：谢谢' },
      counters: [{ openid: VOLUNTEER.openid, inc: { ratingSum: 5, ratingCount: 1 } }],
    });
  });

  it('cancel: a dispatched volunteer gets their load back; before dispatch nobody does', () => {
    expect(d('cancel', 'dispatched', 'requester').counters).toEqual([{ openid: VOLUNTEER.openid, inc: { load: -1 } }]);
    expect(d('cancel', 'submitted', 'requester')).toMatchObject({ set: { status: 'cancelled' }, counters: [] });
  });

  it('reopen: back to open without the volunteer, their rating taken back, offered on', () => {
    expect(d('reopen', 'closed', 'requester')).toMatchObject({
      set: { status: 'open', assignee: null, rating: null, passedOver: [VOLUNTEER.openid] },
      event: { type: 'reopened', note: `其实没有办好（原志愿者：${VOLUNTEER.name}）` },
      counters: [{ openid: VOLUNTEER.openid, inc: { ratingSum: -4, ratingCount: -1 } }],
      offerOn: true,
    });
  });
});

describe('refusals beyond who and when', () => {
  const refused = (action: OrderAction, o: OrderDoc, by: Caller, input: unknown, now = at(3)) =>
    refusedOf(decide(action, o, by, input as never, S, now));
  const dispatcher = caller(WHO.dispatcher, ['dispatcher']);
  const other = { ...INPUT.dispatch.volunteer! };

  it('a rejection needs a reason', () => {
    expect(refused('review', order('submitted'), dispatcher, { approve: false })).toBe('INVALID_ARGUMENT');
  });

  it('dispatch only to an active volunteer who serves the place, has the skill, has not passed it, is not the requester', () => {
    const open = order('open', { passedOver: ['volunteer-9'] });
    expect(refused('dispatch', open, dispatcher, { volunteer: undefined })).toBe('NOT_FOUND');
    expect(refused('dispatch', open, dispatcher, { volunteer: { ...other, status: 'paused' } })).toBe('NOT_FOUND');
    expect(refused('dispatch', open, dispatcher, { volunteer: { ...other, areas: ['haian-02'] } })).toBe(
      'FAILED_PRECONDITION',
    );
    expect(refused('dispatch', open, dispatcher, { volunteer: { ...other, skills: ['law'] } })).toBe(
      'FAILED_PRECONDITION',
    );
    expect(refused('dispatch', open, dispatcher, { volunteer: { ...other, openid: 'volunteer-9' } })).toBe(
      'FAILED_PRECONDITION',
    );
    expect(refused('dispatch', open, dispatcher, { volunteer: { ...other, openid: REQUESTER.openid } })).toBe(
      'FAILED_PRECONDITION',
    );
  });

  it('a claim from the hall needs the skill, and is not for the requester or one who passed it over', () => {
    const claimer = WHO.areaVolunteer;
    expect(refused('accept', order('open'), caller(claimer, ['areaVolunteer'], ['law']), {})).toBe('FORBIDDEN');
    expect(refused('accept', order('open'), caller(REQUESTER, ['requester', 'areaVolunteer']), {})).toBe('FORBIDDEN');
    const passed = order('open', { passedOver: [claimer.openid] });
    expect(refused('accept', passed, caller(claimer, ['areaVolunteer']), {})).toBe('FORBIDDEN');
  });

  it('reopening is allowed only within reopenDays of the fulfilment', () => {
    const requester = caller(REQUESTER, ['requester']);
    const late = at(1 + S.reopenDays * 24 + 1);
    expect(refused('reopen', order('closed'), requester, INPUT.reopen, late)).toBe('FORBIDDEN');
    expect(refused('reopen', order('closed'), requester, INPUT.reopen, at(1 + S.reopenDays * 24 - 1))).toBe('changed');
  });
});

describe('who stands how to an order, and what they see', () => {
  const viewer = (openid: string, over: object = {}) => ({
    openid,
    roles: [],
    volunteerAreas: [] as string[],
    skills: [] as string[],
    ...over,
  });

  it('relations: requester, assignee, a dispatcher covering its station, a volunteer serving its scope', () => {
    const o = order('accepted');
    expect(relationsTo(o, viewer(REQUESTER.openid))).toEqual(['requester']);
    expect(relationsTo(o, viewer(VOLUNTEER.openid, { volunteerAreas: ['haian-01-001'] }))).toEqual([
      'assignee',
      'areaVolunteer',
    ]);
    const head = viewer('head-1', { roles: [{ role: 'stationHead', orgId: 'haian-01-001', path: [] }] });
    expect(relationsTo(o, head)).toEqual(['dispatcher']);
    const elsewhere = viewer('head-2', { roles: [{ role: 'stationHead', orgId: 'haian-02-001', path: [] }] });
    expect(relationsTo(o, elsewhere)).toEqual([]);
  });

  it('an area volunteer sees an order only while it is open; the people on it always', () => {
    expect(mayView(order('open'), ['areaVolunteer'])).toBe(true);
    expect(mayView(order('accepted'), ['areaVolunteer'])).toBe(false);
    expect(mayView(order('closed'), ['requester'])).toBe(true);
    expect(mayView(order('closed'), [])).toBe(false);
  });

  it('the can list offers exactly the transitions the decisions allow', () => {
    const head = viewer('head-1', { roles: [{ role: 'stationHead', orgId: 'haian-01-001', path: [] }] });
    expect(allowedActions(order('submitted'), head, S, at(3))).toEqual(['review']);
    expect(allowedActions(order('dispatched'), viewer(VOLUNTEER.openid), S, at(3))).toEqual(['accept', 'decline']);
    expect(allowedActions(order('fulfilled'), viewer(REQUESTER.openid), S, at(3))).toEqual(['rate', 'reopen']);
  });
});

describe("the system's steps", () => {
  it('skip: a dispatch not accepted by acceptBy goes back to open, the volunteer passed over', () => {
    const o = order('dispatched', { acceptBy: at(12) });
    expect(skip(o, S, at(11))).toBeNull();
    expect(skip(o, S, at(12))).toMatchObject({
      condition: { status: 'dispatched', acceptBy: at(12), 'assignee.openid': VOLUNTEER.openid },
      set: { status: 'open', assignee: null, acceptBy: null, passedOver: [VOLUNTEER.openid] },
      event: { type: 'skipped', by: 'system' },
      counters: [{ openid: VOLUNTEER.openid, inc: { load: -1 } }],
      offerOn: true,
    });
  });

  it('escalate: past its deadline an order climbs a level, and at the center turns red once', () => {
    const o = order('open', { dueAt: at(48) });
    expect(escalate(o, S, at(47))).toBeNull();
    expect(escalate(o, S, at(49), () => '海安街道')).toMatchObject({
      condition: { status: 'open', level: 'station', dueAt: at(48), overdue: false },
      set: { level: 'institute', ownerOrgId: 'haian-01', dueAt: at(49 + S.sla.institute.takeHours) },
      event: { type: 'escalated', note: '超时未办，已上报到实践所（海安街道）' },
    });
    const center = order('open', { dueAt: at(48), level: 'center', ownerOrgId: 'haian' });
    expect(escalate(center, S, at(49))).toMatchObject({ set: { overdue: true }, event: { type: 'overdue' } });
    expect(escalate({ ...center, overdue: true }, S, at(49))).toBeNull();
    expect(escalate(order('closed', { dueAt: at(48) }), S, at(49))).toBeNull();
  });

  it('autoClose: a fulfilled order nobody rated closes with the automatic stars, counted', () => {
    const o = order('fulfilled', { rateBy: at(1 + S.autoCloseDays * 24) });
    expect(autoClose(o, S, at(S.autoCloseDays * 24))).toBeNull();
    expect(autoClose(o, S, at(2 + S.autoCloseDays * 24))).toMatchObject({
      set: { status: 'closed', rating: { stars: S.autoCloseStars, auto: true } },
      event: { type: 'autoClosed', note: `${S.autoCloseDays}天没有评价，按规定自动完成（${S.autoCloseStars}星）` },
      counters: [{ openid: VOLUNTEER.openid, inc: { ratingSum: S.autoCloseStars, ratingCount: 1 } }],
    });
  });

  it('automatic dispatch: only an open order, to the top candidate, with the reasons', () => {
    const top = { ...VOLUNTEER, reasons: ['服务本村', '会健康服务'] };
    expect(autoDispatchTo(order('submitted'), top, S, at(3))).toBeNull();
    expect(autoDispatchTo(order('open'), top, S, at(3))).toMatchObject({
      set: { status: 'dispatched', assignee: VOLUNTEER },
      event: { type: 'dispatched', by: 'system', byName: '自动派单', note: '自动派给张志愿（服务本村，会健康服务）' },
    });
  });

  it('a new order is submitted at the level its kind starts at, with the review clock running', () => {
    const o = order('submitted');
    expect(o).toMatchObject({ status: 'submitted', level: 'station', ownerOrgId: 'haian-01-001' });
    expect(o.dueAt).toEqual(at(S.sla.station.reviewHours));
    expect(o.events).toEqual([
      { from: null, to: 'submitted', type: 'created', by: REQUESTER.openid, byName: REQUESTER.name, at: T0 },
    ]);
  });
});
