/** Client of the `user` cloud function: who the caller is, their village and household, volunteers, people. */
import type { Me, Person, Profile, UserApi } from '../contract/api';
import type { Result } from '../contract/errors';
import { call } from './transport';

/** Creates the caller's record on first use and answers their profile. */
export function login(): Promise<Result<Profile>> {
  return call('user', 'login', {});
}

/** The caller's own view: binding, household, volunteer registration. */
export function me(): Promise<Result<Me>> {
  return call('user', 'me', {});
}

export function bind(req: UserApi['bind']['req']): Promise<Result<Me>> {
  return call('user', 'bind', req);
}

/** The head of a household agrees to (or declines) a request to join it. */
export function answerJoin(req: UserApi['answerJoin']['req']): Promise<Result<Me>> {
  return call('user', 'answerJoin', req);
}

/** Registrations waiting at a station (its heads and above). */
export function pendingVolunteers(
  req: UserApi['pendingVolunteers']['req'],
): Promise<Result<UserApi['pendingVolunteers']['res']>> {
  return call('user', 'pendingVolunteers', req);
}

/** A station head approves a registration, or declines it with a reason. */
export function reviewVolunteer(
  req: UserApi['reviewVolunteer']['req'],
): Promise<Result<UserApi['reviewVolunteer']['res']>> {
  return call('user', 'reviewVolunteer', req);
}

export function registerVolunteer(req: UserApi['registerVolunteer']['req']): Promise<Result<Me>> {
  return call('user', 'registerVolunteer', req);
}

export function grantRole(req: UserApi['grantRole']['req']): Promise<Result<Person>> {
  return call('user', 'grantRole', req);
}

export function revokeRole(req: UserApi['revokeRole']['req']): Promise<Result<Person>> {
  return call('user', 'revokeRole', req);
}

export function listPeople(req: UserApi['listPeople']['req']): Promise<Result<UserApi['listPeople']['res']>> {
  return call('user', 'listPeople', req);
}

/** What the project holds about the caller (个人信息查阅): everything, or one list's further page. */
export function myData(req: UserApi['myData']['req']): Promise<Result<UserApi['myData']['res']>> {
  return call('user', 'myData', req);
}

/** Closes the caller's account (注销). */
export function closeAccount(): Promise<Result<UserApi['close']['res']>> {
  return call('user', 'close', { confirm: true });
}
