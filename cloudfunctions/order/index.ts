/** order: the five-order method — post, review, dispatch, accept, fulfil, rate — with messages. */
import type { OrderApi } from '../../typings/api';
import { defineFunction } from '../shared/runtime/handler';
import { create, similar } from './actions/create';
import { counts, get, hall, list, markRead, messages, subscribed } from './actions/read';
import { accept, cancel, decline, dispatch, fulfil, rate, reopen, review } from './actions/flow';
import { candidates } from './actions/match';
import { reveals } from './actions/reveals';
import { urge } from './actions/urge';
import { setAutoDispatch, setSettings, settings } from './actions/settings';

export const main = defineFunction<OrderApi>('order', {
  create,
  similar,
  get,
  list,
  counts,
  hall,
  review,
  candidates,
  dispatch,
  accept,
  decline,
  fulfil,
  rate,
  cancel,
  reopen,
  urge,
  settings,
  setSettings,
  setAutoDispatch,
  messages,
  markRead,
  subscribed,
  reveals,
});
