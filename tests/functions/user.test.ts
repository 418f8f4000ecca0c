/**
 * user.login end to end: the real function, built as it deploys, through the gateway and the real
 * wx-server-sdk against the local cloud.
 */
import type { Profile } from '../../typings/api';
import type { Result } from '../../typings/errors';
import { startTestCloud, type TestCloud } from '../helpers/localcloud';

let cloud: TestCloud;

beforeAll(async () => {
  cloud = await startTestCloud();
});

afterAll(async () => {
  await cloud.close();
});

const login = (openid?: string, extra: Record<string, unknown> = {}) =>
  cloud.call<Result<Profile>>('user', { action: 'login', ...extra }, openid);

describe('user.login', () => {
  it('creates the record of a new villager and answers the profile with no role yet', async () => {
    const r = await login('first-timer');
    expect(r).toEqual({
      ok: true,
      data: {
        openid: 'first-timer',
        roles: [],
        isNew: true,
        nickname: null,
        createdAt: expect.any(String),
        stationId: null,
        householdId: null,
      },
    });
    expect(cloud.engine.count('users', { _id: 'first-timer' })).toBe(1);
  });

  it('answers the same profile on the next login, no longer new', async () => {
    const first = await login('comes-back');
    const again = await login('comes-back');
    expect(again.ok && again.data.isNew).toBe(false);
    expect(again.ok && first.ok && again.data.createdAt).toBe(first.ok && first.data.createdAt);
  });

  it('makes one record when the same person logs in many times at once', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, () => login('double-tap')));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.filter((r) => r.ok && r.data.isNew)).toHaveLength(1);
    expect(cloud.engine.count('users', { openid: 'double-tap' })).toBe(1);
  });

  it('ignores the userInfo that wx.cloud.callFunction adds to the event', async () => {
    const r = await login('from-phone', { userInfo: { appId: 'wx123', openId: 'someone-else' } });
    expect(r.ok && r.data.openid).toBe('from-phone');
  });

  it('answers a call without identity with UNAUTHENTICATED and writes nothing', async () => {
    const before = cloud.engine.count('users', {});
    const r = await login(undefined);
    expect(r).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED', message: expect.stringMatching(/微信/) } });
    expect(cloud.engine.count('users', {})).toBe(before);
  });

  const malformed: [string, unknown][] = [
    ['an unknown action', { action: 'becomeAdmin' }],
    ['no action', { hello: 1 }],
    ['an action of the wrong type', { action: 42 }],
    ['an event that is not an object', ['login']],
    ['a string event', 'login'],
    ['an unexpected field', { action: 'login', role: 'centerAdmin' }],
    ['a prototype trick', { action: '__proto__' }],
  ];

  it.each(malformed)('answers %s with INVALID_ARGUMENT and writes nothing', async (_what, event) => {
    const before = cloud.engine.count('users', {});
    const r = await cloud.call<Result<Profile>>('user', event, 'malformed-caller');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe('INVALID_ARGUMENT');
    expect(!r.ok && r.error.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(cloud.engine.count('users', {})).toBe(before);
  });
});
