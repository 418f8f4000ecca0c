/**
 * Binding to a village and a household, decided without a database: what a binding asks of the user
 * as they are, and what leaving, joining and renaming do to a household (headship passes on).
 */
import {
  bindingStep,
  boundFields,
  joining,
  leaving,
  newHousehold,
  renamed,
  type HouseholdDoc,
} from '../../cloudfunctions/shared/user/domain/model';

const AT = new Date('2026-11-30T02:00:00Z');
const head = { openid: 'zhao', name: '赵桂英' };
const son = { openid: 'son', name: '赵小军' };
const family: HouseholdDoc = { ...newHousehold('10000001', 'haian-01-001', head, AT), members: [head, son] };

it('asks nothing of a retry, a rename of a new name, a move of another village or household', () => {
  const u = { stationId: 'haian-01-001', householdId: '10000001', name: '赵桂英' };
  expect(bindingStep(u, 'haian-01-001', { name: '赵桂英' })).toBe('none');
  expect(bindingStep(u, 'haian-01-001', { householdId: '10000001', name: '赵桂英' })).toBe('none');
  expect(bindingStep(u, 'haian-01-001', { name: '赵桂花' })).toBe('rename');
  expect(bindingStep(u, 'haian-01-002', { name: '赵桂英' })).toBe('move');
  expect(bindingStep(u, 'haian-01-001', { householdId: '10000002', name: '赵桂英' })).toBe('move');
});

it('passes headship to the next member when the head leaves, keeps it when another member does', () => {
  expect(leaving(family, 'zhao')).toEqual({ members: [son], headOpenid: 'son', headName: '赵小军' });
  expect(leaving(family, 'son')).toEqual({ members: [head], headOpenid: 'zhao', headName: '赵桂英' });
  expect(leaving({ ...family, members: [head] }, 'zhao')).toEqual({ members: [], headOpenid: '', headName: '' });
});

it('joins a member once, and renames a member (and the head’s name with it)', () => {
  expect(joining(family, son).members).toEqual([head, son]);
  expect(joining(family, { openid: 'li', name: '李梅' }).members).toHaveLength(3);
  expect(renamed(family, { openid: 'zhao', name: '赵桂花' })).toEqual({
    members: [{ openid: 'zhao', name: '赵桂花' }, son],
    headName: '赵桂花',
  });
  expect(renamed(family, { openid: 'son', name: '赵军' })).not.toHaveProperty('headName');
});

it('binds the user as a villager of the station, keeping their other roles, with a new revision', () => {
  const volunteer = { role: 'volunteer' as const, orgId: 'haian-02-001', path: ['haian', 'haian-02', 'haian-02-001'] };
  const station = { id: 'haian-01-001', path: ['haian', 'haian-01', 'haian-01-001'] };
  const fields = boundFields({ roles: [volunteer], rev: 3 }, station, '赵桂英', '10000001', 'b1');
  expect(fields).toMatchObject({ name: '赵桂英', stationId: 'haian-01-001', householdId: '10000001', rev: 4 });
  expect(fields.roles).toEqual([volunteer, { role: 'villager', orgId: 'haian-01-001', path: station.path }]);
  expect(fields.roleKeys).toEqual(['volunteer@haian-02-001', 'villager@haian-01-001']);
});
