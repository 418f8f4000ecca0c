/** user: who the caller is — login, binding to village and household, volunteers, appointments, people. */
import type { UserApi } from '../../typings/api';
import { defineFunction } from '../shared/runtime/handler';
import { login } from './actions/login';
import { me } from './actions/me';
import { answerJoin, bind } from './actions/bind';
import { pendingVolunteers, registerVolunteer, reviewVolunteer } from './actions/volunteer';
import { grantRole, revokeRole } from './actions/roles';
import { listPeople } from './actions/people';
import { myData } from './actions/mydata';
import { close } from './actions/close';

export const main = defineFunction<UserApi>('user', {
  login,
  me,
  bind,
  answerJoin,
  registerVolunteer,
  pendingVolunteers,
  reviewVolunteer,
  grantRole,
  revokeRole,
  listPeople,
  myData,
  close,
});
