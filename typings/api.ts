/**
 * The API contract between the mini-program and the cloud functions: for each function, its actions
 * with their request and response types. The event a function receives is `{ action, ...request }`;
 * it answers `Result<response>`.
 */
import type { RoleGrant } from './domain';

export interface Profile {
  openid: string;
  roles: RoleGrant[];
  /** True only on the login that created the record. */
  isNew: boolean;
  nickname: string | null;
  createdAt: string;
  stationId: string | null;
  householdId: string | null;
}

export interface UserApi {
  login: { req: Record<string, never>; res: Profile };
}

/** All functions, by deployed name. */
export interface Api {
  user: UserApi;
}

export type FunctionName = keyof Api;
export type ActionName<F extends FunctionName> = keyof Api[F] & string;
export type Req<F extends FunctionName, A extends ActionName<F>> = Api[F][A] extends { req: infer R } ? R : never;
export type Res<F extends FunctionName, A extends ActionName<F>> = Api[F][A] extends { res: infer R } ? R : never;
