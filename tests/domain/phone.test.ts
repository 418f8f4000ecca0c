/**
 * Phones at rest (cloudfunctions/shared/user/domain/phone.ts): sealed with AES-256-GCM so an export shows
 * no number, opened only under the right key, hashed with a second key for matching; and how a phone
 * shows to anyone without the right to it (typings/format.ts maskPhone).
 */
import { randomBytes } from 'node:crypto';
import { isSealed, openPhone, parseKey, phoneHash, sealPhone } from '../../cloudfunctions/shared/user/domain/phone';
import { maskPhone } from '../../typings/format';

const key = randomBytes(32);
const other = randomBytes(32);

test('a sealed phone opens to the number under its key, and shows no number', () => {
  const sealed = sealPhone('13912345678', key);
  expect(sealed).toMatch(/^pe1:[\w-]+\.[\w-]+\.[\w-]+$/);
  expect(sealed).not.toMatch(/1\d{10}/);
  expect(sealed).not.toContain('12345678');
  expect(openPhone(sealed, key)).toBe('13912345678');
  expect(isSealed(sealed)).toBe(true);
});

test('each sealing uses a fresh IV; sealing a sealed value changes nothing', () => {
  const a = sealPhone('13912345678', key);
  const b = sealPhone('13912345678', key);
  expect(a).not.toBe(b);
  expect(sealPhone(a, key)).toBe(a);
  // Landlines (orders' contact) too.
  expect(openPhone(sealPhone('0513-88001234', key), key)).toBe('0513-88001234');
});

test('another key or an altered value does not open', () => {
  const sealed = sealPhone('13912345678', key);
  expect(() => openPhone(sealed, other)).toThrow();
  const [iv, body, tag] = sealed.slice(4).split('.');
  const flipped = Buffer.from(body, 'base64url');
  flipped[0] ^= 1;
  expect(() => openPhone(`pe1:${iv}.${flipped.toString('base64url')}.${tag}`, key)).toThrow();
  expect(() => openPhone(`pe1:${iv}.${body}`, key)).toThrow();
});

test('a phone stored before the migration (in clear) reads as it is', () => {
  expect(isSealed('13912345678')).toBe(false);
  expect(openPhone('13912345678', key)).toBe('13912345678');
});

test('the keyed hash matches equal numbers only, and depends on its key', () => {
  const h = phoneHash('13912345678', key);
  expect(h).toMatch(/^[0-9a-f]{64}$/);
  expect(phoneHash('139 1234 5678', key)).toBe(h);
  expect(phoneHash('13912345679', key)).not.toBe(h);
  expect(phoneHash('13912345678', other)).not.toBe(h);
});

test('keys are 32 bytes, as hex or base64', () => {
  const hex = key.toString('hex');
  expect(parseKey(hex).equals(key)).toBe(true);
  expect(parseKey(key.toString('base64')).equals(key)).toBe(true);
  expect(() => parseKey('too-short', 'PHONE_KEY')).toThrow(/PHONE_KEY/);
  expect(() => parseKey(hex.slice(2))).toThrow();
});

test('a phone shows masked to anyone without the right to it', () => {
  expect(maskPhone('13912345678')).toBe('139****5678');
  expect(maskPhone('123')).toBe('****');
  expect(maskPhone(null)).toBeNull();
  expect(maskPhone('')).toBeNull();
});
