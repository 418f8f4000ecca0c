/**
 * People lists by volunteer status: a station head choosing whom to credit honour hours lists only
 * APPROVED volunteers (volunteerStatus 'active'); a registration waiting for review is listed under
 * 'pending' until it is approved, and then under 'active'. The filter is read from the registrations,
 * within the caller's scope like every people list.
 */
import type { UserApi } from '../../typings/api';
import type { Result } from '../../typings/errors';
import { startTestCloud, type TestCloud } from '../helpers/localcloud';

let cloud: TestCloud;

beforeAll(async () => {
  cloud = await startTestCloud({ demo: true });
});

afterAll(async () => {
  await cloud.close();
});

const user = <A extends keyof UserApi>(openid: string, event: { action: A } & UserApi[A]['req']) =>
  cloud.call<Result<UserApi[A]['res']>>('user', event, openid);
const ok = <T>(r: Result<T>): T => {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.data;
};

/** Every page of the list, as openids, and the total it reports. */
async function all(openid: string, req: UserApi['listPeople']['req']): Promise<{ ids: string[]; total: number }> {
  const ids: string[] = [];
  let page: number | null = 0;
  let total = 0;
  while (page !== null) {
    const r: UserApi['listPeople']['res'] = ok(await user(openid, { action: 'listPeople', ...req, page }));
    ids.push(...r.people.map((p) => p.openid));
    total = r.total;
    page = r.nextPage;
  }
  return { ids, total };
}

/** The volunteers of a station in a status, read straight from the stored registrations. */
const stored = (stationId: string, status: string) =>
  (cloud.engine.find('volunteers', { query: { areas: stationId, status }, limit: 100000 }) as { _id: string }[])
    .map((v) => v._id)
    .sort();

test('only approved volunteers under active; a registration moves from pending to active when approved', async () => {
  const station = 'haian-01-001';
  const code = (
    (await cloud.post('/_admin/phone-code', JSON.stringify({ phone: '13712340001' }))).json as { code: string }
  ).code;
  ok(
    await user('status-new-vol', {
      action: 'registerVolunteer',
      name: '钱立新',
      phoneCode: code,
      skills: ['health'],
      stationIds: [station],
    }),
  );

  const active = await all('demo-station-head', { orgId: station, volunteerStatus: 'active' });
  expect(active.ids.sort()).toEqual(stored(station, 'active'));
  expect(active.total).toBe(active.ids.length);
  expect(active.ids).not.toContain('status-new-vol');
  expect(active.ids.length).toBeGreaterThan(0);
  // The role alone lists every registration, the waiting one too: the filter is what leaves it out.
  expect((await all('demo-station-head', { orgId: station, role: 'volunteer' })).ids).toContain('status-new-vol');

  const pending = await all('demo-station-head', { orgId: station, volunteerStatus: 'pending' });
  expect(pending.ids.sort()).toEqual(stored(station, 'pending'));
  expect(pending.ids).toContain('status-new-vol');

  ok(
    await user('demo-station-head', {
      action: 'reviewVolunteer',
      openid: 'status-new-vol',
      stationId: station,
      approve: true,
    }),
  );
  expect((await all('demo-station-head', { orgId: station, volunteerStatus: 'active' })).ids).toContain(
    'status-new-vol',
  );
  expect((await all('demo-station-head', { orgId: station, volunteerStatus: 'pending' })).ids).not.toContain(
    'status-new-vol',
  );
  // Searching by name narrows it as before.
  expect((await all('demo-station-head', { orgId: station, volunteerStatus: 'active', q: '钱立' })).ids).toEqual([
    'status-new-vol',
  ]);
});

test('the filter stays in scope and goes with volunteers only', async () => {
  expect(
    await user('demo-station-head', { action: 'listPeople', orgId: 'haian-02-001', volunteerStatus: 'active' }),
  ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  expect(
    await user('demo-station-head', { action: 'listPeople', role: 'stationHead', volunteerStatus: 'active' }),
  ).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
  expect(await user('demo-station-head', { action: 'listPeople', volunteerStatus: 'approved' as never })).toMatchObject(
    { ok: false, error: { code: 'INVALID_ARGUMENT' } },
  );
});
