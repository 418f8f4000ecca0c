/**
 * `npm run orders:geo`: the one-off migration that gives orders and activities stored before the `geo`
 * field their GeoJSON point (from `lat`/`lng`; null for one without a place), so the 2dsphere indexes
 * on `geo` of `orders` and `activities` (database/collections/*.json, deployed by `npm run deploy`)
 * find them: the task hall and duplicate check, and the nearby activities. Documents created since
 * carry it from the start. Idempotent, safe to run again: it touches only documents that have no `geo`
 * yet, each by a conditional update. Local cloud by default, a real environment with TCB_ENV_ID,
 * TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY set.
 */
import { connectDatabase, describeTarget, targetFromEnv, sdkErrorText, UPDATE_CONCURRENCY } from './lib/org-target';

interface Page {
  code?: string;
  message?: string;
  data?: { _id: string; lat?: number | null; lng?: number | null }[];
}
interface Query {
  where(q: Record<string, unknown>): Query;
  orderBy(f: string, d: 'asc' | 'desc'): Query;
  limit(n: number): Query;
  field(f: Record<string, boolean>): Query;
  get(): Promise<Page>;
  /** The admin SDK (@cloudbase/node-sdk) takes the fields themselves, not wx-server-sdk's `{ data }`. */
  update(data: Record<string, unknown>): Promise<{ code?: string; message?: string; updated?: number }>;
}
interface Db {
  command: { gt(v: unknown): unknown; exists(v: boolean): unknown; set(v: unknown): unknown };
  collection(name: string): Query;
}

const PAGE = 1000;

/** Gives every document of `name` without `geo` its point (or null); answers what it did. */
async function fill(db: Db, name: string): Promise<{ seen: number; placed: number; none: number }> {
  const _ = db.command;
  let last: string | null = null;
  let seen = 0;
  let placed = 0;
  let none = 0;
  for (;;) {
    // Keyed on _id, so paging neither skips nor repeats a document while earlier ones change.
    const where: Record<string, unknown> = { geo: _.exists(false), ...(last === null ? {} : { _id: _.gt(last) }) };
    const r = await db
      .collection(name)
      .where(where)
      .field({ _id: true, lat: true, lng: true })
      .orderBy('_id', 'asc')
      .limit(PAGE)
      .get();
    if (r.code) throw new Error(`${r.code} ${r.message ?? ''}`);
    const docs = r.data ?? [];
    seen += docs.length;
    for (let i = 0; i < docs.length; i += UPDATE_CONCURRENCY) {
      await Promise.all(
        docs.slice(i, i + UPDATE_CONCURRENCY).map(async (o) => {
          const has = typeof o.lat === 'number' && typeof o.lng === 'number';
          const u = await db
            .collection(name)
            .where({ _id: o._id, geo: _.exists(false) })
            .update({ geo: _.set(has ? { type: 'Point', coordinates: [o.lng, o.lat] } : null) });
          if (u.code) throw new Error(`${u.code} ${u.message ?? ''}`);
          if (has) placed += 1;
          else none += 1;
        }),
      );
    }
    if (docs.length < PAGE) break;
    last = docs[docs.length - 1]._id;
  }
  return { seen, placed, none };
}

async function main(): Promise<number> {
  const target = targetFromEnv();
  if (!target) return 2;
  const db = connectDatabase<Db>(target);
  console.log(`target: ${describeTarget(target)}`);
  for (const [name, noun] of [
    ['orders', 'order(s)'],
    ['activities', 'activity(ies)'],
  ] as const) {
    const { seen, placed, none } = await fill(db, name);
    console.log(`${seen} ${noun} without geo: ${placed} given their point, ${none} without a place (geo null)`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(sdkErrorText(e));
    process.exit(1);
  },
);
