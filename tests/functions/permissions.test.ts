/**
 * The permission matrix: every action of every function × every role × inside and outside its scope.
 * The expectations are written out here by hand, independently of the guard's own tables, so a change
 * of who-may-do-what anywhere shows up as a failing cell.
 *
 * Scopes: "inside" roles are held at haian-01 (the demo institute) or haian-01-001 (its demo station),
 * "outside" ones at haian-02 / haian-02-001. The center covers everything, so its two columns agree.
 */
import type { Result } from '../../typings/errors';
import { ROLES, type Role } from '../../typings/domain';
import { DEFAULT_ORDER_SETTINGS } from '../../typings/order';
import { startTestCloud, type TestCloud } from '../helpers/localcloud';
import { person } from '../helpers/people';
import { actionsOf } from '../helpers/actions';

let cloud: TestCloud;

beforeAll(async () => {
  cloud = await startTestCloud({ demo: true });
  person(cloud, 'matrix-target', [['villager', 'haian-01-001']], '被任命人');
  await cloud.call(
    'order',
    { action: 'setSettings', settings: { ...DEFAULT_ORDER_SETTINGS, dailyLimit: 50 } },
    'demo-center-admin',
  );
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

type Cell = {
  fn: string;
  /** The request, or a function making a fresh one (an order in the right state for each cell). */
  event: Record<string, unknown> | (() => Promise<Record<string, unknown>>);
  allowed: readonly Role[] | 'all';
  /** Acts on the caller's own scope, not on a target: allowed roles may call it wherever they are. */
  unscoped?: boolean;
};

/** A fresh wish of the demo station, posted by demo-villager: submitted, or approved to open. */
async function freshOrder(open: boolean): Promise<string> {
  const r = await cloud.call<Result<{ id: string }>>(
    'order',
    {
      action: 'create',
      kind: 'wish',
      category: 'health',
      title: '矩阵测试需求',
      content: '权限矩阵测试用的需求',
      requestId: `matrix-${Math.random().toString(36).slice(2, 12)}`,
      acknowledgeSimilar: true,
    },
    'demo-villager',
  );
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  if (open) await cloud.call('order', { action: 'review', id: r.data.id, approve: true }, 'demo-station-head');
  return r.data.id;
}

/** Order actions whose right comes from the caller's relation to the order (requester, assignee) or
 * that act on the caller's own data: the story tests cover them, role by role. */
const BY_RELATION = [
  'order.create',
  'order.similar',
  'order.get',
  'order.hall',
  'order.accept',
  'order.decline',
  'order.fulfil',
  'order.rate',
  'order.cancel',
  'order.reopen',
  'order.messages',
  'order.markRead',
  'order.subscribed',
  'order.settings',
];

const EVERYONE = 'all' as const;
const EDITORS: Role[] = ['stationHead', 'instituteAdmin', 'centerAdmin'];

const MATRIX: Record<string, Cell> = {
  'user.login': { fn: 'user', event: { action: 'login' }, allowed: EVERYONE },
  'user.me': { fn: 'user', event: { action: 'me' }, allowed: EVERYONE },
  'user.bind': { fn: 'user', event: { action: 'bind', stationId: 'haian-01-001', name: '王大妈' }, allowed: EVERYONE },
  'user.registerVolunteer': {
    fn: 'user',
    event: {
      action: 'registerVolunteer',
      name: '刘志愿',
      phone: '13900001111',
      skills: ['health'],
      stationIds: ['haian-01-001'],
    },
    allowed: EVERYONE,
  },
  'user.grantRole stationHead': {
    fn: 'user',
    event: { action: 'grantRole', openid: 'matrix-target', role: 'stationHead', orgId: 'haian-01-001' },
    allowed: ['instituteAdmin'],
  },
  'user.revokeRole stationHead': {
    fn: 'user',
    event: { action: 'revokeRole', openid: 'matrix-target', role: 'stationHead', orgId: 'haian-01-001' },
    allowed: ['instituteAdmin'],
  },
  'user.grantRole instituteAdmin': {
    fn: 'user',
    event: { action: 'grantRole', openid: 'matrix-target', role: 'instituteAdmin', orgId: 'haian-01' },
    allowed: ['centerAdmin'],
  },
  'user.revokeRole instituteAdmin': {
    fn: 'user',
    event: { action: 'revokeRole', openid: 'matrix-target', role: 'instituteAdmin', orgId: 'haian-01' },
    allowed: ['centerAdmin'],
  },
  'user.listPeople': { fn: 'user', event: { action: 'listPeople', orgId: 'haian-01-001' }, allowed: EDITORS },
  'org.get': { fn: 'org', event: { action: 'get', id: 'haian-01-001' }, allowed: EVERYONE },
  'org.tree': { fn: 'org', event: { action: 'tree', id: 'haian-01' }, allowed: EVERYONE },
  'org.nearby': { fn: 'org', event: { action: 'nearby', lat: 32.53, lng: 120.46, radiusM: 2000 }, allowed: EVERYONE },
  'org.nearestStations': {
    fn: 'org',
    event: { action: 'nearestStations', lat: 32.53, lng: 120.46 },
    allowed: EVERYONE,
  },
  'org.search': { fn: 'org', event: { action: 'search', q: '村', level: 'station' }, allowed: EVERYONE },
  'org.create': {
    fn: 'org',
    event: {
      action: 'create',
      parentId: 'haian-01-001',
      name: '矩阵测试书屋',
      location: { lat: 32.53, lng: 120.46 },
      kind: 'library',
    },
    allowed: EDITORS,
  },
  'org.update': {
    fn: 'org',
    event: { action: 'update', id: 'haian-01-001', hours: '每天 8:00-17:00' },
    allowed: EDITORS,
  },
  'order.review': {
    fn: 'order',
    event: async () => ({ action: 'review', id: await freshOrder(false), approve: true }),
    allowed: EDITORS,
  },
  'order.candidates': {
    fn: 'order',
    event: async () => ({ action: 'candidates', id: await freshOrder(true) }),
    allowed: EDITORS,
  },
  'order.dispatch': {
    fn: 'order',
    event: async () => ({ action: 'dispatch', id: await freshOrder(true), volunteer: 'demo-volunteer' }),
    allowed: EDITORS,
  },
  'order.list area': { fn: 'order', event: { action: 'list', scope: 'area' }, allowed: EDITORS, unscoped: true },
  'order.setSettings': {
    fn: 'order',
    event: async () => ({ action: 'setSettings', settings: { ...DEFAULT_ORDER_SETTINGS, dailyLimit: 50 } }),
    allowed: ['centerAdmin'],
  },
  'order.setAutoDispatch': {
    fn: 'order',
    event: { action: 'setAutoDispatch', stationId: 'haian-01-001', on: false },
    allowed: EDITORS,
  },
};

/** Every action the functions expose must have a row: a new action without one fails here. */
it('covers every action of the user, org and order functions', () => {
  const rows = new Set([...Object.keys(MATRIX).map((k) => k.split(' ')[0]), ...BY_RELATION]);
  const actions = ['user', 'org', 'order'].flatMap((fn) => actionsOf(fn).map((a) => `${fn}.${a}`));
  expect(actions.length).toBeGreaterThan(30);
  expect(actions.filter((a) => !rows.has(a))).toEqual([]);
});

const cases = Object.entries(MATRIX).flatMap(([name, cell]) =>
  ROLES.flatMap((role) =>
    (['in', 'out'] as const).map((scope) => {
      const allowed =
        cell.allowed === EVERYONE ||
        (cell.allowed.includes(role) && (scope === 'in' || role === 'centerAdmin' || !!cell.unscoped));
      return { name, cell, role, scope, allowed };
    }),
  ),
);

it.each(cases)('$name as $role ($scope) → $allowed', async ({ name, cell, role, scope, allowed }) => {
  const openid = person(cloud, `m-${name.replace(/[^A-Za-z]/g, '')}-${role}-${scope}`, [[role, HOME[scope][role]]]);
  const event = typeof cell.event === 'function' ? await cell.event() : cell.event;
  const r = await cloud.call<Result<unknown>>(cell.fn, event, openid);
  if (allowed) {
    expect(r).toMatchObject({ ok: true });
  } else {
    expect(r).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: expect.any(String) } });
  }
});
