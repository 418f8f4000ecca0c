/** The scan, sign-up, review and edit decisions, each outcome and refusal, without a database. */
import { DEFAULT_ACTIVITY_SETTINGS as S } from '../../typings/activity';
import { checkinScene, newSecret, readScene, type Scene } from '../../cloudfunctions/shared/activity/domain/code';
import {
  autoCheckout,
  checkTimes,
  decideCancel,
  decideCancelSignup,
  decideEdit,
  decideReview,
  decideScan,
  decideSignup,
  isRefused,
  type ScanFacts,
} from '../../cloudfunctions/shared/activity/domain/decide';
import type { ActivityDoc, CheckinDoc } from '../../cloudfunctions/shared/activity/domain/model';

const start = new Date('2026-05-01T02:00:00Z');
const end = new Date('2026-05-01T04:00:00Z');
const min = (n: number) => new Date(start.getTime() + n * 60_000);

const activity: ActivityDoc = {
  _id: 'abcdefghij',
  requestKey: 'k',
  title: '义诊',
  category: 'health',
  description: '',
  pointId: 'p1',
  pointName: '文化礼堂',
  stationId: 's1',
  stationName: '凤山村',
  path: ['c', 'i', 's1', 'p1'],
  lat: 32.5,
  lng: 120.4,
  geo: { type: 'Point', coordinates: [120.4, 32.5] },
  address: null,
  startAt: start,
  endAt: end,
  capacity: 2,
  signedUp: 1,
  seatsLeft: 1,
  signupRequired: true,
  audience: 'volunteers',
  status: 'open',
  cancelReason: null,
  secret: newSecret(),
  slotSeconds: 30,
  closed: false,
  createdBy: 'head',
  createdAt: start,
  updatedAt: start,
};
const code = (at: Date, a = activity) => readScene(checkinScene(a, at).scene) as Extract<Scene, { kind: 'checkin' }>;
const signed = { _id: 'x', activityId: activity._id, openid: 'v', status: 'signed' as const, name: '张', at: start };
const facts = (at: Date, more: Partial<ScanFacts> = {}): ScanFacts => ({
  activity,
  scene: code(at),
  signup: signed,
  caller: { openid: 'v', name: '张', isVolunteer: true },
  now: at,
  settings: S,
  ...more,
});
const inAt = (at: Date, more: Partial<CheckinDoc> = {}): CheckinDoc => {
  const d = decideScan(facts(at));
  if (d.kind !== 'in') throw new Error(d.kind);
  return { ...d.doc, ...more };
};

describe('scan', () => {
  it('checks in, says already within ten minutes, checks out after, and refuses a replay', () => {
    const c = inAt(min(5));
    expect(c).toMatchObject({ state: 'in', flags: [], review: 'none', distanceM: null });
    expect(decideScan(facts(min(12), { checkin: c })).kind).toBe('already');
    const out = decideScan(facts(min(140), { checkin: c, location: { lat: 32.5, lng: 120.4 } }));
    expect(out).toMatchObject({ kind: 'out', set: { minutes: 115, review: 'none' }, hours: { minutes: 115 } });
    const replay = decideScan(facts(min(141), { checkin: { ...c, state: 'out' } }));
    expect(replay).toMatchObject({ kind: 'refuse', reason: 'checkedOut' });
  });

  it.each([
    ['before it opens', facts(min(-31)), 'notStarted'],
    ['after the grace', facts(min(151)), 'ended'],
    ['of a cancelled activity', facts(min(5), { activity: { ...activity, status: 'cancelled' } }), 'cancelled'],
    ['without signing up', facts(min(5), { signup: undefined }), 'notSignedUp'],
    ['by a non-volunteer', facts(min(5), { caller: { openid: 'v', name: '赵', isVolunteer: false } }), 'notVolunteer'],
    ['of an old slot', facts(min(5), { scene: code(min(4)) }), 'expired'],
    ['of another activity', facts(min(5), { scene: code(min(5), { ...activity, _id: 'zzzzzzzzzz' }) }), 'forged'],
    ['sent past the offline limit', facts(min(5), { scannedAt: min(5), now: min(5 + 24 * 60 + 1) }), 'tooLate'],
    ['claimed from the future', facts(min(5), { scannedAt: min(10), now: min(5) }), 'future'],
  ])('refuses a scan %s', (_what, f, reason) => {
    expect(decideScan(f)).toMatchObject({ kind: 'refuse', reason });
  });

  it('flags a scan far from the point for review and holds its hours', () => {
    const far = decideScan(facts(min(5), { location: { lat: 32.545, lng: 120.4 } }));
    expect(far).toMatchObject({ kind: 'in', doc: { flags: ['far'], review: 'pending' } });
    const c = (far as { doc: CheckinDoc }).doc;
    expect(c.distanceM).toBeGreaterThan(4900);
    expect(decideScan(facts(min(60), { checkin: c }))).toMatchObject({ kind: 'out', hours: null });
    const confirmed = decideScan(facts(min(60), { checkin: { ...c, review: 'confirmed' } }));
    expect(confirmed).toMatchObject({ kind: 'out', set: { review: 'confirmed' }, hours: { minutes: 55 } });
  });

  it('accepts a scan kept offline, by its own time, marked late but not held back', () => {
    const d = decideScan(facts(min(5), { scannedAt: min(5), now: min(300) }));
    expect(d).toMatchObject({ kind: 'in', doc: { inAt: min(5), flags: ['late'], review: 'none' } });
  });

  it('lets anyone check in where no sign-up is needed', () => {
    const open = { ...activity, signupRequired: false, audience: 'all' as const };
    const d = decideScan(facts(min(0), { activity: open, scene: code(min(0), open), signup: undefined }));
    expect(d.kind).toBe('in');
  });
});

it('checks out at the end, flagged, those the timer finds still in', () => {
  const set = autoCheckout(activity, inAt(min(30)));
  expect(set).toEqual({ state: 'out', outAt: end, minutes: 90, flags: ['autoOut'], review: 'pending' });
});

it('reviews a pending check-in once; confirming a finished one records its hours', () => {
  const c = {
    ...inAt(min(0)),
    state: 'out' as const,
    minutes: 90,
    flags: ['far' as const],
    review: 'pending' as const,
  };
  expect(decideReview(activity, c, true, 'head', end)).toMatchObject({
    set: { review: 'confirmed' },
    hours: { minutes: 90 },
  });
  expect(decideReview(activity, c, false, 'head', end)).toMatchObject({ set: { review: 'rejected' }, hours: null });
  expect(isRefused(decideReview(activity, { ...c, review: 'confirmed' }, true, 'head', end))).toBe(true);
});

describe('sign-up', () => {
  it('takes a seat, knows one already held, refuses when full, started, cancelled or not a volunteer', () => {
    expect(decideSignup(activity, undefined, true, min(-60))).toBe('take');
    expect(decideSignup(activity, signed, true, min(-60))).toBe('already');
    expect(isRefused(decideSignup({ ...activity, signedUp: 2 }, undefined, true, min(-60)))).toBe(true);
    expect(isRefused(decideSignup(activity, undefined, true, min(0)))).toBe(true);
    expect(isRefused(decideSignup({ ...activity, status: 'cancelled' }, undefined, true, min(-60)))).toBe(true);
    expect(isRefused(decideSignup(activity, undefined, false, min(-60)))).toBe(true);
  });

  it('releases a seat before the cut-off only', () => {
    expect(decideCancelSignup(activity, signed, min(-61), S)).toBe('release');
    expect(isRefused(decideCancelSignup(activity, signed, min(-59), S))).toBe(true);
    expect(decideCancelSignup(activity, undefined, min(-120), S)).toBe('none');
  });
});

describe('create, edit, cancel', () => {
  it('checks times', () => {
    expect(checkTimes(start, end, min(-10))).toBeNull();
    expect(checkTimes(end, start, min(-10))).toMatchObject({ refused: 'INVALID_ARGUMENT' });
    expect(checkTimes(start, end, min(121))).toMatchObject({ refused: 'INVALID_ARGUMENT' });
  });

  it('edits within rules', () => {
    expect(decideEdit(activity, { capacity: 5, title: '新' }, min(-10))).toEqual({ capacity: 5, title: '新' });
    expect(decideEdit(activity, { capacity: 0 }, min(-10))).toMatchObject({ refused: 'FAILED_PRECONDITION' });
    expect(decideEdit(activity, { startAt: min(10) }, min(5))).toMatchObject({ refused: 'FAILED_PRECONDITION' });
    expect(decideEdit({ ...activity, status: 'cancelled' }, {}, min(-10))).toMatchObject({
      refused: 'FAILED_PRECONDITION',
    });
  });

  it('cancels once, not after the end', () => {
    expect(decideCancel(activity, min(0))).toBe('cancel');
    expect(decideCancel({ ...activity, status: 'cancelled' }, min(0))).toBe('already');
    expect(isRefused(decideCancel(activity, min(121)))).toBe(true);
  });
});
