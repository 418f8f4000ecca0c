/**
 * The phone keys, read from the functions' environment (never from the database): PHONE_KEY seals
 * phone numbers (AES-256-GCM), PHONE_HASH_KEY hashes them for matching (HMAC-SHA256). Deployed, they
 * are set as environment variables of each function that stores or shows a phone (docs/DEPLOY.md); the
 * local cloud sets development keys. Without them a phone is neither stored nor shown (INTERNAL).
 */
import { openPhone, parseKey, phoneHash, sealPhone } from '../user/domain/phone';
import { AppError } from './errors';

let cached: { text: string; key: Buffer } | undefined;
let cachedHash: { text: string; key: Buffer } | undefined;

function key(name: 'PHONE_KEY' | 'PHONE_HASH_KEY'): Buffer {
  const text = process.env[name];
  if (!text) {
    console.error(`${name} is not set: phones can be neither stored nor read`);
    throw new AppError('INTERNAL');
  }
  const slot = name === 'PHONE_KEY' ? cached : cachedHash;
  if (slot?.text === text) return slot.key;
  const parsed = { text, key: parseKey(text, name) };
  if (name === 'PHONE_KEY') cached = parsed;
  else cachedHash = parsed;
  return parsed.key;
}

/** The phone as stored: sealed. */
export const sealed = (phone: string): string => sealPhone(phone, key('PHONE_KEY'));

/** The phone as stored, opened; null stays null. */
export function opened(stored: string): string;
export function opened(stored: string | null | undefined): string | null;
export function opened(stored: string | null | undefined): string | null {
  return stored ? openPhone(stored, key('PHONE_KEY')) : null;
}

/** The keyed hash for matching a phone without reading it. */
export const hashed = (phone: string): string => phoneHash(phone, key('PHONE_HASH_KEY'));
