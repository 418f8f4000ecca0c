/** Client of the `org` cloud function: the county's network of centers, institutes, stations and points. */
import type { OrgApi } from '../contract/api';
import type { Result } from '../contract/errors';
import { call } from './transport';

type Res<A extends keyof OrgApi> = Promise<Result<OrgApi[A]['res']>>;

/** A node with the counts of its subtree; without id, the center. */
export function getOrg(req: OrgApi['get']['req']): Res<'get'> {
  return call('org', 'get', req);
}

/** A node with a page of its children. */
export function tree(req: OrgApi['tree']['req']): Res<'tree'> {
  return call('org', 'tree', req);
}

/** Practice points around a location, nearest first. */
export function nearby(req: OrgApi['nearby']['req']): Res<'nearby'> {
  return call('org', 'nearby', req);
}

/** Nodes whose name contains the words. */
export function search(req: OrgApi['search']['req']): Res<'search'> {
  return call('org', 'search', req);
}

/** The stations nearest to a location. */
export function nearestStations(req: OrgApi['nearestStations']['req']): Res<'nearestStations'> {
  return call('org', 'nearestStations', req);
}

/** A station head or admin adds a node under one of their scope (a practice point under a station). */
export function createOrg(req: OrgApi['create']['req']): Res<'create'> {
  return call('org', 'create', req);
}

/** A station head or admin changes a node of their scope (name, place, address, kind, opening hours). */
export function updateOrg(req: OrgApi['update']['req']): Res<'update'> {
  return call('org', 'update', req);
}
