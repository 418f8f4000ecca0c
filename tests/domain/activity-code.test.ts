/** The rotating check-in code and the poster code: format, signature, slots, defensive decoding. */
import {
  checkinScene,
  newActivityId,
  newSecret,
  pointScene,
  readScene,
  slotOf,
  verifyCode,
  SCENE_MAX,
  type Scene,
} from '../../cloudfunctions/shared/activity/domain/code';

const ALLOWED = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]+$/;
const activity = { _id: newActivityId(), secret: newSecret(), slotSeconds: 30 };
const at = new Date('2026-05-01T02:00:10Z');
const checkin = (s: string) => readScene(s) as Extract<Scene, { kind: 'checkin' }>;

it('fits a wxacode scene: 32 characters from the allowed set', () => {
  const { scene, validUntil } = checkinScene(activity, at);
  expect(scene).toHaveLength(SCENE_MAX);
  expect(scene).toMatch(ALLOWED);
  expect(validUntil.getTime()).toBe((slotOf(at, 30) + 1) * 30_000);
  expect(pointScene('haian-01-001-04')).toBe('p.haian-01-001-04');
  expect(pointScene('x'.repeat(31))).toBeNull();
});

it('accepts its slot and the one before, refuses older and later ones', () => {
  const { scene } = checkinScene(activity, at);
  const s = checkin(scene);
  expect(verifyCode(activity, s, at)).toBe('ok');
  expect(verifyCode(activity, s, new Date(at.getTime() + 30_000))).toBe('ok');
  expect(verifyCode(activity, s, new Date(at.getTime() + 60_000))).toBe('expired');
  expect(verifyCode(activity, s, new Date(at.getTime() - 30_000))).toBe('future');
});

it('refuses a forged signature, any one character changed, and another activity’s code', () => {
  const { scene } = checkinScene(activity, at);
  const other = { _id: newActivityId(), secret: newSecret(), slotSeconds: 30 };
  expect(verifyCode(other, checkin(checkinScene(activity, at).scene), at)).toBe('forged');
  const wrongKey = checkinScene({ ...activity, secret: newSecret() }, at).scene;
  expect(verifyCode(activity, checkin(wrongKey), at)).toBe('forged');
  let changed = 0;
  for (let i = 2; i < scene.length; i += 1) {
    if (scene[i] === '.') continue;
    const swap = scene[i] === 'a' ? 'b' : 'a';
    const parsed = readScene(scene.slice(0, i) + swap + scene.slice(i + 1));
    if (parsed?.kind !== 'checkin') continue;
    // A changed slot with the original signature is as forged as a changed signature.
    const target = parsed.activityId === activity._id ? activity : { ...activity, _id: parsed.activityId };
    expect(verifyCode(target, parsed, at)).not.toBe('ok');
    changed += 1;
  }
  expect(changed).toBeGreaterThan(20);
});

it('reads a scene however the phone hands it over', () => {
  const { scene } = checkinScene(activity, at);
  expect(readScene(scene)).toMatchObject({ kind: 'checkin', activityId: activity._id });
  expect(readScene(encodeURIComponent(scene))).toMatchObject({ kind: 'checkin' });
  expect(readScene(encodeURIComponent(encodeURIComponent(scene)))).toMatchObject({ kind: 'checkin' });
  expect(readScene(`packages/activity/scan/index?scene=${encodeURIComponent(scene)}`)).toMatchObject({
    kind: 'checkin',
  });
  expect(readScene('p.haian-01-001-04')).toEqual({ kind: 'point', pointId: 'haian-01-001-04' });
  expect(readScene('https://example.com')).toBeNull();
  expect(readScene('%E0%A4%A')).toBeNull();
  expect(readScene('')).toBeNull();
});
