/**
 * The API contract between the mini-program and the cloud functions: for each function, its actions
 * with their request and response types. The event a function receives is `{ action, ...request }`;
 * it answers `Result<response>`.
 */
import type { Availability, Category, Level, PointKind, Role, RoleGrant } from './domain';

/** A request with no fields beyond the action (the function refuses any extra one). */
export type NoFields = Record<never, never>;

export interface Profile {
  openid: string;
  roles: RoleGrant[];
  /** True only on the login that created the record. */
  isNew: boolean;
  nickname: string | null;
  createdAt: string;
  stationId: string | null;
  householdId: string | null;
}

/** A node of the four-level network. */
export interface OrgNode {
  id: string;
  level: Level;
  name: string;
  parentId: string | null;
  /** The ids from the center down to the parent: "everything under X" is one query on this. */
  ancestors: string[];
  /** Practice points always have one; other levels may (the station's office, the institute's hall). */
  location: { lat: number; lng: number } | null;
  address: string | null;
  /** Practice points only. */
  kind: PointKind | null;
  /** Opening hours in plain words, e.g. "每天 8:30-11:30，14:00-17:30". */
  hours: string | null;
}

export interface OrgCounts {
  institutes: number;
  stations: number;
  points: number;
}

export interface TreeNode extends OrgNode {
  /** How many direct children the node has (all of them, not only those returned). */
  childCount: number;
  children?: TreeNode[];
}

export interface NearbyPoint extends OrgNode {
  distanceM: number;
  stationName: string;
}

export interface OrgApi {
  /** A node with the counts of its subtree; without id, the center (the root). */
  get: { req: { id?: string }; res: OrgNode & { counts: OrgCounts; path: { id: string; name: string }[] } };
  /** A node with a page of its children (and, with depth 2, theirs, up to 50 each). */
  tree: {
    req: { id: string; depth?: number; page?: number; pageSize?: number };
    res: TreeNode & { nextPage: number | null };
  };
  /** Practice points within radiusM of a location, nearest first: the ten-minute circle. */
  nearby: { req: { lat: number; lng: number; radiusM: number; limit?: number }; res: { points: NearbyPoint[] } };
  /** Nodes whose name contains the words, e.g. a village for the station picker. */
  search: {
    req: { q: string; level?: Level; under?: string; page?: number };
    res: { nodes: (OrgNode & { parentName: string })[]; nextPage: number | null };
  };
  /** Nearest stations to a location (the picker's "nearest" tab). */
  nearestStations: {
    req: { lat: number; lng: number; limit?: number };
    res: { stations: (OrgNode & { distanceM: number })[] };
  };
  /** Admin edits within scope: a new station under an institute, a new point under a station. */
  create: {
    req: {
      parentId: string;
      id?: string;
      name: string;
      location?: { lat: number; lng: number };
      address?: string;
      kind?: PointKind;
      hours?: string;
    };
    res: OrgNode;
  };
  update: {
    req: {
      id: string;
      name?: string;
      location?: { lat: number; lng: number } | null;
      address?: string | null;
      kind?: PointKind;
      hours?: string | null;
    };
    res: OrgNode;
  };
}

export interface Household {
  id: string;
  stationId: string;
  /** The head of household (户主), shown by name. */
  headName: string;
  headOpenid: string;
  members: { openid: string; name: string; isHead: boolean }[];
}

export interface VolunteerProfile {
  openid: string;
  name: string;
  /** Full to the person themself and to station heads whose stations they serve; 138****1234 to anyone else. */
  phone: string;
  skills: Category[];
  stationIds: string[];
  availability: Availability;
  registeredAt: string;
}

export interface Me extends Profile {
  name: string | null;
  station: { id: string; name: string; path: { id: string; name: string }[] } | null;
  household: Household | null;
  volunteer: VolunteerProfile | null;
}

export interface Person {
  openid: string;
  name: string | null;
  roles: RoleGrant[];
  stationId: string | null;
  stationName: string | null;
  /** Masked unless the caller may dispatch this volunteer (a station head whose station they serve, or above). */
  phone: string | null;
  skills: Category[];
}

export interface UserApi {
  login: { req: NoFields; res: Profile };
  /** Like login, plus the binding, household and volunteer registration. */
  me: { req: NoFields; res: Me };
  /** Binds the caller to a station (village or community) and a household: an existing one by id, or a new one they head. */
  bind: { req: { stationId: string; householdId?: string; name: string }; res: Me };
  /** Registers (or updates) the caller as a volunteer; the phone comes from a getPhoneNumber code, or typed in. */
  registerVolunteer: {
    req: {
      name: string;
      phone?: string;
      phoneCode?: string;
      skills: Category[];
      stationIds: string[];
      availability?: Availability;
    };
    res: Me;
  };
  grantRole: { req: { openid: string; role: Role; orgId: string }; res: Person };
  revokeRole: { req: { openid: string; role: Role; orgId: string }; res: Person };
  /** People within the caller's scope (or a node under it), newest first, searchable by name. */
  listPeople: {
    req: { orgId?: string; q?: string; role?: Role; page?: number };
    res: { people: Person[]; nextPage: number | null };
  };
}

/** All functions, by deployed name. */
export interface Api {
  user: UserApi;
  org: OrgApi;
}

export type FunctionName = keyof Api;
export type ActionName<F extends FunctionName> = keyof Api[F] & string;
export type Req<F extends FunctionName, A extends ActionName<F>> = Api[F][A] extends { req: infer R } ? R : never;
export type Res<F extends FunctionName, A extends ActionName<F>> = Api[F][A] extends { res: infer R } ? R : never;
