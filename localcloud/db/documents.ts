/**
 * Reads and writes of documents: the store picks candidate rows by index, mingo (with MongoDB's
 * meaning where it differs, operators.ts) decides exactly. Calls are synchronous, so one request's
 * read-modify-write can never interleave with another's: a conditional update is settled here exactly
 * as it is in CloudBase.
 */
import { update as applyUpdate } from 'mingo';
import type { Modifier } from 'mingo/updater';
import { encodeKey, valuesAtPath } from './keys';
import type { Plan, SortSpec } from './planner';
import { fromStorage, toStorage, type Doc } from './ejson';
import { TcbError, invalid } from './errors';
import { Aggregator, MINGO } from './operators';
import { asGeometry, distanceTo, nearOf, nearSpec, type NearSpec } from './geo';
import { geoFieldOf } from './geoindex';
import {
  checkFieldNames,
  compile,
  isOperatorValue,
  newId,
  sameId,
  structuredCloneDoc,
  validateUpdate,
  type FindSpec,
  type Row,
  type UpdateSpec,
} from './model';
import { Store } from './store';

export class Documents extends Store {
  /** Matching documents with their rows, honouring sort, skip and limit. */
  protected select(coll: string, spec: FindSpec): { row: Row; doc: Doc }[] {
    const sort = spec.sort ?? [];
    const skip = spec.skip ?? 0;
    const limit = spec.limit ?? Number.POSITIVE_INFINITY;
    const q = compile(spec.query);
    const near = nearOf(spec.query);
    if (near) this.requireGeoIndex(coll, near.field);
    const p = this.plan(coll, spec.query, sort);
    if (p.rounds && near) return this.nearest(p, q, near, skip + limit).slice(skip, skip + limit);
    const ordered = p.ordered && !near;
    const matched: { row: Row; doc: Doc }[] = [];
    for (const row of this.candidates(p)) {
      const doc = fromStorage(row.body);
      if (!q.test(doc)) continue;
      matched.push({ row, doc });
      if (ordered && matched.length >= skip + limit) break;
    }
    if (ordered) return matched.slice(skip, skip + limit);
    if (near && sort.length === 0) {
      // $nearSphere answers nearest first when no other order is asked for.
      const by = new Map(matched.map((m) => [m, distanceTo(m.doc, near) ?? 0]));
      return matched.sort((a, b) => (by.get(a) ?? 0) - (by.get(b) ?? 0)).slice(skip, skip + limit);
    }
    if (sort.length === 0) return matched.slice(skip, skip + limit); // a geo index's plan: no order asked
    const byId = new Map(matched.map((m) => [m.row.id.toString('hex'), m]));
    const sorted = new Aggregator([{ $sort: Object.fromEntries(sort) }], MINGO).run(matched.map((m) => m.doc)) as Doc[];
    return sorted
      .slice(skip, skip + limit)
      .map((d) => byId.get(encodeKey(d._id).toString('hex')))
      .filter((m): m is { row: Row; doc: Doc } => m !== undefined);
  }

  /** Every candidate row of a plan: a walk's rounds all read, each row once. */
  protected *candidates(p: Plan): Generator<Row> {
    if (!p.rounds) {
      yield* this.rows(p);
      return;
    }
    const seen = new Set<string>();
    for (const round of p.rounds()) {
      for (const row of this.rows(round.plan)) {
        const k = row.id.toString('hex');
        if (!seen.has(k)) {
          seen.add(k);
          yield row;
        }
      }
    }
  }

  /**
   * geoNear with no other order: the `wanted` nearest matches, read round by round outwards (each
   * round's plan through this.rows, so its reads are counted like any other), stopping once that many
   * lie within a distance every unread document is beyond.
   */
  protected nearest(p: Plan, q: ReturnType<typeof compile>, near: NearSpec, wanted: number): { row: Row; doc: Doc }[] {
    const found: { row: Row; doc: Doc; d: number }[] = [];
    const seen = new Set<string>();
    for (const { plan, within } of p.rounds!()) {
      for (const row of this.rows(plan)) {
        const k = row.id.toString('hex');
        if (seen.has(k)) continue;
        seen.add(k);
        const doc = fromStorage(row.body);
        if (q.test(doc)) found.push({ row, doc, d: distanceTo(doc, near) ?? 0 });
      }
      if (found.filter((f) => f.d <= within).length >= wanted) break;
    }
    return found.sort((a, b) => a.d - b.d).map(({ row, doc }) => ({ row, doc }));
  }

  /** The plan a query would use, for tests and for the benchmark's report. */
  explain(coll: string, query: Doc, sort: SortSpec = []): { index: string; ordered: boolean; countsInSql: boolean } {
    const p = this.plan(coll, query, sort);
    return { index: p.index, ordered: p.ordered, countsInSql: !!p.count };
  }

  find(coll: string, spec: FindSpec): Doc[] {
    const docs = this.select(coll, spec).map((m) => m.doc);
    if (!spec.projection || Object.keys(spec.projection).length === 0) return docs;
    return new Aggregator([{ $project: spec.projection }], MINGO).run(docs) as Doc[];
  }

  count(coll: string, query: Doc): number {
    const p = this.plan(coll, query, []);
    if (p.count) return (this.stmt(p.count.sql).get(...p.count.params) as { n: number }).n;
    const q = compile(query);
    let n = 0;
    for (const row of this.candidates(p)) if (q.test(fromStorage(row.body))) n += 1;
    return n;
  }

  aggregate(coll: string, pipeline: Doc[]): Doc[] {
    this.requireCollection(coll);
    pipeline.forEach((stage, i) => {
      if (i > 0 && '$geoNear' in stage) {
        throw new TcbError('DATABASE_REQUEST_FAILED', '$geoNear is only valid as the first stage in a pipeline');
      }
    });
    const first = pipeline[0];
    const source =
      first && '$geoNear' in first
        ? this.geoNear(coll, first.$geoNear as Doc)
        : first && '$match' in first
          ? this.find(coll, { query: first.$match as Doc })
          : [...this.rows(this.plan(coll, {}, []))].map((r) => fromStorage(r.body));
    const rest = first && ('$match' in first || '$geoNear' in first) ? pipeline.slice(1) : pipeline;
    try {
      return new Aggregator(rest, {
        ...MINGO,
        collectionResolver: (name: string) => this.find(name, { query: {} }),
      }).run(source) as Doc[];
    } catch (e) {
      if (e instanceof TcbError) throw e;
      throw new TcbError('DATABASE_INVALID_OPERRATOR', `invalid aggregation: ${(e as Error).message}`);
    }
  }

  /** The $geoNear stage: documents with their distance in metres (times distanceMultiplier), nearest first. */
  protected geoNear(coll: string, spec: Doc): Doc[] {
    if (!spec || typeof spec !== 'object') throw invalid('$geoNear needs an object');
    if (typeof spec.distanceField !== 'string' || !spec.distanceField) throw invalid('$geoNear needs distanceField');
    const geo = this.geoIndexesOf(coll);
    const field = typeof spec.key === 'string' ? spec.key : geo.length === 1 ? geoFieldOf(geo[0]) : '';
    if (!field) {
      throw new TcbError(
        'DATABASE_REQUEST_FAILED',
        geo.length === 0
          ? `unable to find index for $geoNear query on ${coll}`
          : '$geoNear needs key: more than one 2dsphere index',
      );
    }
    this.requireGeoIndex(coll, field);
    const near = nearSpec(field, {
      $geometry: spec.near,
      $minDistance: spec.minDistance,
      $maxDistance: spec.maxDistance,
    });
    const multiplier = typeof spec.distanceMultiplier === 'number' ? spec.distanceMultiplier : 1;
    const query = spec.query && typeof spec.query === 'object' ? (spec.query as Doc) : {};
    const out: { doc: Doc; d: number }[] = [];
    for (const doc of this.find(coll, { query })) {
      const g = asGeometry(valuesAtPath(doc, field).values[0]);
      if (!g) continue;
      const d = distanceTo(doc, near) as number;
      if (d < near.min || d > near.max) continue;
      applyUpdate(doc, { $set: { [spec.distanceField]: d * multiplier } } as Modifier<Doc>);
      if (typeof spec.includeLocs === 'string') applyUpdate(doc, { $set: { [spec.includeLocs]: g } } as Modifier<Doc>);
      out.push({ doc, d });
    }
    return out.sort((a, b) => a.d - b.d).map((x) => x.doc);
  }

  // ── writes ─────────────────────────────────────────────────────────────────────────────────

  insert(coll: string, docs: Doc[]): unknown[] {
    this.requireCollection(coll);
    if (docs.length === 0) throw invalid('nothing to insert');
    return this.atomically(() =>
      docs.map((d) => {
        if (!d || typeof d !== 'object' || Array.isArray(d)) throw invalid('a document must be an object');
        checkFieldNames(d);
        const doc: Doc = { _id: d._id ?? newId(), ...d };
        this.putRow(coll, encodeKey(doc._id), doc, undefined);
        return doc._id;
      }),
    );
  }

  update(coll: string, spec: UpdateSpec): { updated: number; upsertedId?: unknown } {
    this.requireCollection(coll);
    validateUpdate(spec);
    return this.atomically(() => {
      const targets = this.select(coll, { query: spec.query, limit: spec.multi ? undefined : 1 });
      // CloudBase answers the documents matched, also those the write leaves as they were (see README).
      const updated = targets.length;
      for (const { row, doc } of targets) {
        const next = this.applyTo(doc, spec);
        if (toStorage(next) !== row.body) this.putRow(coll, row.id, next, row);
      }
      if (targets.length === 0 && spec.upsert) {
        // The query's equality fields, set as MongoDB does: { 'a.b': 1 } seeds { a: { b: 1 } }.
        const { _id, ...equal } = Object.fromEntries(
          Object.entries(spec.query).filter(([k, v]) => !k.startsWith('$') && !isOperatorValue(v)),
        );
        const seed: Doc = _id === undefined ? {} : { _id };
        try {
          if (Object.keys(equal).length > 0) applyUpdate(seed, { $set: equal } as Modifier<Doc>);
        } catch (e) {
          throw new TcbError('DATABASE_INVALID_OPERRATOR', `invalid upsert query: ${(e as Error).message}`);
        }
        const doc = this.applyTo(seed, spec);
        doc._id ??= newId();
        this.putRow(coll, encodeKey(doc._id), doc, undefined);
        return { updated: 0, upsertedId: doc._id };
      }
      return { updated };
    });
  }

  /** where(…).updateAndReturn(): updates the first match and answers it as it is afterwards. */
  findOneAndUpdate(coll: string, spec: UpdateSpec): { updated: number; doc: Doc | null } {
    this.requireCollection(coll);
    validateUpdate(spec);
    return this.atomically(() => {
      const [target] = this.select(coll, { query: spec.query, limit: 1 });
      if (!target) return { updated: 0, doc: null };
      const next = this.applyTo(target.doc, spec);
      if (toStorage(next) !== target.row.body) this.putRow(coll, target.row.id, next, target.row);
      return { updated: 1, doc: next };
    });
  }

  remove(coll: string, query: Doc, multi: boolean): number {
    this.requireCollection(coll);
    return this.atomically(() => {
      const targets = this.select(coll, { query, limit: multi ? undefined : 1 });
      for (const { row } of targets) this.deleteRow(coll, row);
      return targets.length;
    });
  }

  protected applyTo(doc: Doc, spec: UpdateSpec): Doc {
    if (!spec.merge) {
      const { _id, ...rest } = spec.update;
      if (_id !== undefined && !sameId(_id, doc._id)) {
        throw new TcbError('DATABASE_REQUEST_FAILED', 'the field _id cannot be modified');
      }
      return { _id: doc._id, ...rest };
    }
    for (const fields of Object.values(spec.update)) {
      if (
        fields &&
        typeof fields === 'object' &&
        Object.keys(fields).some((k) => k === '_id' || k.startsWith('_id.'))
      ) {
        throw new TcbError(
          'DATABASE_REQUEST_FAILED',
          "Performing an update on the path '_id' would modify the immutable field '_id'",
        );
      }
    }
    const next = structuredCloneDoc(doc);
    try {
      applyUpdate(next, spec.update as Modifier<Doc>);
    } catch (e) {
      throw new TcbError('DATABASE_INVALID_OPERRATOR', `invalid update: ${(e as Error).message}`);
    }
    if (!sameId(next._id, doc._id)) throw new TcbError('DATABASE_REQUEST_FAILED', 'the field _id cannot be modified');
    checkFieldNames(next);
    return next;
  }
}
