/**
 * Matching (派单) against the database: the candidates for an order — the pool read by one indexed
 * query over `${skill}@${station}` keys for the stations nearest the order within its current scope
 * (one geoNear read),
 * never all volunteers — and automatic dispatch for stations that turn it on.
 */
import type { Candidate } from '../../../typings/api';
import type { OrderSettings } from '../../../typings/order';
import type { OrgDoc } from '../org/domain/model';
import { getOrg, stationsNear, stationsUnder } from '../org/store';
import { volunteersFor } from '../user/store';
import { applied } from './domain/decide';
import { autoDispatchTo } from './domain/system';
import type { OrderDoc } from './domain/model';
import { rank } from './domain/matching';
import * as store from './store';
import { tell } from './tell';

/** How many stations around the order make the pool when it is held above its station. */
const NEAREST_STATIONS = 20;

/**
 * The stations whose volunteers may serve the order now: its own, or the nearest ones of its scope —
 * found by geoNear on the orgs' 2dsphere index, so only those shown are read; an order without a place
 * takes the first stations of its scope.
 */
async function stationsFor(o: OrderDoc): Promise<OrgDoc[]> {
  if (o.level === 'station') {
    const st = await getOrg(o.stationId);
    return st ? [st] : [];
  }
  if (o.lat !== null && o.lng !== null) return stationsNear(o.ownerOrgId, { lat: o.lat, lng: o.lng }, NEAREST_STATIONS);
  const all = await stationsUnder(o.ownerOrgId);
  return all.sort((a, b) => a._id.localeCompare(b._id)).slice(0, NEAREST_STATIONS);
}

export async function candidatesFor(o: OrderDoc, now: Date): Promise<Candidate[]> {
  const stations = await stationsFor(o);
  const pool = await volunteersFor(
    o.category,
    stations.map((s) => s._id),
    [...o.passedOver, o.requester.openid],
  );
  return rank(
    {
      category: o.category,
      stationId: o.stationId,
      location: o.lat !== null && o.lng !== null ? { lat: o.lat, lng: o.lng } : null,
    },
    pool.map((v) => ({ ...v, load: v.load ?? 0, ratingSum: v.ratingSum ?? 0, ratingCount: v.ratingCount ?? 0 })),
    new Map(stations.map((s) => [s._id, { id: s._id, lat: s.lat, lng: s.lng }])),
    now,
  );
}

/**
 * Where the order's station lets the top candidate be dispatched automatically, dispatch an open order
 * to the best volunteer not yet passed over. The timer calls it too, after skipping a volunteer.
 */
export async function autoDispatch(o: OrderDoc, settings: OrderSettings, now: Date): Promise<boolean> {
  if (o.status !== 'open') return false;
  const station = await getOrg(o.stationId);
  if (!station?.autoDispatch) return false;
  const [top] = await candidatesFor(o, now);
  if (!top) return false;
  const change = autoDispatchTo(o, top, settings, now);
  if (!change || !(await store.apply(o._id, change))) return false;
  await tell(applied(o, change), now);
  return true;
}
