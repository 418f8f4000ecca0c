/**
 * The fetch-everything-then-filter baseline: what the other platforms we studied do — read every open
 * order (or every volunteer) a page at a time, then filter and rank by distance in memory. It lives in
 * the benchmark only, never in the product: it is the yardstick the real actions are compared with,
 * measured on the same data through the same counters (the admin SDK over the local cloud's tcb API).
 */
import { connectApp } from '../org-target';
import { PAGE, type AdminDb, type Query } from '../admin-db';
import { distanceM } from '../../../cloudfunctions/shared/org/domain/geo';

type Db = AdminDb;

export function baselineDb(url: string): Db {
  return connectApp<{ database(): Db }>({ kind: 'local', url }).database();
}

/** Every document matching `where`, page by page on _id: what a fetch-all implementation reads. */
export async function fetchAll(
  db: Db,
  coll: string,
  where: Record<string, unknown>,
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let last: string | null = null;
  for (;;) {
    const q: Query = db.collection(coll).where(last === null ? where : { ...where, _id: db.command.gt(last) });
    const r = await q.orderBy('_id', 'asc').limit(PAGE).get();
    if (r.code) throw new Error(`${r.code} ${r.message ?? ''}`);
    const docs = r.data ?? [];
    out.push(...docs);
    if (docs.length < PAGE) return out;
    last = String(docs[docs.length - 1]._id);
  }
}

/** The hall the fetch-all way: every open order read, then the volunteer's filtered and ranked by distance. */
export async function hallByFetchAll(
  db: Db,
  v: { openid: string; areas: string[]; skills: string[] },
  here: { lat: number; lng: number } | null,
  shown = 20,
): Promise<number> {
  const all = await fetchAll(db, 'orders', { status: 'open' });
  const areas = new Set(v.areas);
  const skills = new Set(v.skills);
  const mine = all.filter(
    (o) =>
      areas.has(String(o.ownerOrgId)) &&
      skills.has(String(o.category)) &&
      !(o.passedOver as string[]).includes(v.openid) &&
      (o.requester as { openid: string }).openid !== v.openid,
  );
  const d = (o: Record<string, unknown>) =>
    here && typeof o.lat === 'number' && typeof o.lng === 'number'
      ? distanceM(here, { lat: o.lat, lng: o.lng })
      : Infinity;
  return mine.sort((a, b) => d(a) - d(b)).slice(0, shown).length;
}

/** Matching the fetch-all way: every active volunteer read, then those with the skill at a station near the order. */
export async function candidatesByFetchAll(
  db: Db,
  order: { category: string; lat: number; lng: number },
  stations: { _id: string; lat: number | null; lng: number | null }[],
  nearest = 20,
  shown = 20,
): Promise<number> {
  const all = await fetchAll(db, 'volunteers', { status: 'active' });
  const near = new Map(
    stations
      .filter((s) => s.lat !== null && s.lng !== null)
      .map((s) => [s._id, distanceM(order, { lat: s.lat!, lng: s.lng! })] as const)
      .sort((a, b) => a[1] - b[1])
      .slice(0, nearest),
  );
  const pool = all.filter(
    (v) => (v.skills as string[]).includes(order.category) && (v.stationIds as string[]).some((s) => near.has(s)),
  );
  return pool.slice(0, shown).length;
}
