/**
 * The check-in contract: activities at practice points, sign-up, the rotating code, scans, service
 * hours and certificates. Action names and the fields named in issue 8 are fixed (an outside suite
 * calls them); the rest is designed here and documented once for both sides.
 */
import type { Category } from './domain';

/** Who an activity is for: registered volunteers only, or anyone (a lecture for villagers). */
export const AUDIENCES = ['volunteers', 'all'] as const;
export type Audience = (typeof AUDIENCES)[number];
export const AUDIENCE_LABELS: Record<Audience, string> = { volunteers: '志愿者', all: '所有群众' };

export type ActivityStatus = 'open' | 'cancelled';

/** Why a check-in waits for the station head: too far from the point, or checked out by the timer. */
export const CHECKIN_FLAGS = ['far', 'autoOut', 'late'] as const;
export type CheckinFlag = (typeof CHECKIN_FLAGS)[number];
export const CHECKIN_FLAG_LABELS: Record<CheckinFlag, string> = {
  far: '离活动地点太远',
  autoOut: '忘记签退，系统自动签退',
  late: '没有信号，事后补交',
};
/** Flags that hold the hours back until the station head confirms; 'late' is only shown. */
export const FLAGS_NEEDING_REVIEW: readonly CheckinFlag[] = ['far', 'autoOut'];

export type Review = 'none' | 'pending' | 'confirmed' | 'rejected';

/** Why a scan was refused; each is recorded as an attempt. */
export const REFUSALS = [
  'malformed',
  'unknown',
  'forged',
  'expired',
  'future',
  'notStarted',
  'ended',
  'cancelled',
  'notSignedUp',
  'notVolunteer',
  'checkedOut',
  'tooLate',
] as const;
export type Refusal = (typeof REFUSALS)[number];

/** The county's settings for activities and hours (a `config` document may override any of them). */
export interface ActivitySettings {
  /** How long one code is shown; a code is accepted in its slot and the one before. */
  slotSeconds: number;
  /** A second scan at least this long after checking in checks out; sooner changes nothing. */
  checkoutAfterMin: number;
  /** Check-in opens this long before the start … */
  earlyMin: number;
  /** … and scans are accepted this long after the end (then the timer checks the rest out). */
  graceMin: number;
  /** Further than this from the point is flagged for the station head. */
  farM: number;
  /** A scan kept by a phone without signal is accepted this long after it was made, marked late. */
  offlineMaxDelayMin: number;
  /** Sign-up may be cancelled until this long before the start. */
  cancelCutoffMin: number;
  /** Hours are shown rounded to this many minutes (half hours by default). */
  hourUnitMin: number;
}

export const DEFAULT_ACTIVITY_SETTINGS: ActivitySettings = {
  slotSeconds: 30,
  checkoutAfterMin: 10,
  earlyMin: 30,
  graceMin: 30,
  farM: 500,
  offlineMaxDelayMin: 24 * 60,
  cancelCutoffMin: 60,
  hourUnitMin: 30,
};

/** Star levels of the volunteer registration rules, by total service hours. */
export const STAR_LEVELS = [
  { stars: 1, hours: 100, label: '一星志愿者' },
  { stars: 2, hours: 300, label: '二星志愿者' },
  { stars: 3, hours: 600, label: '三星志愿者' },
  { stars: 4, hours: 1000, label: '四星志愿者' },
  { stars: 5, hours: 1500, label: '五星志愿者' },
] as const;

export const ACTIVITY_LIMITS = { titleMax: 40, descriptionMax: 500, capacityMax: 5000, reasonMax: 100 } as const;

export interface ActivitySummary {
  id: string;
  title: string;
  category: Category;
  pointId: string;
  pointName: string;
  stationId: string;
  stationName: string;
  startAt: string;
  endAt: string;
  capacity: number;
  signedUp: number;
  signupRequired: boolean;
  audience: Audience;
  status: ActivityStatus;
  /** Metres from the caller, where the list is by distance. */
  distanceM?: number;
}

export interface Activity extends ActivitySummary {
  description: string;
  address: string | null;
  location: { lat: number; lng: number } | null;
  cancelReason: string | null;
  /** The caller's own standing. */
  mine: { signedUp: boolean; checkin: 'none' | 'in' | 'out' };
  /** The caller may manage it (edit, cancel, code, roll). */
  manage: boolean;
}

export interface RosterEntry {
  checkinId: string;
  openid: string;
  name: string;
  state: 'in' | 'out';
  inAt: string | null;
  outAt: string | null;
  minutes: number | null;
  flags: CheckinFlag[];
  review: Review;
  distanceM: number | null;
}

export interface HoursRecord {
  id: string;
  kind: 'recorded' | 'honour';
  source: 'checkin' | 'honour' | 'correction' | 'order';
  minutes: number;
  title: string;
  category: Category | null;
  placeName: string;
  at: string;
  reason: string | null;
  by: string | null;
  correctsId: string | null;
}

export interface Stars {
  stars: number;
  label: string | null;
  /** Hours still to go for the next level; null at five stars. */
  toNext: number | null;
}

export interface HoursTotals {
  recordedMinutes: number;
  honourMinutes: number;
  /** Both, as the county's unit shows them (e.g. 12.5). */
  recordedHours: number;
  honourHours: number;
  byMonth: { month: string; minutes: number }[];
  byCategory: { category: Category; minutes: number }[];
}

export interface CertificateService {
  title: string;
  place: string;
  at: string;
  minutes: number;
  kind: 'recorded' | 'honour';
}

export interface Certificate {
  code: string;
  name: string;
  /** 138****1234, or the masked ID number. */
  maskedId: string;
  from: string;
  to: string;
  services: CertificateService[];
  recordedMinutes: number;
  honourMinutes: number;
  stationName: string;
  issuedAt: string;
}

export type ScanResult =
  | {
      result: 'in' | 'out' | 'already';
      activityId: string;
      title: string;
      message: string;
      late: boolean;
      flagged: boolean;
      minutes?: number;
    }
  | { result: 'point'; pointId: string; message: string };

/**
 * The scene inside whatever a scan handed over: a page path or URL with `scene=`, a scene URI-encoded
 * once or twice (Android and iOS differ), or the scene itself. Used by the scan page and the function.
 */
export function sceneText(raw: string | null | undefined): string | null {
  let s = String(raw ?? '').trim();
  const q = /[?&]scene=([^&]*)/.exec(s);
  if (q) s = q[1];
  for (let i = 0; i < 3 && /%[0-9A-Fa-f]{2}/.test(s); i += 1) {
    try {
      s = decodeURIComponent(s);
    } catch {
      return null;
    }
  }
  return s;
}

export type ActivityListScope = 'mine' | 'area' | 'near' | 'point' | 'managed';

export interface ActivityInput {
  pointId: string;
  title: string;
  category: Category;
  description?: string;
  startAt: string;
  endAt: string;
  capacity: number;
  signupRequired: boolean;
  audience?: Audience;
}

export interface ActivityApi {
  /** An organiser in scope of the point; answers `data.id`. */
  create: { req: ActivityInput & { requestId?: string }; res: { id: string } };
  edit: { req: Partial<Omit<ActivityInput, 'pointId'>> & { id: string }; res: Activity };
  /** Cancels with a reason; everyone signed up is told. */
  cancel: { req: { id: string; reason: string }; res: Activity };
  get: { req: { id: string }; res: Activity };
  /** mine: signed up or checked in; area: my station's (or scope's) upcoming; near: by distance; point: one point's; managed: what I organise. */
  list: {
    req: { scope: ActivityListScope; pointId?: string; lat?: number; lng?: number; page?: number };
    res: { activities: ActivitySummary[]; nextPage: number | null };
  };
  signup: { req: { id: string }; res: Activity };
  cancelSignup: { req: { id: string }; res: Activity };
  roster: {
    req: { id: string; page?: number };
    res: {
      entries: RosterEntry[];
      counts: { signedUp: number; in: number; out: number; flagged: number };
      nextPage: number | null;
    };
  };
  /** The rotating code: an organiser in scope only. */
  /** `image`: also the code as a PNG data URL (wxacode.getUnlimited), for the full-screen page. */
  code: {
    req: { id: string; image?: boolean };
    /** `now`: the cloud's time, so a phone whose clock is off still counts down right. */
    res: { scene: string; validUntil: string; now: string; slotSeconds: number; image?: string };
  };
  /** `scannedAt`: when a phone without signal scanned it (sent later). */
  scan: { req: { scene: string; location?: { lat: number; lng: number }; scannedAt?: string }; res: ScanResult };
  /** Confirm or reject a flagged check-in. */
  review: { req: { checkinId: string; accept: boolean; reason?: string }; res: RosterEntry };
  /** The caller's hours. */
  hours: {
    req: { page?: number };
    res: HoursTotals & { stars: Stars; records: HoursRecord[]; nextPage: number | null };
  };
  /** A station's or an institute's totals (organisers in scope). */
  totals: { req: { orgId: string }; res: { recordedMinutes: number; honourMinutes: number; people: number } };
  addHonour: {
    req: {
      openid: string;
      orgId: string;
      minutes: number;
      reason: string;
      title: string;
      at?: string;
      requestId: string;
    };
    res: HoursRecord;
  };
  /** A correction: a new record (plus or minus) with who and why, never an edit. */
  correct: { req: { recordId: string; minutes: number; reason: string; requestId: string }; res: HoursRecord };
  /** Issues a certificate of the caller's service in a period (dates YYYY-MM-DD, Beijing time). */
  certificate: { req: { from: string; to: string }; res: Certificate };
  certificates: { req: { page?: number }; res: { certificates: Certificate[]; nextPage: number | null } };
  /**
   * The caller's own certificate as an A4 PDF in cloud storage (made on the first ask, kept after):
   * its fileID and a temporary address to download it (wx.downloadFile + wx.openDocument).
   */
  certificatePdf: { req: { code: string }; res: { fileId: string; url: string } };
  /** Anyone: what a certificate certifies and whether it still stands. */
  verifyCertificate: { req: { code: string }; res: Certificate & { stands: boolean; note: string } };
}
