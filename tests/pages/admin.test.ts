/**
 * The admin subpackage as the demo county's people use it: 李站长 lists the people of 凤山村 (search by
 * name, filter by role, page by page, volunteers' phones in full); 王所长 appoints a villager station
 * head of their own village and revokes it again; 陈主任 may appoint institute admins at the 17
 * institutes; a station head may appoint nobody.
 */
import type { Me, Person } from '../../typings/api';
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
  type SimNode,
  type SimPage,
} from './harness';
import { callsTo, device, queryOf, requests, routeOf } from './wx-fake';

afterEach(() => closeAllPages());

const peopleRequests = () =>
  requests.filter((r) => (r.data as { action?: string }).action === 'listPeople').map((r) => r.data);

const rows = (page: SimPage) => page.querySelectorAll('.wm-people__person');
const text = (node: SimNode) => node.dom?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

async function openPeopleAs(openid: string): Promise<SimPage> {
  launchAs(openid);
  const page = openPage('packages/admin/people/index');
  await waitFor('the list', page, () => exists(page, '#people'));
  return page;
}

describe('the station head lists the people of 凤山村', () => {
  test('a page of 20, all of 凤山村, without 任命 buttons', async () => {
    const page = await openPeopleAs('demo-station-head');

    await waitFor('the title', page, () => textOf(page, '.wm-card__title') === '凤山村的人员');
    expect(rows(page).length).toBe(20);
    for (const row of rows(page)) {
      // Every one belongs to 凤山村: bound there, or a volunteer serving it.
      const t = text(row);
      expect(t.includes('凤山村') || t.includes('志愿者')).toBe(true);
    }
    expect(
      page
        .querySelectorAll('.wm-people__action')
        .map(text)
        .filter((t) => t === '任命'),
    ).toEqual([]);
    expect(peopleRequests()).toEqual([{ action: 'listPeople' }]);
  });

  test('search by name finds 赵桂英 with her role and village', async () => {
    const page = await openPeopleAs('demo-station-head');

    typeInto(page, '#people-query', '赵桂英');
    tap(page, '#people-search');

    await waitFor('the search result', page, () => rows(page).length === 1 && exists(page, '#person-demo-villager'));
    expect(textOf(page, '#person-demo-villager')).toBe('赵桂英凤山村群众');
    expect(peopleRequests().at(-1)).toEqual({ action: 'listPeople', q: '赵桂英' });
  });

  test('a station head reads with the station they run, so two heads of two villages read apart', async () => {
    launchAs('demo-institute-admin');
    const page = openPage('packages/admin/people/index');
    await waitFor('the search box', page, () => exists(page, '#people-query'));

    typeInto(page, '#people-query', '李站长');
    tap(page, '#people-search');

    await waitFor('the head', page, () => exists(page, '#person-demo-station-head'));
    await waitFor('the role with its place', page, () =>
      textOf(page, '#person-demo-station-head')?.includes('站长 · 凤山村'),
    );
  });

  test('the 志愿者 filter lists only volunteers, with the phones the head may call', async () => {
    const page = await openPeopleAs('demo-station-head');

    tap(page, '#filter-volunteer');

    await waitFor(
      'the volunteers',
      page,
      () => exists(page, '#filter-volunteer.wm-chip--on') && exists(page, '#person-demo-volunteer'),
    );
    expect(peopleRequests().at(-1)).toEqual({ action: 'listPeople', role: 'volunteer' });
    for (const row of rows(page)) expect(text(row)).toContain('志愿者');
    expect(textOf(page, '#person-demo-volunteer')).toContain('13800000001');
    expect(textOf(page, '#person-demo-volunteer')).toContain('打电话');
  });

  test('看更多 appends the next page, no one twice', async () => {
    const page = await openPeopleAs('demo-station-head');
    await waitFor('more to see', page, () => exists(page, '#people-more'));

    tap(page, '#people-more');

    await waitFor('the second page', page, () => rows(page).length > 20);
    expect(peopleRequests().at(-1)).toEqual({ action: 'listPeople', page: 1 });
    const openids = (page.data as { people: { openid: string }[] }).people.map((p) => p.openid);
    expect(openids.length).toBe(rows(page).length);
    expect(new Set(openids).size).toBe(openids.length);
  });

  test('a station head may appoint nobody', async () => {
    launchAs('demo-station-head');
    const page = openPage('packages/admin/appoint/index');

    await waitFor('the refusal', page, () => exists(page, '#forbidden'));
    expect(textOf(page, '#forbidden')).toBe('只有所长和中心管理员能任命站长、所长。');
  });

  test('a villager may not see the list', async () => {
    launchAs('demo-villager');
    const page = openPage('packages/admin/people/index');

    await waitFor('the refusal', page, () => exists(page, '#forbidden'));
    expect(textOf(page, '#forbidden')).toBe('只有站长、所长和中心管理员能看人员名单。');
    expect(peopleRequests()).toEqual([]);
  });
});

describe('the institute admin appoints a station head', () => {
  test('from the people list: picks the villager, then 站长 and the village (nothing is chosen for the admin), 确认任命 confirmed in words; then 撤销', async () => {
    const openid = uniqueOpenid('appointee');
    const name = uniqueName('冯');
    await callAs<Me>(openid, 'user', { action: 'bind', stationId: 'haian-01-002', name });
    const village = (await callAs<{ name: string }>(openid, 'org', { action: 'get', id: 'haian-01-002' })).name.replace(
      '新时代文明实践站',
      '',
    );

    const list = await openPeopleAs('demo-institute-admin');
    typeInto(list, '#people-query', name);
    tap(list, '#people-search');
    await waitFor('the villager found', list, () => rows(list).length === 1 && exists(list, `#appoint-${openid}`));
    tap(list, `#appoint-${openid}`);
    await waitFor('the appointment page', list, () => callsTo('navigateTo').length === 1);
    const url = String(callsTo('navigateTo')[0].url);
    expect(routeOf(url)).toBe('packages/admin/appoint/index');

    const page = openPage(routeOf(url), queryOf(url));
    await waitFor('the appointment form', page, () => exists(page, '#step-role') && exists(page, '#nodes-hint'));
    expect(textOf(page, '#person-name')).toBe(name);
    // An institute admin may appoint station heads only, at the stations of their town; nothing is
    // chosen for them, not even the only role or the person's own village.
    expect(page.querySelectorAll('.wm-chip').map(text)).toEqual(['站长']);
    expect(exists(page, '.wm-chip--on')).toBe(false);
    tap(page, '#role-stationHead');
    await waitFor('the stations', page, () => exists(page, '#node-haian-01-002'));
    expect(page.querySelectorAll('#nodes .wm-item')).toHaveLength(28);
    expect(exists(page, '.wm-item--chosen')).toBe(false);
    expect(exists(page, '#node-haian-02-001')).toBe(false);
    tap(page, '#node-haian-01-002');
    await waitFor('the choice', page, () => exists(page, '#node-haian-01-002.wm-item--chosen'));

    tap(page, '#grant');

    await waitFor('the appointment', page, () => exists(page, '#appoint-notice'));
    // Said in words before it happened: who, what, where, and what the role may do.
    expect(callsTo('showModal')).toHaveLength(1);
    expect(callsTo('showModal')[0]).toMatchObject({ title: '确认任命', confirmText: '任命', cancelText: '不任命' });
    expect(String(callsTo('showModal')[0].content)).toMatch(
      new RegExp(`^任命 ${name} 为 ${village} 站长？任命以后，可以审核`),
    );
    expect(textOf(page, '#appoint-notice')).toBe(`已任命 ${name} 为 ${village} 站长。`);
    await waitFor('the new role listed', page, () => exists(page, '#revoke-stationHead-haian-01-002'));
    let person = await callAs<Me>(openid, 'user', { action: 'me' });
    expect(person.roles).toEqual(
      expect.arrayContaining([
        { role: 'villager', orgId: 'haian-01-002' },
        { role: 'stationHead', orgId: 'haian-01-002' },
      ]),
    );

    tap(page, '#revoke-stationHead-haian-01-002');

    await waitFor('the revocation', page, () => textOf(page, '#appoint-notice')?.startsWith('已撤销'));
    expect(callsTo('showModal')).toHaveLength(2);
    expect(callsTo('showModal')[1]).toMatchObject({ title: '确认撤销' });
    expect(exists(page, '#revoke-stationHead-haian-01-002')).toBe(false);
    person = await callAs<Me>(openid, 'user', { action: 'me' });
    expect(person.roles).toEqual([{ role: 'villager', orgId: 'haian-01-002' }]);
  });

  test('someone outside the town is not found', async () => {
    const openid = uniqueOpenid('outsider');
    const name = uniqueName('褚');
    await callAs<Me>(openid, 'user', { action: 'bind', stationId: 'haian-02-001', name });
    launchAs('demo-institute-admin');
    const page = openPage('packages/admin/appoint/index');
    await waitFor('the search', page, () => exists(page, '#step-person'));

    typeInto(page, '#appoint-query', name);
    tap(page, '#appoint-search');

    await waitFor('the answer', page, () => exists(page, '#appoint-none'));
    expect(textOf(page, '#appoint-none')).toBe('没有找到这个名字的人。');
  });
});

test('the center admin may appoint center admins and institute admins, at the 17 institutes', async () => {
  const openid = uniqueOpenid('candidate');
  const name = uniqueName('蒋');
  await callAs<Me>(openid, 'user', { action: 'bind', stationId: 'haian-03-001', name });
  launchAs('demo-center-admin');
  const page = openPage('packages/admin/appoint/index');
  await waitFor('the search', page, () => exists(page, '#step-person'));

  typeInto(page, '#appoint-query', name);
  tap(page, '#appoint-search');
  await waitFor('the candidate', page, () => exists(page, `#candidate-${openid}`));
  tap(page, `#candidate-${openid}`);
  await waitFor('the form', page, () => exists(page, '#step-role') && exists(page, '#nodes-hint'));

  expect(page.querySelectorAll('.wm-chip').map(text)).toEqual(['中心管理员', '所长']);
  // No role is chosen for them: 确认任命 first asks for one.
  expect(exists(page, '.wm-chip--on')).toBe(false);
  tap(page, '#grant');
  await waitFor('the reminder', page, () => exists(page, '#appoint-error'));
  expect(textOf(page, '#appoint-error')).toBe('请先选任命为什么职务。');
  tap(page, '#role-instituteAdmin');
  await waitFor('the institutes', page, () => exists(page, '#node-haian-01'));
  expect(page.querySelectorAll('#nodes .wm-item')).toHaveLength(17);
  expect(exists(page, '.wm-item--chosen')).toBe(false);

  tap(page, '#grant');
  await waitFor('the reminder', page, () => exists(page, '#appoint-error'));
  expect(textOf(page, '#appoint-error')).toBe('请先选在哪里任职。');
  expect(requests.filter((r) => (r.data as { action?: string }).action === 'grantRole')).toEqual([]);

  tap(page, '#node-haian-03');
  await waitFor('the choice', page, () => exists(page, '#node-haian-03.wm-item--chosen'));
  // Saying no to the confirmation gives nothing.
  device.confirmsModals = false;
  tap(page, '#grant');
  await waitFor('the question', page, () => callsTo('showModal').length === 1);
  expect(String(callsTo('showModal')[0].content)).toMatch(/^任命 .+ 为 .+ 所长？/);
  expect(requests.filter((r) => (r.data as { action?: string }).action === 'grantRole')).toEqual([]);
  device.confirmsModals = true;
  tap(page, '#grant');
  await waitFor('the appointment', page, () => exists(page, '#appoint-notice'));
  await waitFor('the new role listed', page, () => exists(page, '#held-instituteAdmin-haian-03'));
  const people = await callAs<{ people: Person[] }>('demo-center-admin', 'user', {
    action: 'listPeople',
    q: name,
    role: 'instituteAdmin',
  });
  expect(people.people.map((p) => p.openid)).toEqual([openid]);
});
