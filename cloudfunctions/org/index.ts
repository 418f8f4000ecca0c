/** org: the four-level network — reading it, the ten-minute circle, and admin edits within scope. */
import type { OrgApi } from '../../typings/api';
import { defineFunction } from '../shared/runtime/handler';
import { get, nearby, nearestStations, search, tree } from './actions/read';
import { create, retire, update } from './actions/edit';

export const main = defineFunction<OrgApi>('org', {
  get,
  tree,
  nearby,
  nearestStations,
  search,
  create,
  update,
  retire,
});
