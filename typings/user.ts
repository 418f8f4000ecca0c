/**
 * The user function's part of the API contract (typings/api.ts gathers every function's): people,
 * households, volunteer registration, roles, what the project holds about a person and closing an account.
 */
import type { Availability, Category, Role, RoleGrant, VolunteerStatus } from './domain';
import type { OrderStatus } from './order';
import type { NoFields, Profile } from './api';
export interface Household {
  id: string;
  stationId: string;
  /** The head of household (户主), shown by name. */
  headName: string;
  headOpenid: string;
  members: { openid: string; name: string; isHead: boolean }[];
  /** People asking to join, waiting for the head's answer: shown to the head only (empty for others). */
  requests: { openid: string; name: string; at: string }[];
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
  /** The villagers' stars: the average (one decimal) over `count` rated orders; 0 and 0 before any. */
  rating: { average: number; count: number };
  /** pending until a station head of one of the chosen stations approves it; only active volunteers take orders. */
  status: VolunteerStatus;
}

/** One volunteer's sight of one requester's contact (the station head's log against phone harvesting). */
export interface ContactReveal {
  orderId: string;
  orderTitle: string;
  volunteer: { openid: string; name: string };
  requesterName: string;
  firstAt: string;
  lastAt: string;
  times: number;
  /** When the volunteer declined the order after seeing the contact. */
  declinedAt: string | null;
}

export interface Me extends Profile {
  name: string | null;
  station: { id: string; name: string; path: { id: string; name: string }[] } | null;
  household: Household | null;
  /** The household the caller asked to join, waiting for its head (户主) to agree. */
  joinRequest: { householdId: string; headName: string } | null;
  volunteer: VolunteerProfile | null;
}

/** The lists of what the project holds about a person (个人信息查阅), each read a page at a time. */
export type MyDataList = 'requested' | 'assigned' | 'hours' | 'points' | 'reveals';

export interface MyDataPage<T> {
  items: T[];
  nextPage: number | null;
}

/** One order of theirs: one they asked for (requested) or held as a volunteer (assigned). */
export interface MyOrderLine {
  id: string;
  title: string;
  status: OrderStatus;
  stationName: string;
  createdAt: string;
}

export interface MyHoursLine {
  title: string;
  minutes: number;
  kind: 'recorded' | 'honour';
  at: string;
}

/** A record of points they made for their household (a claim), with its state. */
export interface MyPointsLine {
  ruleName: string;
  points: number;
  status: string;
  at: string;
}

/** One volunteer's sight of their phone and address (who saw it, when, how often). */
export interface MyRevealLine {
  orderTitle: string;
  volunteerName: string;
  firstAt: string;
  lastAt: string;
  times: number;
}

/** Everything the project holds about the caller, in plain sections; the long parts paged. */
export interface MyData {
  /** Absent when one list's further page was asked for. */
  about?: {
    openid: string;
    name: string | null;
    nickname: string | null;
    createdAt: string;
    station: { id: string; name: string } | null;
    /** Every role with the name of the place it is held at. */
    roles: { role: Role; orgId: string; orgName: string }[];
    /** Their household: the others' names masked (赵**). */
    household: {
      id: string;
      isHead: boolean;
      members: { name: string; isHead: boolean; isMe: boolean }[];
      /** The household's points balance. */
      balance: number;
    } | null;
    /** Their volunteer registration, their own phone in full. */
    volunteer: VolunteerProfile | null;
    /** Their wishes nobody has started on yet (cancelled if they close the account). */
    activeRequested: number;
    /** Orders they hold as a volunteer now (given back if they close). */
    activeAssigned: number;
  };
  lists: {
    requested?: MyDataPage<MyOrderLine>;
    assigned?: MyDataPage<MyOrderLine>;
    hours?: MyDataPage<MyHoursLine>;
    points?: MyDataPage<MyPointsLine>;
    reveals?: MyDataPage<MyRevealLine>;
  };
}

/** What closing an account did: the name its records now carry, and what was let go. */
export interface Closed {
  closed: true;
  /** How their orders, hours and points now read: 已注销用户. */
  shownAs: string;
  /** Orders they held, given back to be taken by another volunteer. */
  released: number;
  /** Their wishes not yet taken, cancelled. */
  cancelled: number;
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
  /**
   * Binds the caller to a station (village or community) and a household: a new one they head, or —
   * by an existing one's number (户号, eight digits, shown on the head's 我的 page) — a request to join
   * it that its head answers (answerJoin).
   */
  bind: { req: { stationId: string; householdId?: string; name: string }; res: Me };
  /**
   * The head of a household agrees to (or declines) a request to join it. A bind naming another
   * household's number only asks: the asker is bound to the village and waits for this answer.
   */
  answerJoin: { req: { openid: string; approve: boolean }; res: Me };
  /**
   * Registers (or updates) the caller as a volunteer; the phone comes from a getPhoneNumber code, or typed
   * in. An update may leave out both to keep the phone registered before.
   */
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
  /** Registrations waiting at a station (for its heads and above). */
  pendingVolunteers: { req: { stationId: string }; res: { volunteers: VolunteerProfile[] } };
  /** A station head of one of the chosen stations (or an admin above) approves or rejects a registration. */
  reviewVolunteer: {
    /** `reason`: why it was declined, kept with the registration (the approval page asks for it). */
    req: { openid: string; stationId: string; approve: boolean; reason?: string };
    res: VolunteerProfile;
  };
  /**
   * People within the caller's scope (or a node under it), newest first, searchable by name.
   * volunteerStatus: only volunteers in that status ('active': approved), newest registration first.
   */
  listPeople: {
    req: { orgId?: string; q?: string; role?: Role; volunteerStatus?: VolunteerStatus; page?: number };
    /** total: everyone who matches, over all pages. */
    res: { people: Person[]; nextPage: number | null; total: number };
  };
  /**
   * What the project holds about the caller (个人信息查阅). Without `list`: everything, each list's first
   * page; with `list`: that list's `page` only.
   */
  myData: { req: { list?: MyDataList; page?: number }; res: MyData };
  /**
   * Closes the caller's account (注销): their personal fields erased, roles given up, household left,
   * orders they hold given back and open wishes cancelled; their orders, hours and points stay for the
   * county's records under 已注销用户. `confirm` must be true. Safe to retry.
   */
  close: { req: { confirm: true }; res: Closed };
}
