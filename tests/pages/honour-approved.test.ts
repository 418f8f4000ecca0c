/**
 * 补记时长 lists only APPROVED volunteers of the station: a registration still waiting for the station
 * head's review is not offered, and is once approved.
 */
import {
  CLOUD_URL,
  callAs,
  closeAllPages,
  launchAs,
  openPage,
  postJson,
  uniqueName,
  uniqueOpenid,
  waitFor,
} from './harness';

afterEach(() => closeAllPages());

const STATION = 'haian-01-001';

async function openHonour(): Promise<string[]> {
  launchAs('demo-station-head');
  const page = openPage('packages/activity/honour/index');
  await waitFor('the volunteers', page, () => (page.data.people as unknown[]).length > 0);
  const ids = (page.data.people as { openid: string }[]).map((p) => p.openid);
  closeAllPages();
  return ids;
}

test('a registration waiting for review is not offered; approved, it is', async () => {
  const openid = uniqueOpenid('honourvol');
  const { json } = await postJson(`${CLOUD_URL}/_admin/phone-code`, { phone: '13712349876' });
  await callAs(openid, 'user', {
    action: 'registerVolunteer',
    name: uniqueName('志愿者'),
    phoneCode: (json as { code: string }).code,
    skills: ['health'],
    stationIds: [STATION],
  });

  const offered = await openHonour();
  expect(offered).not.toContain(openid);
  const approved = await callAs<{ people: { openid: string }[] }>('demo-station-head', 'user', {
    action: 'listPeople',
    orgId: STATION,
    volunteerStatus: 'active',
  });
  expect(offered).toEqual(approved.people.map((p) => p.openid));

  await callAs('demo-station-head', 'user', { action: 'reviewVolunteer', openid, stationId: STATION, approve: true });
  expect(await openHonour()).toContain(openid);
});
