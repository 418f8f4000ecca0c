import type { UserApi } from '../../../typings/api';
import { action } from '../../shared/runtime/handler';
import { empty } from '../../shared/runtime/validate';
import { loginUser } from '../../shared/user/store';
import { toProfile } from '../../shared/user/domain/model';

type Login = UserApi['login'];

/** The first call of every session: creates the record for a new openid and answers the profile. */
export const login = action<Login['req'], Login['res']>({
  input: empty,
  access: 'self',
  run: (ctx) => loginUser(ctx.openid, ctx.now, async (user, created) => toProfile(user, created)),
});
