/**
 * The phone keys of the local cloud: the functions get them as PHONE_KEY / PHONE_HASH_KEY (as deployed
 * functions get theirs from their environment, docs/DEPLOY.md), and the seed seals its phones with
 * them. Development keys, public by design: set PHONE_KEY / PHONE_HASH_KEY to use others.
 */
import { parseKey, phoneHash, sealPhone } from '../cloudfunctions/shared/user/domain/phone';

export const DEV_PHONE_KEY = '6c6f63616c2d646576656c6f706d656e742d70686f6e652d6b65792d30303031';
export const DEV_PHONE_HASH_KEY = '6c6f63616c2d646576656c6f706d656e742d686173682d6b65792d2d30303031';

export function phoneKeyEnv(): { PHONE_KEY: string; PHONE_HASH_KEY: string } {
  return {
    PHONE_KEY: process.env.PHONE_KEY ?? DEV_PHONE_KEY,
    PHONE_HASH_KEY: process.env.PHONE_HASH_KEY ?? DEV_PHONE_HASH_KEY,
  };
}

/** A phone as the functions store it, under the local cloud's keys: sealed, and its keyed hash. */
export function storedPhone(phone: string): { phone: string; phoneHash: string } {
  const env = phoneKeyEnv();
  return {
    phone: sealPhone(phone, parseKey(env.PHONE_KEY)),
    phoneHash: phoneHash(phone, parseKey(env.PHONE_HASH_KEY)),
  };
}
