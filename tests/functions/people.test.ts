/**
 * People end to end: a villager binds to a village and household and moves; a volunteer registers
 * with a phone from WeChat; appointments within scope; people lists within scope with phones shown
 * only to those who dispatch.
 */
import type { Me, Person, UserApi } from '../../typings/api';
import type { Result } from '../../typings/errors';
import { startTestCloud, type TestCloud } from '../helpers/localcloud';
import { person } from '../helpers/people';
import { HOUSEHOLD_LIMITS } from '../../typings/domain';

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
const phoneCode = async (phone: string) => {
  const r = await cloud.post('/_admin/phone-code', JSON.stringify({ phone }));
  return (r.json as { code: string }).code;
};

describe('binding to a village and household', () => {
  it('binds a new villager to a station and makes them head of a new household', async () => {
    const me = ok(await user('bind-new', { action: 'bind', stationId: 'haian-01-001', name: '孙秀兰' }));
    expect(me).toMatchObject({
      openid: 'bind-new',
      name: '孙秀兰',
      stationId: 'haian-01-001',
      roles: [{ role: 'villager', orgId: 'haian-01-001' }],
      station: { id: 'haian-01-001', path: [{ id: 'haian' }, { id: 'haian-01' }, { id: 'haian-01-001' }] },
      household: {
        headOpenid: 'bind-new',
        headName: '孙秀兰',
        members: [{ openid: 'bind-new', name: '孙秀兰', isHead: true }],
      },
    });
    expect(me.householdId).toMatch(/^\d{8}$/); // 户号: eight digits a villager can read out
    // A retry changes nothing: same household, one binding record.
    const again = ok(await user('bind-new', { action: 'bind', stationId: 'haian-01-001', name: '孙秀兰' }));
    expect(again.householdId).toBe(me.householdId);
    expect(cloud.engine.count('bindings', { openid: 'bind-new' })).toBe(1);
    expect(cloud.engine.count('households', { headOpenid: 'bind-new' })).toBe(1);
  });

  it('joins an existing household of the same village once its head agrees, and refuses one of another village', async () => {
    const head = ok(await user('hh-head', { action: 'bind', stationId: 'haian-01-002', name: '周德明' }));
    const asked = ok(
      await user('hh-member', {
        action: 'bind',
        stationId: 'haian-01-002',
        householdId: head.householdId!,
        name: '周小军',
      }),
    );
    // Bound to the village, heading a household of their own, and waiting for the head.
    expect(asked.joinRequest).toEqual({ householdId: head.householdId, headName: '周德明' });
    expect(asked.householdId).not.toBe(head.householdId);
    expect(cloud.engine.count('households', { _id: head.householdId, 'members.openid': 'hh-member' })).toBe(0);
    // The head sees the request (nobody else does) and agrees.
    const headView = ok(await user('hh-head', { action: 'me' }));
    expect(headView.household!.requests.map((r) => [r.openid, r.name])).toEqual([['hh-member', '周小军']]);
    expect(ok(await user('hh-member', { action: 'me' })).household!.requests).toEqual([]);
    ok(await user('hh-head', { action: 'answerJoin', openid: 'hh-member', approve: true }));
    ok(await user('hh-head', { action: 'answerJoin', openid: 'hh-member', approve: true })); // a retry
    const member = ok(await user('hh-member', { action: 'me' }));
    expect(member.joinRequest).toBeNull();
    expect(member.householdId).toBe(head.householdId);
    expect(member.household!.members.map((m) => [m.name, m.isHead])).toEqual([
      ['周德明', true],
      ['周小军', false],
    ]);
    const wrong = await user('hh-stranger', {
      action: 'bind',
      stationId: 'haian-01-003',
      householdId: head.householdId!,
      name: '吴海燕',
    });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(cloud.engine.count('users', { _id: 'hh-stranger', householdId: head.householdId })).toBe(0);
  });

  it('limits tries of household numbers that lead nowhere, so a number cannot be guessed', async () => {
    for (let i = 0; i < 5; i += 1) {
      expect(
        await user('guesser', {
          action: 'bind',
          stationId: 'haian-01-001',
          householdId: `1234567${i}`,
          name: '猜户号',
        }),
      ).toMatchObject({
        ok: false,
        error: { code: 'NOT_FOUND' },
      });
    }
    expect(
      await user('guesser', { action: 'bind', stationId: 'haian-01-001', householdId: '12345679', name: '猜户号' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'RATE_LIMITED', message: expect.stringMatching(/明天/) },
    });
    expect(cloud.engine.count('households', { 'members.openid': 'guesser' })).toBe(0);
  });

  it('moves village: the old binding is closed and kept, headship passes to the next member', async () => {
    const head = ok(await user('mover', { action: 'bind', stationId: 'haian-01-004', name: '郑国平' }));
    ok(
      await user('stayer', {
        action: 'bind',
        stationId: 'haian-01-004',
        householdId: head.householdId!,
        name: '郑美玲',
      }),
    );
    ok(await user('mover', { action: 'answerJoin', openid: 'stayer', approve: true }));
    const moved = ok(await user('mover', { action: 'bind', stationId: 'haian-02-001', name: '郑国平' }));
    expect(moved.stationId).toBe('haian-02-001');
    expect(moved.roles).toEqual([{ role: 'villager', orgId: 'haian-02-001' }]);
    const history = cloud.engine.find('bindings', { query: { openid: 'mover' }, sort: [['from', 1]] });
    expect(history.map((b) => [b.stationId, b.to === null])).toEqual([
      ['haian-01-004', false],
      ['haian-02-001', true],
    ]);
    const old = ok(await user('stayer', { action: 'me' }));
    expect(old.household).toMatchObject({
      headOpenid: 'stayer',
      headName: '郑美玲',
      members: [{ openid: 'stayer', isHead: true }],
    });
  });

  it('settles two binds of one person at the same moment into one consistent binding', async () => {
    const results = await Promise.all([
      user('racer', { action: 'bind', stationId: 'haian-01-005', name: '钱立新' }),
      user('racer', { action: 'bind', stationId: 'haian-01-006', name: '钱立新' }),
    ]);
    expect(results.some((r) => r.ok)).toBe(true);
    const me = ok(await user('racer', { action: 'me' }));
    const households = cloud.engine.find('households', { query: { 'members.openid': 'racer' } });
    expect(households).toHaveLength(1);
    expect(households[0]._id).toBe(me.householdId);
    expect(households[0].stationId).toBe(me.stationId);
    expect(cloud.engine.count('bindings', { openid: 'racer', to: null })).toBe(1);
  });

  it('refuses a name the content check rejects, and an unknown station, binding nothing', async () => {
    expect(await user('bad-name', { action: 'bind', stationId: 'haian-01-001', name: '赌博王' })).toMatchObject({
      ok: false,
      error: { code: 'CONTENT_REJECTED' },
    });
    expect(await user('bad-name', { action: 'bind', stationId: 'haian-99-001', name: '王五' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(cloud.engine.count('households', { headOpenid: 'bad-name' })).toBe(0);
  });
});

describe('joining a household needs its head', () => {
  const bindTo = (openid: string, householdId: string, name: string, stationId = 'haian-01-007') =>
    user(openid, { action: 'bind', stationId, householdId, name });
  const code = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code);
  /** A household of the village with `n` members, the first its head (written as the store keeps it). */
  const household = (id: string, n: number, head = true) => {
    const members = Array.from({ length: n }, (_v, i) => ({ openid: `${id}-m${i}`, name: `成员${i}` }));
    cloud.engine.insert('households', [
      {
        _id: id,
        stationId: 'haian-01-007',
        headOpenid: head && n > 0 ? members[0].openid : '',
        headName: head && n > 0 ? members[0].name : '',
        members,
        createdAt: new Date(),
        updatedAt: new Date(),
      },
    ]);
    if (n > 0 && head) person(cloud, members[0].openid, [['villager', 'haian-01-007']], members[0].name);
    if (n > 0 && head)
      cloud.engine.update('users', {
        query: { _id: members[0].openid },
        update: { $set: { householdId: id } },
        multi: false,
        upsert: false,
        merge: true,
      });
  };

  it('declined, the asker stays in their own household; only the head may answer', async () => {
    const head = ok(await user('jn-head', { action: 'bind', stationId: 'haian-01-007', name: '冯大山' }));
    ok(await user('jn-wife', { action: 'bind', stationId: 'haian-01-007', name: '冯大嫂' }));
    ok(await user('jn-head', { action: 'answerJoin', openid: 'jn-wife', approve: false })); // nothing asked: nothing to do
    ok(await bindTo('jn-wife', head.householdId!, '冯大嫂'));
    ok(await user('jn-head', { action: 'answerJoin', openid: 'jn-wife', approve: true }));
    ok(await bindTo('jn-stranger', head.householdId!, '陌生人'));
    // A member who is not the head cannot answer; the head declines.
    expect(code(await user('jn-wife', { action: 'answerJoin', openid: 'jn-stranger', approve: true }))).toBe(
      'FAILED_PRECONDITION',
    );
    ok(await user('jn-head', { action: 'answerJoin', openid: 'jn-stranger', approve: false }));
    const stranger = ok(await user('jn-stranger', { action: 'me' }));
    expect(stranger.joinRequest).toBeNull();
    expect(stranger.householdId).not.toBe(head.householdId);
    expect(ok(await user('jn-head', { action: 'me' })).household!.members.map((m) => m.openid)).toEqual([
      'jn-head',
      'jn-wife',
    ]);
  });

  it('refuses a household with no members or no head: nobody is there to agree', async () => {
    household('70000001', 0);
    household('70000002', 2, false);
    for (const id of ['70000001', '70000002']) {
      const r = await bindTo(`jn-empty-${id}`, id, '想加入');
      expect(r).toMatchObject({
        ok: false,
        error: { code: 'FAILED_PRECONDITION', message: expect.stringMatching(/没有户主/) },
      });
      expect(cloud.engine.count('users', { _id: `jn-empty-${id}`, stationId: 'haian-01-007' })).toBe(0);
    }
  });

  it('holds a household to twelve people, even when the head agrees to two at the same moment', async () => {
    household('70000003', HOUSEHOLD_LIMITS.members);
    expect(await bindTo('jn-13th', '70000003', '第十三个')).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION', message: expect.stringMatching(/12个人/) },
    });
    household('70000004', HOUSEHOLD_LIMITS.members - 1);
    ok(await bindTo('jn-a', '70000004', '甲某某'));
    ok(await bindTo('jn-b', '70000004', '乙某某'));
    const answers = await Promise.all(
      ['jn-a', 'jn-b'].map((openid) => user('70000004-m0', { action: 'answerJoin', openid, approve: true })),
    );
    expect(answers.map(code).sort()).toEqual(['FAILED_PRECONDITION', 'ok']);
    const [h] = cloud.engine.find('households', { query: { _id: '70000004' } }) as { members: unknown[] }[];
    expect(h.members).toHaveLength(HOUSEHOLD_LIMITS.members);
  });

  it('keeps at most five requests waiting for one head', async () => {
    household('70000005', 1);
    for (let i = 0; i < HOUSEHOLD_LIMITS.requests; i += 1) ok(await bindTo(`jn-q${i}`, '70000005', '排队的人'));
    expect(code(await bindTo('jn-q-last', '70000005', '排队的人'))).toBe('FAILED_PRECONDITION');
    ok(await bindTo('jn-q0', '70000005', '排队的人')); // asking again is no new request
  });

  const close = (openid: string) => user(openid, { action: 'close', confirm: true });
  const stored = (id: string) =>
    (cloud.engine.find('households', { query: { _id: id } }) as { headOpenid: string; requests?: unknown[] }[])[0];

  it('closing an account withdraws its own request to join another household', async () => {
    const head = ok(await user('cl-head', { action: 'bind', stationId: 'haian-01-007', name: '褚大伯' }));
    ok(await bindTo('cl-asker', head.householdId!, '褚小妹'));
    expect(ok(await user('cl-head', { action: 'me' })).household!.requests.map((r) => r.openid)).toEqual(['cl-asker']);
    ok(await close('cl-asker'));
    ok(await close('cl-asker')); // a retry
    expect(ok(await user('cl-head', { action: 'me' })).household!.requests).toEqual([]);
    expect(stored(head.householdId!).requests).toEqual([]);
    // The head has nobody to answer: agreeing finds no request.
    expect(code(await user('cl-head', { action: 'answerJoin', openid: 'cl-asker', approve: true }))).toBe('NOT_FOUND');
  });

  it('a head who closes: headship passes on, and the requests waiting on them are withdrawn, to be asked again', async () => {
    const head = ok(await user('cl-head2', { action: 'bind', stationId: 'haian-01-007', name: '卫大爷' }));
    const hh = head.householdId!;
    ok(await bindTo('cl-son', hh, '卫建军'));
    ok(await user('cl-head2', { action: 'answerJoin', openid: 'cl-son', approve: true }));
    for (const asker of ['cl-ask-a', 'cl-ask-b']) ok(await bindTo(asker, hh, '想入户的'));
    ok(await close('cl-head2'));
    expect(stored(hh)).toMatchObject({ headOpenid: 'cl-son', requests: [] });
    for (const asker of ['cl-ask-a', 'cl-ask-b']) {
      const me = ok(await user(asker, { action: 'me' }));
      expect([asker, me.joinRequest]).toEqual([asker, null]);
      expect(me.householdId).not.toBe(hh);
    }
    // The new head answers the requests made to them.
    ok(await bindTo('cl-ask-a', hh, '想入户的'));
    const son = ok(await user('cl-son', { action: 'me' }));
    expect(son.household!.requests.map((r) => r.openid)).toEqual(['cl-ask-a']);
    ok(await user('cl-son', { action: 'answerJoin', openid: 'cl-ask-a', approve: true }));
    expect(ok(await user('cl-ask-a', { action: 'me' })).householdId).toBe(hh);
  });

  it('the only member and head closes: nobody is left waiting on the empty household, and nobody can ask it', async () => {
    const head = ok(await user('cl-alone', { action: 'bind', stationId: 'haian-01-007', name: '蒋老汉' }));
    const hh = head.householdId!;
    ok(await bindTo('cl-ask-c', hh, '想入户的'));
    ok(await close('cl-alone'));
    expect(stored(hh)).toMatchObject({ headOpenid: '', members: [], requests: [] });
    expect(ok(await user('cl-ask-c', { action: 'me' })).joinRequest).toBeNull();
    expect(await bindTo('cl-ask-c', hh, '想入户的')).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION', message: expect.stringMatching(/没有户主/) },
    });
  });
});

describe('volunteer registration', () => {
  it('registers with the phone WeChat gives for a getPhoneNumber code', async () => {
    const me = ok(
      await user('vol-code', {
        action: 'registerVolunteer',
        name: '冯晓东',
        phoneCode: await phoneCode('13712345678'),
        skills: ['health', 'law'],
        stationIds: ['haian-01-001', 'haian-01-002'],
        availability: { weekdays: [6, 7], slots: ['morning'] },
      }),
    );
    expect(me.volunteer).toMatchObject({
      phone: '13712345678',
      skills: ['health', 'law'],
      stationIds: ['haian-01-001', 'haian-01-002'],
    });
    expect(me.roles).toEqual([
      { role: 'volunteer', orgId: 'haian-01-001' },
      { role: 'volunteer', orgId: 'haian-01-002' },
    ]);
  });

  it('refuses a used phone code, and a request with both or neither phone and code', async () => {
    const code = await phoneCode('13700000000');
    ok(
      await user('vol-once', {
        action: 'registerVolunteer',
        name: '曹文杰',
        phoneCode: code,
        skills: ['arts'],
        stationIds: ['haian-01-001'],
      }),
    );
    expect(
      await user('vol-twice', {
        action: 'registerVolunteer',
        name: '曹文杰',
        phoneCode: code,
        skills: ['arts'],
        stationIds: ['haian-01-001'],
      }),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    expect(
      await user('vol-both', {
        action: 'registerVolunteer',
        name: '曹文杰',
        phone: '13700000001',
        phoneCode: 'x',
        skills: ['arts'],
        stationIds: ['haian-01-001'],
      }),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    expect(
      await user('vol-none', {
        action: 'registerVolunteer',
        name: '曹文杰',
        skills: ['arts'],
        stationIds: ['haian-01-001'],
      } as never),
    ).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT' },
    });
    expect(cloud.engine.count('volunteers', { _id: { $in: ['vol-twice', 'vol-both', 'vol-none'] } })).toBe(0);
  });

  it('updates a registration when registering again, keeping the first registration date', async () => {
    const first = ok(
      await user('vol-again', {
        action: 'registerVolunteer',
        name: '蒋春华',
        phone: '13600000000',
        skills: ['arts'],
        stationIds: ['haian-01-001'],
      }),
    );
    const second = ok(
      await user('vol-again', {
        action: 'registerVolunteer',
        name: '蒋春华',
        phone: '13600000000',
        skills: ['education'],
        stationIds: ['haian-01-003'],
      }),
    );
    expect(second.volunteer).toMatchObject({
      skills: ['education'],
      stationIds: ['haian-01-003'],
      registeredAt: first.volunteer!.registeredAt,
    });
    expect(second.roles).toEqual([{ role: 'volunteer', orgId: 'haian-01-003' }]);
    // Updating without a phone keeps the one registered before.
    const third = ok(
      await user('vol-again', {
        action: 'registerVolunteer',
        name: '蒋春华',
        skills: ['education', 'arts'],
        stationIds: ['haian-01-003'],
      }),
    );
    expect(third.volunteer).toMatchObject({ phone: '13600000000', skills: ['education', 'arts'] });
  });

  it('refuses a station that is not a station', async () => {
    expect(
      await user('vol-wrong', {
        action: 'registerVolunteer',
        name: '韩振华',
        phone: '13600000009',
        skills: ['arts'],
        stationIds: ['haian-01'],
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });
});

describe('appointments', () => {
  beforeAll(() => {
    person(cloud, 'center-1', [['centerAdmin', 'haian']], '中心甲');
    person(cloud, 'inst-1', [['instituteAdmin', 'haian-01']], '所长甲');
    person(cloud, 'appointee', [['villager', 'haian-01-007']], '候任站长');
  });

  it('lets an institute appoint a station head in its town, and revoke it; both safe to repeat', async () => {
    const granted = ok(
      await user('inst-1', { action: 'grantRole', openid: 'appointee', role: 'stationHead', orgId: 'haian-01-007' }),
    );
    expect(granted.roles).toContainEqual({ role: 'stationHead', orgId: 'haian-01-007' });
    const twice = ok(
      await user('inst-1', { action: 'grantRole', openid: 'appointee', role: 'stationHead', orgId: 'haian-01-007' }),
    );
    expect(twice.roles.filter((r) => r.role === 'stationHead')).toHaveLength(1);
    // The new head now sees their village's people; that is what the role is for.
    expect(await user('appointee', { action: 'listPeople' })).toMatchObject({ ok: true });
    const revoked = ok(
      await user('inst-1', { action: 'revokeRole', openid: 'appointee', role: 'stationHead', orgId: 'haian-01-007' }),
    );
    expect(revoked.roles).toEqual([{ role: 'villager', orgId: 'haian-01-007' }]);
    expect(await user('appointee', { action: 'listPeople' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });

  it('refuses a role at a node of the wrong level, and anyone revoking their own role', async () => {
    expect(
      await user('center-1', {
        action: 'grantRole',
        openid: 'appointee',
        role: 'instituteAdmin',
        orgId: 'haian-01-007',
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(
      await user('center-1', { action: 'revokeRole', openid: 'center-1', role: 'centerAdmin', orgId: 'haian' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION' },
    });
  });

  it('answers NOT_FOUND for someone who has never opened the mini-program', async () => {
    expect(
      await user('inst-1', { action: 'grantRole', openid: 'nobody-yet', role: 'stationHead', orgId: 'haian-01-007' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('keeps both of two appointments made to one person at the same moment', async () => {
    person(cloud, 'busy', [['villager', 'haian-01-008']], '兼职者');
    await Promise.all([
      user('inst-1', { action: 'grantRole', openid: 'busy', role: 'stationHead', orgId: 'haian-01-008' }),
      user('inst-1', { action: 'grantRole', openid: 'busy', role: 'stationHead', orgId: 'haian-01-009' }),
      user('center-1', { action: 'grantRole', openid: 'busy', role: 'instituteAdmin', orgId: 'haian-01' }),
    ]);
    const [doc] = cloud.engine.find('users', { query: { _id: 'busy' } }) as unknown as {
      roles: { role: string; orgId: string }[];
    }[];
    expect(doc.roles.map((r) => `${r.role}@${r.orgId}`).sort()).toEqual(
      [
        'instituteAdmin@haian-01',
        'stationHead@haian-01-008',
        'stationHead@haian-01-009',
        'villager@haian-01-008',
      ].sort(),
    );
  });
});

describe('people within scope', () => {
  it('lists the demo station’s people for its head, with volunteers’ phones in full', async () => {
    const r = ok(await user('demo-station-head', { action: 'listPeople' }));
    expect(r.people.length).toBe(20);
    expect(r.people.every((p: Person) => p.roles.length > 0)).toBe(true);
    const villager = ok(await user('demo-station-head', { action: 'listPeople', q: '赵桂英' }));
    expect(villager.people.map((p) => [p.openid, p.stationName, p.phone])).toEqual([
      ['demo-villager', '凤山村新时代文明实践站', null],
    ]);
    const vol = ok(await user('demo-station-head', { action: 'listPeople', role: 'volunteer', q: '张志愿' }));
    expect(vol.people.map((p) => [p.openid, p.phone, p.skills])).toEqual([
      ['demo-volunteer', '13800000001', ['health', 'technology', 'charity']],
    ]);
  });

  it('searches by name and pages', async () => {
    const r = ok(await user('demo-institute-admin', { action: 'listPeople', q: '赵桂英' }));
    expect(r.people.map((p) => p.openid)).toEqual(['demo-villager']);
    const page0 = ok(await user('demo-institute-admin', { action: 'listPeople' }));
    const page1 = ok(await user('demo-institute-admin', { action: 'listPeople', page: 1 }));
    expect(page0.people).toHaveLength(20);
    expect(page0.nextPage).toBe(1);
    expect(new Set([...page0.people, ...page1.people].map((p) => p.openid)).size).toBe(
      page0.people.length + page1.people.length,
    );
  });

  it('refuses a station head another village, and never shows a villager another’s phone', async () => {
    expect(await user('demo-station-head', { action: 'listPeople', orgId: 'haian-02-001' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    const me: Me = ok(await user('demo-villager', { action: 'me' }));
    expect(me.volunteer).toBeNull();
  });

  it('masks the phone of a villager-volunteer to the head of their village when they serve another', async () => {
    person(cloud, 'head-003', [['stationHead', 'haian-01-003']], '三站站长');
    ok(await user('two-places', { action: 'bind', stationId: 'haian-01-001', name: '两地跑' }));
    ok(
      await user('two-places', {
        action: 'registerVolunteer',
        name: '两地跑',
        phone: '13511112222',
        skills: ['law'],
        stationIds: ['haian-01-003'],
      }),
    );
    // The head of the village they live in sees them, but does not dispatch them: masked.
    const home = ok(await user('demo-station-head', { action: 'listPeople', q: '两地跑' }));
    expect(home.people.map((p) => p.phone)).toEqual(['135****2222']);
    // The head of the station they serve dispatches them: in full.
    const served = ok(await user('head-003', { action: 'listPeople', role: 'volunteer', q: '两地跑' }));
    expect(served.people.map((p) => p.phone)).toEqual(['13511112222']);
  });
});
