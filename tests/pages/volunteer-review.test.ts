/**
 * 志愿者审核, as the station head does it: 首页 shows the entry with a red number; the page lists the
 * registrations waiting at their station — name, phone masked, skills, the stations chosen — and each is
 * approved, or declined with a reason (a decline without one is refused in plain words).
 */
import type { Me } from '../../typings/api';
import {
  callAs,
  closeAllPages,
  exists,
  launchAs,
  openPage,
  tap,
  textOf,
  typeInto,
  uniqueName,
  uniqueOpenid,
  waitFor,
} from './harness';
import { requests } from './wx-fake';

const STATION = 'haian-01-001';
const reviews = () =>
  requests.map((r) => r.data as Record<string, unknown>).filter((d) => d.action === 'reviewVolunteer');

afterEach(() => closeAllPages());

async function register(phone: string): Promise<{ openid: string; name: string }> {
  const openid = uniqueOpenid('applicant');
  const name = uniqueName('韩');
  await callAs<Me>(openid, 'user', {
    action: 'registerVolunteer',
    name,
    phone,
    skills: ['health', 'law'],
    stationIds: [STATION, 'haian-01-002'],
  });
  return { openid, name };
}

test('the station head sees waiting registrations on 首页 and approves one, declines another with a reason', async () => {
  const a = await register('13911112222');
  const b = await register('13933334444');

  launchAs('demo-station-head');
  const home = openPage('pages/home/index');
  await waitFor('the 志愿者审核 badge', home, () => exists(home, '#badge-volunteer-review'));
  expect(Number(textOf(home, '#badge-volunteer-review'))).toBeGreaterThanOrEqual(2);
  expect(textOf(home, '#entry-volunteer-review')).toContain('志愿者审核');

  const page = openPage('packages/admin/volunteers/index');
  await waitFor(
    'the registrations',
    page,
    () => exists(page, `#pending-${a.openid}`) && exists(page, `#pending-${b.openid}`),
    // Every waiting registration of the demo station is listed with its stations' names: on a busy
    // machine that takes a while (a deadline, not a measurement).
    30_000,
  );
  const row = textOf(page, `#pending-${a.openid}`) ?? '';
  expect(row).toContain(a.name);
  expect(row).toContain('139****2222');
  expect(row).not.toContain('13911112222');
  expect(row).toContain('凤山村');
  expect(row).toContain('送健康');

  tap(page, `#approve-${a.openid}`);
  await waitFor('the approved one gone', page, () => !exists(page, `#pending-${a.openid}`));

  // A decline needs a reason.
  tap(page, `#decline-${b.openid}`);
  await waitFor('the reason asked for', page, () => exists(page, `#row-error-${b.openid}`));
  expect(textOf(page, `#row-error-${b.openid}`)).toContain('不同意的原因');
  expect(reviews()).toHaveLength(1);
  typeInto(page, `#reason-${b.openid}`, '不是本村的人');
  tap(page, `#decline-${b.openid}`);
  await waitFor('the declined one gone', page, () => !exists(page, `#pending-${b.openid}`));

  const [approved, declined] = await Promise.all(
    [a.openid, b.openid].map((openid) => callAs<Me>(openid, 'user', { action: 'me' })),
  );
  expect(approved.volunteer?.status).toBe('active');
  expect(declined.volunteer?.status).toBe('rejected');
  expect(reviews().slice(-1)[0]).toMatchObject({
    openid: b.openid,
    approve: false,
    reason: '不是本村的人',
  });
});

test('a villager who heads no station is told the page is for station heads', async () => {
  launchAs('demo-villager');
  const page = openPage('packages/admin/volunteers/index');
  await waitFor('the refusal', page, () => exists(page, '#forbidden'));
  expect(textOf(page, '#forbidden')).toContain('只有站长');
});
