/** Client of the `user` cloud function. */
import type { Profile } from '../contract/api';
import type { Result } from '../contract/errors';
import { call } from './transport';

/** Creates the caller's record on first use and answers their profile. */
export function login(): Promise<Result<Profile>> {
  return call('user', 'login', {});
}
