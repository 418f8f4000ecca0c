/**
 * Roles the county cannot run without: the last center admin is kept by the database, so two center
 * admins revoking each other at the same moment leave one of them in office.
 */
import type { Result } from '../../typings/errors';
import { startTestCloud, type TestCloud } from '../helpers/localcloud';
import { person } from '../helpers/people';

let cloud: TestCloud;

beforeAll(async () => {
  cloud = await startTestCloud({ demo: true });
});

afterAll(async () => {
  await cloud.close();
});

const revoke = (by: string, openid: string) =>
  cloud.call<Result<unknown>>('user', { action: 'revokeRole', openid, role: 'centerAdmin', orgId: 'haian' }, by);
const centerAdmins = () => cloud.engine.count('users', { roleKeys: 'centerAdmin@haian' });

it('two center admins revoking each other at once leave one center admin', async () => {
  const others = cloud.engine
    .find('users', { query: { roleKeys: 'centerAdmin@haian' }, limit: 100 })
    .map((u) => String(u._id))
    .filter((id) => id !== 'demo-center-admin');
  for (const id of others) expect(await revoke('demo-center-admin', id)).toMatchObject({ ok: true });
  person(cloud, 'second-center-admin', [['villager', 'haian-01-001']], '第二位');
  const grant = { action: 'grantRole', openid: 'second-center-admin', role: 'centerAdmin', orgId: 'haian' };
  expect(await cloud.call<Result<unknown>>('user', grant, 'demo-center-admin')).toMatchObject({ ok: true });
  expect(centerAdmins()).toBe(2);

  const answers = await Promise.all([
    revoke('demo-center-admin', 'second-center-admin'),
    revoke('second-center-admin', 'demo-center-admin'),
  ]);
  expect(centerAdmins()).toBe(1);
  expect(answers.filter((a) => a.ok)).toHaveLength(1);
  // The loser is told the last one stays, or (if the other's revocation landed first) that it no longer may.
  const lost = answers.find((a) => !a.ok);
  expect(['FAILED_PRECONDITION', 'FORBIDDEN']).toContain(lost && !lost.ok && lost.error.code);
});

it('lets nobody appoint themselves, and lets an admin above revoke any role in their subtree', async () => {
  person(cloud, 'self-appointer', [['instituteAdmin', 'haian-01']], '想当站长');
  const self = { action: 'grantRole', openid: 'self-appointer', role: 'stationHead', orgId: 'haian-01-003' };
  expect(await cloud.call<Result<unknown>>('user', self, 'self-appointer')).toMatchObject({
    ok: false,
    error: { code: 'FORBIDDEN' },
  });
  expect(cloud.engine.count('users', { roleKeys: 'stationHead@haian-01-003', _id: 'self-appointer' })).toBe(0);

  // A station head appointed by an institute is revoked by the center above it.
  person(cloud, 'head-to-go', [['stationHead', 'haian-01-003']], '要撤的站长');
  const revoked = await cloud.call<Result<unknown>>(
    'user',
    { action: 'revokeRole', openid: 'head-to-go', role: 'stationHead', orgId: 'haian-01-003' },
    'demo-center-admin',
  );
  expect(revoked).toMatchObject({ ok: true });
  expect(cloud.engine.count('users', { roleKeys: 'stationHead@haian-01-003', _id: 'head-to-go' })).toBe(0);
});
