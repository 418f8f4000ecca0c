/**
 * The four-level network as stored: one document per node, its id the node's code. Every node keeps
 * its ancestors (center → parent), so a subtree is one indexed query and a scope check needs no walk.
 * Plain data and pure functions; no SDK.
 */
import type { OrgNode } from '../../../../typings/api';
import { LEVELS, type Level, type PointKind } from '../../../../typings/domain';
import type { GeoPoint } from './geo';

export interface OrgDoc {
  /** The node's code, as the county keeps it (e.g. haian-03-012-04). */
  _id: string;
  level: Level;
  name: string;
  parentId: string | null;
  ancestors: string[];
  /** Position among its siblings, for stable paging. */
  order: number;
  lat: number | null;
  lng: number | null;
  /** lat/lng again as GeoJSON, for the 2dsphere index nearby searches use (null without a place). */
  geo: GeoPoint | null;
  address: string | null;
  kind: PointKind | null;
  hours: string | null;
  /** Stations: the top candidate is dispatched to without the head (order.setAutoDispatch). */
  autoDispatch?: boolean;
  createdAt: Date;
  updatedAt: Date;
  /**
   * How many records were attached here (orders, children, activities) and when the last was: the
   * fence each attaching transaction writes, so a concurrent retire conflicts with it (store.attachTo).
   */
  attached?: number;
  attachedAt?: Date;
  /**
   * Set when an admin above retired a mistaken node: hidden from pickers, lists and searches, kept
   * with its records (orders, hours) that name it. Absent on a live node.
   */
  retired?: {
    at: Date;
    by: string;
    reason: string;
    name: string;
    /** Where it stood: a retired node has no parent, ancestors or place of its own any more. */
    parentId: string | null;
    ancestors: string[];
    geo: GeoPoint | null;
  };
}

/** The level a node's children have; points have none. */
export function childLevel(level: Level): Level | null {
  const i = LEVELS.indexOf(level);
  return i >= 0 && i < LEVELS.length - 1 ? LEVELS[i + 1] : null;
}

/** The node's own id after its ancestors: what a scope held at any of them covers. */
export function pathOf(doc: Pick<OrgDoc, '_id' | 'ancestors'>): string[] {
  return [...doc.ancestors, doc._id];
}

export function toNode(doc: OrgDoc): OrgNode {
  return {
    id: doc._id,
    level: doc.level,
    name: doc.name,
    parentId: doc.parentId,
    ancestors: doc.ancestors,
    location: doc.lat === null || doc.lng === null ? null : { lat: doc.lat, lng: doc.lng },
    address: doc.address,
    kind: doc.kind,
    hours: doc.hours,
  };
}

/** Codes: letters, digits and dashes, as a county office writes them in Excel. */
export const ORG_CODE = /^[A-Za-z0-9][A-Za-z0-9-]{0,47}$/;

/** Roughly mainland China: catches swapped or missing coordinates without knowing the county. */
export function plausibleLocation(lat: number, lng: number): boolean {
  return Number.isFinite(lat) && Number.isFinite(lng) && lat >= 18 && lat <= 54 && lng >= 73 && lng <= 135;
}

/**
 * Codes follow the parent's: a child's code is its parent's, a dash, and its number among its siblings,
 * with at least this many digits (the county's codes: haian-01, haian-01-001, haian-01-001-01).
 */
export const CODE_DIGITS: Record<Level, number> = { center: 0, institute: 2, station: 3, point: 2 };

/** The generated code of the n-th child (1-based) of a parent, at the child's level. */
export function childCode(parentId: string, level: Level, n: number): string {
  return `${parentId}-${String(n).padStart(CODE_DIGITS[level], '0')}`;
}

/** Whether a code given for a new node follows its parent's code and the node's level. */
export function followsParent(id: string, parentId: string, level: Level): boolean {
  if (!id.startsWith(`${parentId}-`)) return false;
  const rest = id.slice(parentId.length + 1);
  return new RegExp(`^[0-9]{${CODE_DIGITS[level]},${Math.max(CODE_DIGITS[level], 3)}}$`).test(rest);
}
