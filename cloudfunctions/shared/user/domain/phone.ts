/**
 * Phone numbers at rest: sealed with AES-256-GCM under a key held outside the database (the functions'
 * PHONE_KEY), and a keyed hash (HMAC-SHA256 under PHONE_HASH_KEY) where only matching is needed. A
 * database export then shows `pe1:…` and hex, never a number. Pure: the keys are arguments.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/** The prefix of a sealed phone: the version of the scheme, so a later one can be told apart. */
export const SEALED_PREFIX = 'pe1:';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A key from its text form: 64 hex digits or the base64 of 32 bytes. */
export function parseKey(text: string, name = 'key'): Buffer {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (key.length !== 32) throw new Error(`${name} must be 32 bytes (64 hex digits or base64)`);
  return key;
}

export const isSealed = (stored: string | null | undefined): boolean =>
  typeof stored === 'string' && stored.startsWith(SEALED_PREFIX);

/** 13912345678 → pe1:<iv>.<ciphertext>.<tag> (base64url); a fresh IV each time. Sealing twice seals once. */
export function sealPhone(phone: string, key: Buffer): string {
  if (isSealed(phone)) return phone;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(phone, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return `${SEALED_PREFIX}${[iv, body, tag].map((b) => b.toString('base64url')).join('.')}`;
}

/**
 * The phone inside a sealed value. A value not sealed yet (stored before the migration) is answered as
 * it is; a sealed one that does not open under this key (another key, or altered) throws.
 */
export function openPhone(stored: string, key: Buffer): string {
  if (!isSealed(stored)) return stored;
  const parts = stored.slice(SEALED_PREFIX.length).split('.');
  if (parts.length !== 3) throw new Error('a sealed phone has three parts');
  const [iv, body, tag] = parts.map((p) => Buffer.from(p, 'base64url'));
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new Error('a sealed phone is malformed');
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
}

/** The keyed hash of a phone (digits only): equal numbers give equal hashes, and nothing gives the number back. */
export function phoneHash(phone: string, key: Buffer): string {
  return createHmac('sha256', key).update(phone.replace(/\D/g, '')).digest('hex');
}
