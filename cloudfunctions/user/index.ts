/** user: who the caller is. */
import type { UserApi } from '../../typings/api';
import { defineFunction } from '../shared/runtime/handler';
import { login } from './actions/login';

export const main = defineFunction<UserApi>('user', { login });
