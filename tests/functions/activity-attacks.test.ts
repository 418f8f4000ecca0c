/**
 * The ways people try to cheat check-in, through the local cloud: forged and altered codes, another
 * activity's code, expired slots, replay, fifty scans at once, a scan from 5 km away, before the start,
 * of a cancelled activity, the last seat raced by many. Each is refused (and recorded as an attempt)
 * or settled by the database; nothing else changes.
 */
import type { Result } from '../../typings/errors';
import { startTestCloud, type TestCloud } from '../helpers/localcloud';
import { volunteerAt } from '../helpers/people';
import { activityClient, at, DEMO_POINT, VOLUNTEER } from '../helpers/activities';

let cloud: TestCloud;
let act: ReturnType<typeof activityClient>;
const base = new Date('2026-06-02T00:00:00.000Z');

beforeAll(async () => {
  cloud = await startTestCloud({ demo: true });
  act = activityClient(cloud);
});

afterAll(async () => {
  await cloud.close();
});

/** A fresh activity the demo volunteer signed up for, with the clock at `minutesIn` after its start. */
async function running(minutesIn = 5, over = {}): Promise<string> {
  await cloud.setClock(base.toISOString());
  const id = await act.create(base, over);
  await act.ok(act.call(VOLUNTEER, { action: 'signup', id }));
  await cloud.setClock(at(base, 120 + minutesIn));
  return id;
}

const checkins = (id: string) => cloud.engine.find('checkins', { query: { activityId: id }, limit: 1000 });
const attempts = (id: string | null, reason: string) =>
  cloud.engine.find('attempts', { query: { activityId: id, reason }, limit: 1000 });

function refused(r: Result<unknown>, reason: string) {
  expect(r).toMatchObject({ ok: false, error: { details: [`refused: ${reason}`] } });
  expect((r as { error: { message: string } }).error.message).toMatch(/[\u4e00-\u9fff]/);
}

it('refuses a forged signature and records the attempt', async () => {
  const id = await running();
  const scene = await act.scene(id);
  const forged = `${scene.slice(0, 20)}AAAAAAAAAAAA`;
  refused(await act.scan(VOLUNTEER, forged), 'forged');
  expect(checkins(id)).toHaveLength(0);
  expect(attempts(id, 'forged')).toHaveLength(1);
});

it('refuses a code with any one character changed', async () => {
  const id = await running();
  const scene = await act.scene(id);
  for (const i of [12, 15, 20, 25, 31]) {
    const c = scene[i] === 'a' ? 'b' : 'a';
    const r = await act.scan(VOLUNTEER, scene.slice(0, i) + c + scene.slice(i + 1));
    expect(r.ok).toBe(false);
  }
  expect(checkins(id)).toHaveLength(0);
});

it('refuses another activity’s code spliced onto this one', async () => {
  const id = await running();
  const other = await act.create(base, { signupRequired: false });
  const mine = await act.scene(id);
  const theirs = await act.scene(other);
  refused(await act.scan(VOLUNTEER, `c.${id}${theirs.slice(12)}`), 'forged');
  refused(await act.scan(VOLUNTEER, `c.${other}${mine.slice(12)}`), 'forged');
  expect(checkins(id)).toHaveLength(0);
  expect(checkins(other)).toHaveLength(0);
});

it('refuses a code from an expired slot', async () => {
  const id = await running();
  const scene = await act.scene(id);
  await cloud.setClock(at(base, 125 + 1.5));
  refused(await act.scan(VOLUNTEER, scene), 'expired');
  expect(attempts(id, 'expired')).toHaveLength(1);
});

it('refuses a replay after check-out, and changes nothing', async () => {
  const id = await running();
  await act.ok(act.scan(VOLUNTEER, await act.scene(id)));
  await cloud.setClock(at(base, 120 + 60));
  const scene = await act.scene(id);
  expect(await act.ok(act.scan(VOLUNTEER, scene))).toMatchObject({ result: 'out', minutes: 55 });
  const hours = cloud.engine.count('hours', { openid: VOLUNTEER });
  refused(await act.scan(VOLUNTEER, scene), 'checkedOut');
  expect(cloud.engine.count('hours', { openid: VOLUNTEER })).toBe(hours);
  expect(checkins(id)).toEqual([expect.objectContaining({ state: 'out', minutes: 55 })]);
});

it('records one check-in for fifty concurrent scans of one code by one volunteer', async () => {
  const id = await running();
  const scene = await act.scene(id);
  const results = await Promise.all(Array.from({ length: 50 }, () => act.scan(VOLUNTEER, scene)));
  const answers = results.map((r) => (r.ok ? r.data.result : r.error.code));
  expect(answers.filter((a) => a === 'in')).toHaveLength(1);
  expect(answers.filter((a) => a === 'already')).toHaveLength(49);
  expect(checkins(id)).toHaveLength(1);
});

it('flags a scan from 5 km away for the station head, neither accepting nor dropping it', async () => {
  const id = await running();
  const point = cloud.engine.find('orgs', { query: { _id: DEMO_POINT } })[0] as { lat: number; lng: number };
  const away = { lat: point.lat + 0.045, lng: point.lng };
  const r = await act.ok(act.scan(VOLUNTEER, await act.scene(id), { location: away }));
  expect(r).toMatchObject({ result: 'in', flagged: true });
  expect(r.result === 'in' && r.message).toMatch(/米/);
  const roll = await act.ok(act.call('demo-station-head', { action: 'roster', id }));
  expect(roll.counts.flagged).toBe(1);
  expect(roll.entries[0].distanceM).toBeGreaterThan(4900);
  // Checked out later: no hours until confirmed.
  await cloud.setClock(at(base, 120 + 60));
  const out = await act.ok(act.scan(VOLUNTEER, await act.scene(id), { location: away }));
  expect(out).toMatchObject({ result: 'out', flagged: true });
  expect(cloud.engine.count('hours', { activityId: id })).toBe(0);
  await act.ok(
    act.call('demo-station-head', { action: 'review', checkinId: roll.entries[0].checkinId, accept: false }),
  );
  expect(cloud.engine.count('hours', { activityId: id })).toBe(0);
});

it('refuses a scan before the activity opens', async () => {
  const id = await running(-60);
  refused(await act.scan(VOLUNTEER, await act.scene(id)), 'notStarted');
  expect(checkins(id)).toHaveLength(0);
});

it('refuses a scan of a cancelled activity', async () => {
  const id = await running(-60);
  const scene = await act.scene(id);
  await act.ok(act.call('demo-station-head', { action: 'cancel', id, reason: '下雨改期' }));
  await cloud.setClock(at(base, 125));
  refused(await act.scan(VOLUNTEER, scene), 'cancelled');
  const code = await act.call('demo-station-head', { action: 'code', id });
  expect(code).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } });
});

it('gives the last seats to exactly as many as there are, when many race for them', async () => {
  await cloud.setClock(base.toISOString());
  const id = await act.create(base, { capacity: 3 });
  const racers = Array.from({ length: 20 }, (_, i) => volunteerAt(cloud, `racer-${i}`, 'haian-01-001'));
  const results = await Promise.all(racers.map((v) => act.call(v, { action: 'signup', id })));
  const won = results.filter((r) => r.ok);
  expect(won).toHaveLength(3);
  for (const r of results.filter((x) => !x.ok))
    expect(r).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } });
  const doc = cloud.engine.find('activities', { query: { _id: id } })[0];
  expect(doc).toMatchObject({ signedUp: 3, seatsLeft: 0 });
  expect(cloud.engine.count('signups', { activityId: id, status: 'signed' })).toBe(3);
});

it('takes one seat for one person signing up many times at once', async () => {
  await cloud.setClock(base.toISOString());
  const id = await act.create(base, { capacity: 20 });
  const results = await Promise.all(Array.from({ length: 10 }, () => act.call(VOLUNTEER, { action: 'signup', id })));
  expect(results.every((r) => r.ok)).toBe(true);
  expect(cloud.engine.find('activities', { query: { _id: id } })[0]).toMatchObject({ signedUp: 1, seatsLeft: 19 });
});

it('accepts a scan kept by a phone without signal, marked late; refuses one past the limit', async () => {
  const id = await running();
  const scene = await act.scene(id);
  const scannedAt = at(base, 125);
  await cloud.setClock(at(base, 125 + 180));
  const r = await act.ok(act.scan(VOLUNTEER, scene, { scannedAt }));
  expect(r).toMatchObject({ result: 'in', late: true, flagged: false });
  expect(checkins(id)[0]).toMatchObject({ flags: ['late'] });
  await cloud.setClock(at(base, 125 + 25 * 60));
  refused(await act.scan(VOLUNTEER, scene, { scannedAt }), 'tooLate');
});

it('opens the point from a poster code and never checks anyone in', async () => {
  const before = cloud.engine.count('checkins', {});
  const r = await act.ok(act.scan(VOLUNTEER, `p.${DEMO_POINT}`));
  expect(r).toMatchObject({ result: 'point', pointId: DEMO_POINT });
  expect(cloud.engine.count('checkins', {})).toBe(before);
  refused(await act.scan(VOLUNTEER, 'https://evil.example/x'), 'malformed');
  expect(attempts(null, 'malformed').length).toBeGreaterThan(0);
});

it('refuses a volunteer who did not sign up, and a villager at a volunteers-only activity', async () => {
  const id = await running();
  const stranger = volunteerAt(cloud, 'not-signed-up', 'haian-01-001');
  refused(await act.scan(stranger, await act.scene(id)), 'notSignedUp');
  await cloud.setClock(base.toISOString());
  const open = await act.create(base, { signupRequired: false });
  await cloud.setClock(at(base, 125));
  refused(await act.scan('demo-villager', await act.scene(open)), 'notVolunteer');
  expect(await act.ok(act.scan(stranger, await act.scene(open)))).toMatchObject({ result: 'in' });
});
