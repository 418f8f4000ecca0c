/**
 * The permission matrix: every action of every function × every role, inside and outside its scope,
 * and — for actions on an order — the people related to the order (its requester, its assignee, a
 * volunteer of the area). Who is allowed is read from the actions' own declarations (their `access`,
 * and the order machine's TRANSITIONS / VIEWERS for the status a relation acts in); every cell is then
 * checked for real through the gateway: allowed callers succeed, the others get FORBIDDEN.
 *
 * Scopes: "inside" roles are held at haian-01 (the demo institute) or haian-01-001 (its demo station),
 * "outside" ones at haian-02 / haian-02-001. The center covers everything, so its two columns agree.
 */
import type { Result } from '../../typings/errors';
import { DISPATCHER_ROLES, ROLES, type Role } from '../../typings/domain';
import { DEFAULT_ORDER_SETTINGS, type OrderStatus } from '../../typings/order';
import type { OrderAction } from '../../typings/api';
import { startTestCloud, type TestCloud } from '../helpers/localcloud';
import { person, volunteerAt } from '../helpers/people';
import { actionsOf } from '../helpers/actions';
import {
  actsOnOwnScope,
  isDocumentAccess,
  isOpenAccess,
  rolesFor,
  type ActionDef,
} from '../../cloudfunctions/shared/runtime/action';
import { TRANSITIONS, VIEWERS, type OrderRelation } from '../../cloudfunctions/shared/order/domain/machine';
import { main as user } from '../../cloudfunctions/user/index';
import { main as org } from '../../cloudfunctions/org/index';
import { main as order } from '../../cloudfunctions/order/index';

const FUNCTIONS: Record<string, Readonly<Record<string, ActionDef<unknown, unknown>>>> = {
  user: user.actions,
  org: org.actions,
  order: order.actions,
};

let cloud: TestCloud;

beforeAll(async () => {
  cloud = await startTestCloud({ demo: true });
  person(cloud, 'matrix-target', [['villager', 'haian-01-001']], '被任命人');
  // A registration waiting for approval at the demo station: the approval step of the matrix.
  const pending = await cloud.call<Result<unknown>>(
    'user',
    {
      action: 'registerVolunteer',
      name: '待审核',
      phone: '13900002222',
      skills: ['health'],
      stationIds: ['haian-01-001'],
    },
    'matrix-pending',
  );
  if (!pending.ok) throw new Error(JSON.stringify(pending.error));
  // A mistaken point of the demo station, for org.retire (a retired one answers a retry as done).
  const [pt] = cloud.engine.find('orgs', { query: { parentId: 'haian-01-001', level: 'point' }, limit: 1 });
  cloud.engine.insert('orgs', [{ ...pt, _id: 'haian-01-001-90', name: '矩阵测试建错的点', order: 90 }]);
});

afterAll(async () => {
  await cloud.close();
});

const HOME: Record<'in' | 'out', Record<Role, string>> = {
  in: {
    villager: 'haian-01-001',
    volunteer: 'haian-01-001',
    stationHead: 'haian-01-001',
    instituteAdmin: 'haian-01',
    centerAdmin: 'haian',
  },
  out: {
    villager: 'haian-02-001',
    volunteer: 'haian-02-001',
    stationHead: 'haian-02-001',
    instituteAdmin: 'haian-02',
    centerAdmin: 'haian',
  },
};

/** A request to an action that acts on no order. */
type Row = {
  event: Record<string, unknown>;
  /** Allowed callers may be told to take a step first (bind, register) — never FORBIDDEN. */
  precondition?: boolean;
};

/** A request on an order of the demo station, and the status the order must be in for a relation. */
type OrderRow = {
  event: (id: string) => Record<string, unknown>;
  statusFor(relation: OrderRelation | null): OrderStatus;
};

const ROWS: Record<string, Row> = {
  'user.login': { event: { action: 'login' } },
  'user.me': { event: { action: 'me' } },
  'user.bind': { event: { action: 'bind', stationId: 'haian-01-001', name: '王大妈' } },
  // Anyone signed in; only the head of a household has a request to answer (the others are told so).
  'user.answerJoin': { event: { action: 'answerJoin', openid: 'matrix-target', approve: false }, precondition: true },
  'user.registerVolunteer': {
    event: {
      action: 'registerVolunteer',
      name: '刘志愿',
      phone: '13900001111',
      skills: ['health'],
      stationIds: ['haian-01-001'],
    },
  },
  'user.pendingVolunteers': { event: { action: 'pendingVolunteers', stationId: 'haian-01-001' } },
  'user.reviewVolunteer': {
    event: { action: 'reviewVolunteer', openid: 'matrix-pending', stationId: 'haian-01-001', approve: true },
  },
  'user.grantRole stationHead': {
    event: { action: 'grantRole', openid: 'matrix-target', role: 'stationHead', orgId: 'haian-01-001' },
  },
  'user.revokeRole stationHead': {
    event: { action: 'revokeRole', openid: 'matrix-target', role: 'stationHead', orgId: 'haian-01-001' },
  },
  'user.grantRole instituteAdmin': {
    event: { action: 'grantRole', openid: 'matrix-target', role: 'instituteAdmin', orgId: 'haian-01' },
  },
  'user.revokeRole instituteAdmin': {
    event: { action: 'revokeRole', openid: 'matrix-target', role: 'instituteAdmin', orgId: 'haian-01' },
  },
  'user.listPeople': { event: { action: 'listPeople', orgId: 'haian-01-001' } },
  'user.listPeople own scope': { event: { action: 'listPeople' } },
  'user.myData': { event: { action: 'myData' } },
  'user.myData one list': { event: { action: 'myData', list: 'requested', page: 1 } },
  // Anyone closes their own account; the last center admin is told to appoint another first.
  'user.close': { event: { action: 'close', confirm: true }, precondition: true },
  'org.get': { event: { action: 'get', id: 'haian-01-001' } },
  'org.tree': { event: { action: 'tree', id: 'haian-01' } },
  'org.nearby': { event: { action: 'nearby', lat: 32.53, lng: 120.46, radiusM: 2000 } },
  'org.nearestStations': { event: { action: 'nearestStations', lat: 32.53, lng: 120.46 } },
  'org.search': { event: { action: 'search', q: '村', level: 'station' } },
  'org.create': {
    event: {
      action: 'create',
      parentId: 'haian-01-001',
      name: '矩阵测试书屋',
      location: { lat: 32.53, lng: 120.46 },
      kind: 'library',
    },
  },
  'org.retire': { event: { action: 'retire', parentId: 'haian-01-001', id: 'haian-01-001-90', reason: '矩阵测试' } },
  'org.update': { event: { action: 'update', id: 'haian-01-001', hours: '每天 8:00-17:00' } },
  'order.create': {
    event: {
      action: 'create',
      kind: 'wish',
      category: 'health',
      title: '矩阵测试需求',
      content: '权限矩阵测试用的需求',
      requestId: 'matrix-create-0001',
      acknowledgeSimilar: true,
    },
    precondition: true,
  },
  'order.similar': { event: { action: 'similar', category: 'health' }, precondition: true },
  'order.hall': { event: { action: 'hall' }, precondition: true },
  'order.list mine': { event: { action: 'list', scope: 'mine' } },
  'order.list assigned': { event: { action: 'list', scope: 'assigned' } },
  'order.list area': { event: { action: 'list', scope: 'area' } },
  'order.counts': { event: { action: 'counts' } },
  'order.settings': { event: { action: 'settings' } },
  'order.setSettings': {
    event: { action: 'setSettings', settings: { ...DEFAULT_ORDER_SETTINGS, dailyLimit: 50 } },
  },
  'order.setAutoDispatch': { event: { action: 'setAutoDispatch', stationId: 'haian-01-001', on: false } },
  'order.messages': { event: { action: 'messages' } },
  'order.markRead': { event: { action: 'markRead', ids: ['no-such-message'] } },
  'order.reveals': { event: { action: 'reveals', stationId: 'haian-01-001' } },
  'order.subscribed': { event: { action: 'subscribed', templates: ['progress'] } },
};

/** For a transition, the first status the relation may make it from (any of the transition's otherwise). */
const transition = (act: OrderAction, event: (id: string) => Record<string, unknown>): OrderRow => ({
  event,
  statusFor: (relation) => (relation && TRANSITIONS[act][relation]?.[0]) || Object.values(TRANSITIONS[act]).flat()[0]!,
});

const ORDER_ROWS: Record<string, OrderRow> = {
  'order.get': {
    event: (id) => ({ action: 'get', id }),
    statusFor: (relation) => {
      const statuses = relation ? VIEWERS[relation] : 'any';
      return statuses === 'any' ? 'accepted' : statuses[0];
    },
  },
  'order.candidates': { event: (id) => ({ action: 'candidates', id }), statusFor: () => 'open' },
  'order.review': transition('review', (id) => ({ action: 'review', id, approve: true })),
  'order.dispatch': transition('dispatch', (id) => ({ action: 'dispatch', id, volunteer: 'demo-volunteer' })),
  'order.accept': transition('accept', (id) => ({ action: 'accept', id })),
  'order.decline': transition('decline', (id) => ({ action: 'decline', id, reason: '这几天去不了' })),
  'order.fulfil': transition('fulfil', (id) => ({ action: 'fulfil', id, note: '已经办好了' })),
  'order.rate': transition('rate', (id) => ({ action: 'rate', id, stars: 5 })),
  'order.cancel': transition('cancel', (id) => ({ action: 'cancel', id })),
  'order.reopen': transition('reopen', (id) => ({ action: 'reopen', id, reason: '其实没有办好' })),
  'order.urge': { event: (id) => ({ action: 'urge', id, requestId: 'matrix-urge-0001' }), statusFor: () => 'accepted' },
};

const call = (fn: string, event: Record<string, unknown>, openid: string) =>
  cloud.call<Result<{ id: string }>>(fn, event, openid);

async function ok(fn: string, event: Record<string, unknown>, openid: string): Promise<{ id: string }> {
  const r = await call(fn, event, openid);
  if (!r.ok) throw new Error(`${String(event.action)} as ${openid}: ${JSON.stringify(r.error)}`);
  return r.data;
}

const STEPS: OrderStatus[] = ['submitted', 'open', 'dispatched', 'accepted', 'fulfilled', 'closed'];

/** A fresh wish of the demo station by `requester`, taken to `status` (with `assignee` as its volunteer). */
async function orderIn(status: OrderStatus, requester: string, assignee: string): Promise<string> {
  const { id } = await ok(
    'order',
    {
      action: 'create',
      kind: 'wish',
      category: 'health',
      title: '矩阵测试需求',
      content: '权限矩阵测试用的需求',
      requestId: `matrix-${requester}`,
      acknowledgeSimilar: true,
    },
    requester,
  );
  const steps: [string, Record<string, unknown>][] = [
    ['demo-station-head', { action: 'review', id, approve: true }],
    ['demo-station-head', { action: 'dispatch', id, volunteer: assignee }],
    [assignee, { action: 'accept', id }],
    [assignee, { action: 'fulfil', id, note: '已经办好了' }],
    [requester, { action: 'rate', id, stars: 5 }],
  ];
  for (const [who, event] of steps.slice(0, STEPS.indexOf(status))) await ok('order', event, who);
  return id;
}

const [fnOf, actionOf] = [(key: string) => key.split('.')[0], (key: string) => key.split(/[. ]/)[1]];
const accessOf = (key: string) => FUNCTIONS[fnOf(key)][actionOf(key)].access;

/** Every action the functions expose must have a row: a new action without one fails here. */
it('covers every action of the user, org and order functions', () => {
  const rows = new Set([...Object.keys(ROWS), ...Object.keys(ORDER_ROWS)].map((k) => k.split(' ')[0]));
  const actions = ['user', 'org', 'order'].flatMap((fn) => actionsOf(fn).map((a) => `${fn}.${a}`));
  expect(actions.length).toBeGreaterThan(30);
  expect(actions.filter((a) => !rows.has(a))).toEqual([]);
  // The order rows are exactly the actions declared on an order.
  const onOrder = Object.keys(ORDER_ROWS).filter((k) => isDocumentAccess(accessOf(k)));
  expect(onOrder).toEqual(Object.keys(ORDER_ROWS));
});

/** A transition's declared callers are the relations the order machine lets make it (its `can` list agrees). */
it('declares each order transition for the relations the machine allows it', () => {
  for (const act of Object.keys(TRANSITIONS) as OrderAction[]) {
    const access = accessOf(`order.${act}`);
    expect(isDocumentAccess(access) && [...access.as].sort()).toEqual(Object.keys(TRANSITIONS[act]).sort());
  }
});

/** Whether a role holder may call a row's action, read from its declared access. */
function allowedFor(key: string, event: Record<string, unknown>, role: Role, scope: 'in' | 'out'): boolean {
  const access = accessOf(key);
  if (isOpenAccess(access)) return true;
  if (isDocumentAccess(access)) throw new Error(`${key} acts on an order: it belongs in ORDER_ROWS`);
  const roles = rolesFor(access, event);
  if (roles.length === 0) return true;
  return roles.includes(role) && (scope === 'in' || role === 'centerAdmin' || actsOnOwnScope(access, event));
}

const roleCases = Object.entries(ROWS).flatMap(([key, row]) =>
  ROLES.flatMap((role) =>
    (['in', 'out'] as const).map((scope) => ({
      key,
      row,
      role,
      scope,
      allowed: allowedFor(key, row.event, role, scope),
    })),
  ),
);

const expectAnswer = (r: Result<unknown>, allowed: boolean, precondition = false) => {
  if (!allowed) expect(r).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: expect.any(String) } });
  else if (precondition && !r.ok) expect(r.error.code).toBe('FAILED_PRECONDITION');
  else expect(r).toMatchObject({ ok: true });
};

it.each(roleCases)('$key as $role ($scope) → $allowed', async ({ key, row, role, scope, allowed }) => {
  const openid = person(cloud, `m-${key.replace(/[^A-Za-z]/g, '')}-${role}-${scope}`, [[role, HOME[scope][role]]]);
  expectAnswer(await call(fnOf(key), row.event, openid), allowed, row.precondition);
});

type OrderCaller = { role: Role; scope: 'in' | 'out' } | { relation: 'requester' | 'assignee' | 'areaVolunteer' };

/** How each caller of the matrix stands to a wish of the demo station (the test's own statement). */
function relationsOf(c: OrderCaller): OrderRelation[] {
  if ('relation' in c) return c.relation === 'assignee' ? ['assignee', 'areaVolunteer'] : [c.relation];
  return DISPATCHER_ROLES.includes(c.role) && (c.scope === 'in' || c.role === 'centerAdmin') ? ['dispatcher'] : [];
}

const ORDER_CALLERS: OrderCaller[] = [
  ...ROLES.flatMap((role) => (['in', 'out'] as const).map((scope) => ({ role, scope }))),
  { relation: 'requester' },
  { relation: 'assignee' },
  { relation: 'areaVolunteer' },
];

const orderCases = Object.entries(ORDER_ROWS)
  .flatMap(
    ([key, row]) =>
      ORDER_CALLERS.map((caller) => {
        const access = accessOf(key);
        const relations = relationsOf(caller);
        const declared = isDocumentAccess(access) ? access.as : [];
        const acting = relations.find((r) => declared.includes(r)) ?? relations[0] ?? null;
        const status = row.statusFor(acting);
        const name = 'relation' in caller ? caller.relation : `${caller.role} (${caller.scope})`;
        return { key, row, caller, name, status, allowed: relations.some((r) => declared.includes(r)) };
      }),
    // An order waiting for a volunteer has no assignee to ask.
  )
  .filter((c) => !('relation' in c.caller && c.caller.relation === 'assignee' && STEPS.indexOf(c.status) < 2));

it.each(orderCases)('$key on a $status order as $name → $allowed', async ({ key, row, caller, status, allowed }) => {
  const tag = `${actionOf(key)}-${'relation' in caller ? caller.relation : `${caller.role}-${caller.scope}`}`;
  const requester = person(cloud, `mr-${tag}`, [['villager', 'haian-01-001']], '矩阵群众');
  const assignee = volunteerAt(cloud, `mv-${tag}`, 'haian-01-001', ['health'], '矩阵志愿者');
  const id = await orderIn(status, requester, assignee);
  const openid =
    'relation' in caller
      ? { requester, assignee, areaVolunteer: volunteerAt(cloud, `ma-${tag}`, 'haian-01-001', ['health']) }[
          caller.relation
        ]
      : person(cloud, `mo-${tag}`, [[caller.role, HOME[caller.scope][caller.role]]]);
  expectAnswer(await call('order', row.event(id), openid), allowed);
});
