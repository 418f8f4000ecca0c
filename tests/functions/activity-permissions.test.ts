/**
 * Who may call each activity action: every action × every role × inside and outside its scope. The
 * expectations are written here by hand, apart from the declarations, so a change of who-may-do-what
 * shows up as a failing cell. Inside: haian-01 / haian-01-001 (the demo institute and station, where
 * the activities are); outside: haian-02 / haian-02-001. The center covers both.
 */
import type { Result } from '../../typings/errors';
import { ROLES, type Role } from '../../typings/domain';
import { shanghaiDay } from '../../typings/time';
import { startTestCloud, type TestCloud } from '../helpers/localcloud';
import { person, volunteerAt } from '../helpers/people';
import { actionsOf } from '../helpers/actions';
import { activityClient, VOLUNTEER } from '../helpers/activities';

let cloud: TestCloud;
let act: ReturnType<typeof activityClient>;
let shared: string;
let honourId: string;
let certCode: string;
let seq = 0;
const now = () => new Date(cloud.clock.now());
const fresh = () => `perm-${(seq += 1)}-${Math.random().toString(36).slice(2, 10)}`;

beforeAll(async () => {
  cloud = await startTestCloud({ demo: true });
  act = activityClient(cloud);
  shared = await act.create(now(), { audience: 'all' });
  const honour = await act.ok(
    act.call('demo-station-head', {
      action: 'addHonour',
      openid: VOLUNTEER,
      orgId: 'haian-01-001',
      minutes: 60,
      title: '值守',
      reason: '矩阵测试',
      requestId: 'perm-honour-0001',
    }),
  );
  honourId = honour.id;
  const day = shanghaiDay(now());
  certCode = (await act.ok(act.call(VOLUNTEER, { action: 'certificate', from: day, to: day }))).code;
});

afterAll(async () => {
  await cloud.close();
});

/** Where each role is held: inside is institute haian-01 and its station 001, outside haian-02's. */
const HOME = (scope: 'in' | 'out', role: Role): string => {
  const institute = scope === 'in' ? 'haian-01' : 'haian-02';
  if (role === 'centerAdmin') return 'haian';
  return role === 'instituteAdmin' ? institute : `${institute}-001`;
};

type Event = Record<string, unknown>;
type Cell = { event: Event | (() => Promise<Event>); allowed: readonly Role[] | 'all' };
const ALL = 'all' as const;
const ORGANISERS: Role[] = ['stationHead', 'instituteAdmin', 'centerAdmin'];

/** A check-in from 5 km away, waiting for review. */
async function pendingCheckin(): Promise<string> {
  const id = await act.create(now(), {}, 20);
  const v = volunteerAt(cloud, fresh().replace(/-/g, '_'), 'haian-01-001');
  await act.ok(act.call(v, { action: 'signup', id }));
  const point = cloud.engine.find('orgs', { query: { _id: 'haian-01-001-01' } })[0] as { lat: number; lng: number };
  await act.ok(act.scan(v, await act.scene(id), { location: { lat: point.lat + 0.045, lng: point.lng } }));
  return `${id}:${v}`;
}

/** Actions on the caller's own data that need data of their own to succeed: the story test has them. */
const BY_RELATION = ['activity.certificate', 'activity.certificatePdf'];

const MATRIX: Record<string, Cell> = {
  create: {
    event: () =>
      Promise.resolve({
        action: 'create',
        pointId: 'haian-01-001-01',
        title: '矩阵活动',
        category: 'arts',
        startAt: new Date(now().getTime() + 3_600_000).toISOString(),
        endAt: new Date(now().getTime() + 7_200_000).toISOString(),
        capacity: 5,
        signupRequired: true,
      }),
    allowed: ORGANISERS,
  },
  edit: { event: () => Promise.resolve({ action: 'edit', id: shared, description: fresh() }), allowed: ORGANISERS },
  cancel: {
    event: async () => ({ action: 'cancel', id: await act.create(now()), reason: '矩阵测试' }),
    allowed: ORGANISERS,
  },
  get: { event: () => Promise.resolve({ action: 'get', id: shared }), allowed: ALL },
  list: { event: { action: 'list', scope: 'mine' }, allowed: ALL },
  signup: { event: () => Promise.resolve({ action: 'signup', id: shared }), allowed: ALL },
  cancelSignup: { event: () => Promise.resolve({ action: 'cancelSignup', id: shared }), allowed: ALL },
  roster: { event: () => Promise.resolve({ action: 'roster', id: shared }), allowed: ORGANISERS },
  code: { event: () => Promise.resolve({ action: 'code', id: shared }), allowed: ORGANISERS },
  scan: { event: { action: 'scan', scene: 'p.haian-01-001-01' }, allowed: ALL },
  review: {
    event: async () => ({ action: 'review', checkinId: await pendingCheckin(), accept: true }),
    allowed: ORGANISERS,
  },
  hours: { event: { action: 'hours' }, allowed: ALL },
  totals: { event: { action: 'totals', orgId: 'haian-01-001' }, allowed: ORGANISERS },
  addHonour: {
    event: () =>
      Promise.resolve({
        action: 'addHonour',
        openid: VOLUNTEER,
        orgId: 'haian-01-001',
        minutes: 30,
        title: '值守',
        reason: '矩阵测试',
        requestId: fresh(),
      }),
    allowed: ORGANISERS,
  },
  correct: {
    event: () =>
      Promise.resolve({ action: 'correct', recordId: honourId, minutes: -1, reason: '矩阵', requestId: fresh() }),
    allowed: ORGANISERS,
  },
  certificates: { event: { action: 'certificates' }, allowed: ALL },
  verifyCertificate: { event: () => Promise.resolve({ action: 'verifyCertificate', code: certCode }), allowed: ALL },
};

it('covers every action of the activity function', () => {
  const rows = new Set([...Object.keys(MATRIX).map((a) => `activity.${a}`), ...BY_RELATION]);
  const actions = actionsOf('activity').map((a) => `activity.${a}`);
  expect(actions.length).toBeGreaterThan(15);
  expect(actions.filter((a) => !rows.has(a))).toEqual([]);
});

const cases = Object.entries(MATRIX).flatMap(([name, cell]) =>
  ROLES.flatMap((role) =>
    (['in', 'out'] as const).map((scope) => ({
      name,
      cell,
      role,
      scope,
      allowed: cell.allowed === ALL || (cell.allowed.includes(role) && (scope === 'in' || role === 'centerAdmin')),
    })),
  ),
);

it.each(cases)('activity.$name as $role ($scope) → $allowed', async ({ name, cell, role, scope, allowed }) => {
  const openid = person(cloud, `a-${name}-${role}-${scope}`, [[role, HOME(scope, role)]]);
  const event = typeof cell.event === 'function' ? await cell.event() : cell.event;
  const r = await cloud.call<Result<unknown>>('activity', event, openid);
  if (allowed) expect(r).toMatchObject({ ok: true });
  else expect(r).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: expect.any(String) } });
});
