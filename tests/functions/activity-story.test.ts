/**
 * Check-in end to end through the local cloud as the demo people: a station head creates an activity,
 * a volunteer signs up, scans the rotating code in, the clock moves, scans out; the hours are recorded;
 * honour hours are added apart; a certificate is issued and anyone verifies it.
 */
import { startTestCloud, type TestCloud } from '../helpers/localcloud';
import { volunteerAt } from '../helpers/people';
import { activityClient, at, HEAD } from '../helpers/activities';

let cloud: TestCloud;
let act: ReturnType<typeof activityClient>;
const base = new Date('2026-06-01T00:00:00.000Z');
/** A volunteer of the demo station with no hours yet (the demo volunteer has the demo's). */
const VOLUNTEER = 'story-volunteer';

beforeAll(async () => {
  cloud = await startTestCloud({ demo: true });
  act = activityClient(cloud);
  await cloud.setClock(base.toISOString());
  volunteerAt(cloud, VOLUNTEER, 'haian-01-001', ['health'], '李志愿');
});

afterAll(async () => {
  await cloud.close();
});

it('creates, signs up, checks in and out, records hours, honours, certifies and verifies', async () => {
  const id = await act.create(base, { title: '凤山村健康义诊', capacity: 5 });
  expect(id).toMatch(/^[0-9a-z]{10}$/);

  const signed = await act.ok(act.call(VOLUNTEER, { action: 'signup', id }));
  expect(signed).toMatchObject({ signedUp: 1, mine: { signedUp: true, checkin: 'none' }, manage: false });
  const mine = await act.ok(act.call(VOLUNTEER, { action: 'list', scope: 'mine' }));
  expect(mine.activities.map((a) => a.id)).toContain(id);

  // Five minutes after the start (Beijing 10:05), at the point.
  await cloud.setClock(at(base, 125));
  const code = await act.ok(act.call(HEAD, { action: 'code', id }));
  expect(code.scene).toHaveLength(32);
  const shown = await act.ok(act.call(HEAD, { action: 'code', id, image: true }));
  expect(shown.image).toMatch(/^data:image\/png;base64,/);
  expect(shown.scene).toBe(code.scene);
  expect(new Date(code.validUntil).getTime()).toBeGreaterThan(new Date(at(base, 125)).getTime());
  const point = cloud.engine.find('orgs', { query: { _id: 'haian-01-001-01' } })[0] as { lat: number; lng: number };
  const checkedIn = await act.ok(act.scan(VOLUNTEER, code.scene, { location: { lat: point.lat, lng: point.lng } }));
  expect(checkedIn).toMatchObject({ result: 'in', flagged: false, late: false });

  // A second scan within ten minutes changes nothing and says so.
  const again = await act.ok(act.scan(VOLUNTEER, code.scene));
  expect(again).toMatchObject({ result: 'already' });

  const roll = await act.ok(act.call(HEAD, { action: 'roster', id }));
  expect(roll.counts).toEqual({ signedUp: 1, in: 1, out: 0, flagged: 0 });
  expect(roll.entries[0]).toMatchObject({ openid: VOLUNTEER, state: 'in' });

  // 95 minutes later, a fresh code: out, 90 minutes served.
  await cloud.setClock(at(base, 215));
  const out = await act.ok(act.scan(VOLUNTEER, await act.scene(id)));
  expect(out).toMatchObject({ result: 'out', minutes: 90, flagged: false });

  const hours = await act.ok(act.call(VOLUNTEER, { action: 'hours' }));
  expect(hours).toMatchObject({ recordedMinutes: 90, honourMinutes: 0, recordedHours: 1.5 });
  expect(hours.records).toEqual([expect.objectContaining({ kind: 'recorded', source: 'checkin', minutes: 90 })]);

  // Honour hours, apart, with who and why.
  const honourEvent = {
    action: 'addHonour' as const,
    openid: VOLUNTEER,
    orgId: 'haian-01-001',
    minutes: 120,
    title: '抗洪抢险值守',
    reason: '汛期值守两小时，当时没有扫码',
    at: at(base, 60),
    requestId: 'honour-story-0001',
  };
  const honour = await act.ok(act.call(HEAD, honourEvent));
  expect(honour).toMatchObject({ kind: 'honour', minutes: 120, by: HEAD });
  const retried = await act.ok(act.call(HEAD, honourEvent));
  expect(retried.id).toBe(honour.id);
  const both = await act.ok(act.call(VOLUNTEER, { action: 'hours' }));
  expect(both).toMatchObject({ recordedMinutes: 90, honourMinutes: 120, stars: { stars: 0, toNext: 97 } });

  // The station's totals count both, apart (the demo's own records included).
  const station = await act.ok(act.call(HEAD, { action: 'totals', orgId: 'haian-01-001' }));
  const demo = cloud.engine.find('hours', { query: { openid: { $ne: VOLUNTEER } }, limit: 1000 }) as {
    kind: string;
    minutes: number;
  }[];
  const demoMinutes = (kind: string) => demo.filter((h) => h.kind === kind).reduce((n, h) => n + h.minutes, 0);
  expect(station).toEqual({
    recordedMinutes: 90 + demoMinutes('recorded'),
    honourMinutes: 120 + demoMinutes('honour'),
    people: new Set(demo.map((h) => (h as unknown as { openid: string }).openid)).size + 1,
  });

  // A certificate for the day, and anyone verifies it.
  const cert = await act.ok(act.call(VOLUNTEER, { action: 'certificate', from: '2026-06-01', to: '2026-06-01' }));
  expect(cert).toMatchObject({
    name: '李志愿',
    recordedMinutes: 90,
    honourMinutes: 120,
    stationName: '凤山村新时代文明实践站',
  });
  expect(cert.maskedId).toMatch(/^\d{3}\*{4}\d{4}$/);
  expect(cert.services.map((s) => s.title)).toEqual(['抗洪抢险值守', '凤山村健康义诊']);
  const same = await act.ok(act.call(VOLUNTEER, { action: 'certificate', from: '2026-06-01', to: '2026-06-01' }));
  expect(same.code).toBe(cert.code);
  const verified = await act.ok(
    act.call('someone-else', { action: 'verifyCertificate', code: cert.code.toLowerCase() }),
  );
  expect(verified).toMatchObject({ code: cert.code, stands: true, recordedMinutes: 90 });
  const listed = await act.ok(act.call(VOLUNTEER, { action: 'certificates' }));
  expect(listed.certificates.map((c) => c.code)).toEqual([cert.code]);

  // A correction is a new record; the certificate issued before no longer stands.
  const record = hours.records[0];
  const corrected = await act.ok(
    act.call(HEAD, {
      action: 'correct',
      recordId: record.id,
      minutes: -30,
      reason: '提前半小时离开',
      requestId: 'correct-0001',
    }),
  );
  expect(corrected).toMatchObject({ source: 'correction', minutes: -30, correctsId: record.id, by: HEAD });
  expect(cloud.engine.find('hours', { query: { _id: record.id } })[0]).toMatchObject({ minutes: 90 });
  const after = await act.ok(act.call('someone-else', { action: 'verifyCertificate', code: cert.code }));
  expect(after.stands).toBe(false);
  const unknown = await act.call('someone-else', { action: 'verifyCertificate', code: 'ABCDEFGHJKLM' });
  expect(unknown).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
});

it('cancels an activity with a reason and tells everyone signed up', async () => {
  await cloud.setClock(base.toISOString());
  const id = await act.create(base, { title: '送戏下乡' });
  await act.ok(act.call(VOLUNTEER, { action: 'signup', id }));
  const cancelled = await act.ok(act.call(HEAD, { action: 'cancel', id, reason: '台风预警，改期举行' }));
  expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: '台风预警，改期举行' });
  await act.ok(act.call(HEAD, { action: 'cancel', id, reason: '台风预警，改期举行' }));
  const told = cloud.engine.find('messages', { query: { openid: VOLUNTEER, title: '您报名的活动取消了' }, limit: 10 });
  expect(told).toHaveLength(1);
  expect(told[0]).toMatchObject({ body: expect.stringContaining('台风预警') });
});

it('edits, and refuses a capacity below the sign-ups', async () => {
  await cloud.setClock(base.toISOString());
  const id = await act.create(base, { capacity: 3 });
  await act.ok(act.call(VOLUNTEER, { action: 'signup', id }));
  const edited = await act.ok(act.call(HEAD, { action: 'edit', id, capacity: 1, title: '改名后的义诊' }));
  expect(edited).toMatchObject({ capacity: 1, signedUp: 1, title: '改名后的义诊' });
  const moved = new Date(new Date(edited.startAt).getTime() + 60 * 60_000).toISOString();
  await act.ok(act.call(HEAD, { action: 'edit', id, startAt: moved }));
  const told = cloud.engine.find('messages', {
    query: { openid: VOLUNTEER, title: '您报名的活动改时间了' },
    limit: 10,
  });
  expect(told).toEqual([expect.objectContaining({ body: expect.stringContaining('改到') })]);
  const refused = await act.call(HEAD, { action: 'edit', id, capacity: 0 });
  expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
  const cancelled = await act.ok(act.call(VOLUNTEER, { action: 'cancelSignup', id }));
  expect(cancelled).toMatchObject({ signedUp: 0, mine: { signedUp: false } });
  const lists = await act.ok(act.call(VOLUNTEER, { action: 'list', scope: 'point', pointId: 'haian-01-001-01' }));
  expect(lists.activities.map((a) => a.id)).toContain(id);
});

it('checks out at the end, flagged, a volunteer who forgot; the station head confirms', async () => {
  await cloud.setClock(base.toISOString());
  const id = await act.create(base, { title: '文明劝导' });
  await act.ok(act.call(VOLUNTEER, { action: 'signup', id }));
  await cloud.setClock(at(base, 130));
  await act.ok(act.scan(VOLUNTEER, await act.scene(id)));
  await cloud.setClock(at(base, 241 + 30));
  expect(await cloud.call('cron', {})).toMatchObject({ ok: true });
  const roll = await act.ok(act.call(HEAD, { action: 'roster', id }));
  expect(roll.entries[0]).toMatchObject({ state: 'out', flags: ['autoOut'], review: 'pending', minutes: 110 });
  const before = await act.ok(act.call(VOLUNTEER, { action: 'hours' }));
  const confirmed = await act.ok(
    act.call(HEAD, { action: 'review', checkinId: roll.entries[0].checkinId, accept: true }),
  );
  expect(confirmed.review).toBe('confirmed');
  const afterHours = await act.ok(act.call(VOLUNTEER, { action: 'hours' }));
  expect(afterHours.recordedMinutes - before.recordedMinutes).toBe(110);
  const twice = await act.call(HEAD, { action: 'review', checkinId: roll.entries[0].checkinId, accept: false });
  expect(twice).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
});
