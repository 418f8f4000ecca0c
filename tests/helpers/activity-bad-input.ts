/**
 * The activity function's rows of the bad-input table (tests/functions/bad-input.test.ts): a request
 * that passes validation for each action, its required fields, and values out of range or shape.
 */
const long = (n: number) => '长'.repeat(n);
const ID = 'abcdefghij';
const REQUEST = 'abcdefgh1';

export const ACTIVITY_SPECS: Record<
  string,
  { base: Record<string, unknown>; required: string[]; bad?: Record<string, unknown[]> }
> = {
  'activity.create': {
    base: {
      pointId: 'haian-01-001-01',
      title: '健康义诊',
      category: 'health',
      startAt: '2030-01-01T02:00:00.000Z',
      endAt: '2030-01-01T04:00:00.000Z',
      capacity: 10,
      signupRequired: true,
    },
    required: ['pointId', 'title', 'category', 'startAt', 'endAt', 'capacity', 'signupRequired'],
    bad: {
      title: ['', long(41)],
      category: ['cooking'],
      startAt: ['tomorrow', '2030-13-45T99:00'],
      capacity: [0, 5001, 1.5],
      audience: ['aliens'],
      requestId: ['short'],
    },
  },
  'activity.edit': { base: { id: ID }, required: ['id'], bad: { id: ['UPPERCASE1', 'short'], capacity: [0] } },
  'activity.cancel': {
    base: { id: ID, reason: '下雨改期' },
    required: ['id', 'reason'],
    bad: { reason: ['', long(101)] },
  },
  'activity.get': { base: { id: ID }, required: ['id'], bad: { id: ['x'] } },
  'activity.list': {
    base: { scope: 'mine' },
    required: ['scope'],
    bad: { scope: ['all'], page: [-1], lat: [91], pointId: ['../x'] },
  },
  'activity.signup': { base: { id: ID }, required: ['id'] },
  'activity.cancelSignup': { base: { id: ID }, required: ['id'] },
  'activity.roster': { base: { id: ID }, required: ['id'], bad: { page: [-1] } },
  'activity.code': { base: { id: ID }, required: ['id'] },
  'activity.scan': {
    base: { scene: 'c.abcdefghij.000000.AAAAAAAAAAAA' },
    required: ['scene'],
    bad: { scene: ['', long(401)], scannedAt: ['yesterday'], location: [{ lat: 200, lng: 0 }] },
  },
  'activity.review': {
    base: { checkinId: `${ID}:someone`, accept: true },
    required: ['checkinId', 'accept'],
    bad: { checkinId: ['x', `${ID}:has space`], reason: [long(101)] },
  },
  'activity.hours': { base: {}, required: [], bad: { page: [-1] } },
  'activity.totals': { base: { orgId: 'haian-01-001' }, required: ['orgId'], bad: { orgId: ['../x'] } },
  'activity.addHonour': {
    base: {
      openid: 'demo-volunteer',
      orgId: 'haian-01-001',
      minutes: 60,
      title: '值守',
      reason: '值守',
      requestId: REQUEST,
    },
    required: ['openid', 'orgId', 'minutes', 'title', 'reason', 'requestId'],
    bad: { minutes: [0, 6001, 1.5], requestId: ['short'], at: ['yesterday'], reason: [''] },
  },
  'activity.correct': {
    base: { recordId: 'some-record', minutes: -30, reason: '提前离开', requestId: REQUEST },
    required: ['recordId', 'minutes', 'reason', 'requestId'],
    bad: { minutes: [0, 6001, -6001], recordId: ['has space'] },
  },
  'activity.certificate': {
    base: { from: '2026-01-01', to: '2026-02-01' },
    required: ['from', 'to'],
    bad: { from: ['2026/01/01', '20260101'] },
  },
  'activity.certificates': { base: {}, required: [], bad: { page: [-1] } },
  'activity.certificatePdf': {
    base: { code: 'ABCDEFGHJKLM' },
    required: ['code'],
    bad: { code: ['short', 'ABCDEFGHJKL0'] },
  },
  'activity.verifyCertificate': {
    base: { code: 'ABCDEFGHJKLM' },
    required: ['code'],
    bad: { code: ['short', 'ABCDEFGHJKL0'] },
  },
};
