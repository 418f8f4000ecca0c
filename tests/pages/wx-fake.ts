/**
 * The parts of `wx` that miniprogram-simulate stubs with canned answers, made real enough for the
 * pages to talk to a real local cloud: wx.request over Node's http module, storage in memory, and the
 * account info of DevTools' develop version. wx.cloud fails loudly: tests must never take that route.
 *
 * Beside those, a small phone: navigation that knows app.json (a page that is not there fails as
 * WeChat fails it, "page … is not found"), toasts and modals the tests can read, a location the test
 * sets or refuses, and WeChat's privacy consent (a privacy API waits for the mini-program's popup).
 * A test may hold back the answer to a request (holdAnswer) to make answers arrive out of order.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

export interface RecordedRequest {
  url: string;
  method: string;
  header: Record<string, string>;
  data: unknown;
}

interface RequestOptions {
  url: string;
  method?: string;
  data?: unknown;
  header?: Record<string, string>;
  timeout?: number;
  dataType?: string;
  success?: (res: {
    data: unknown;
    statusCode: number;
    header: Record<string, unknown>;
    cookies: string[];
    errMsg: string;
  }) => void;
  fail?: (err: { errMsg: string; errno?: number }) => void;
  complete?: (res: unknown) => void;
}

/** Every wx.request the mini-program made, oldest first. */
export const requests: RecordedRequest[] = [];

export const storage = new Map<string, unknown>();

/** Every other wx call the tests look at (navigation, toasts, modals, openLocation, …), oldest first. */
export interface WxCall {
  api: string;
  options: Record<string, unknown>;
}
export const wxCalls: WxCall[] = [];

export const callsTo = (api: string): Record<string, unknown>[] =>
  wxCalls.filter((c) => c.api === api).map((c) => c.options);

type PrivacyResolve = (answer: { event: string; buttonId?: string }) => void;

/** The phone's state that a test may set before acting. */
export interface Device {
  /** Where the phone is; null: the system cannot locate it. */
  location: { latitude: number; longitude: number } | null;
  /** Whether the villager allowed the mini-program to use location (scope.userLocation). */
  locationAllowed: boolean;
  /** What the villager does in wx.openSetting: switch location on, or not. */
  allowsLocationInSettings: boolean;
  /** Whether the villager has agreed to the privacy guide. */
  privacyAgreed: boolean;
  /** The answer to wx.showModal. */
  confirmsModals: boolean;
}

function freshDevice(): Device {
  return {
    location: null,
    locationAllowed: true,
    allowsLocationInSettings: false,
    privacyAgreed: true,
    confirmsModals: true,
  };
}

export const device: Device = freshDevice();

/**
 * WeChat's own settings on the phone, which outlive the mini-program's launches (resetWx leaves them):
 * the font size the villager chose (字体大小, 关怀模式) as wx.getAppBaseInfo reports it.
 */
export const wechatSettings = { fontSizeScaleFactor: 1 };
let privacyListener: ((resolve: PrivacyResolve, info: { referrer: string }) => void) | undefined;

export function resetWx(): void {
  requests.length = 0;
  wxCalls.length = 0;
  storage.clear();
  Object.assign(device, freshDevice());
  privacyListener = undefined;
  holds.length = 0;
}

// ---- routes -------------------------------------------------------------------------------------

interface AppJson {
  pages: string[];
  subpackages?: { root: string; pages: string[] }[];
  tabBar?: { list: { pagePath: string }[] };
}

const APP_JSON = path.resolve(__dirname, '..', '..', 'miniprogram', 'app.json');

/** The pages app.json registers (main package and subpackages), and the tabBar pages among them. */
export function routes(): { pages: Set<string>; tabs: Set<string> } {
  const app = JSON.parse(fs.readFileSync(APP_JSON, 'utf8')) as AppJson;
  const pages = new Set(app.pages);
  for (const sub of app.subpackages ?? []) for (const p of sub.pages) pages.add(`${sub.root.replace(/\/+$/, '')}/${p}`);
  return { pages, tabs: new Set((app.tabBar?.list ?? []).map((t) => t.pagePath)) };
}

/** "/packages/a/index?x=1" → "packages/a/index". */
export const routeOf = (url: string): string => url.replace(/^\//, '').split('?')[0];

/** The query of a URL as onLoad receives it. */
export function queryOf(url: string): Record<string, string> {
  const q = url.split('?')[1] ?? '';
  return Object.fromEntries(new URLSearchParams(q));
}

interface Callbacks {
  success?: (res: Record<string, unknown>) => void;
  fail?: (err: Record<string, unknown>) => void;
  complete?: (res: Record<string, unknown>) => void;
}

/** Settles a wx API call asynchronously, as WeChat does, through callbacks or a promise. */
function settle(
  options: Callbacks,
  outcome: { ok: boolean; res: Record<string, unknown> },
): Promise<unknown> | undefined {
  const run = () => {
    if (outcome.ok) options.success?.(outcome.res);
    else options.fail?.(outcome.res);
    options.complete?.(outcome.res);
  };
  if (options.success || options.fail || options.complete) {
    setTimeout(run, 0);
    return undefined;
  }
  return new Promise((resolve, reject) =>
    setTimeout(() => (outcome.ok ? resolve(outcome.res) : reject(outcome.res)), 0),
  );
}

const ok = (api: string, extra: Record<string, unknown> = {}) => ({ ok: true, res: { errMsg: `${api}:ok`, ...extra } });
const failed = (api: string, why: string, extra: Record<string, unknown> = {}) => ({
  ok: false,
  res: { errMsg: `${api}:fail ${why}`, ...extra },
});

/** Records the call and answers it with `decide(options)`. */
function api(
  name: string,
  decide: (options: Record<string, unknown>) => { ok: boolean; res: Record<string, unknown> } = () => ok(name),
) {
  return (options: Record<string, unknown> & Callbacks = {}) => {
    wxCalls.push({ api: name, options });
    return settle(options, decide(options));
  };
}

function navigation(name: string, needs: 'page' | 'tab' | 'any') {
  return api(name, (o) => {
    const route = routeOf(String(o.url ?? ''));
    const { pages, tabs } = routes();
    if (!pages.has(route)) return failed(name, `page "${route}" is not found`);
    if (needs === 'page' && tabs.has(route)) return failed(name, 'can not navigateTo a tabbar page');
    if (needs === 'tab' && !tabs.has(route)) return failed(name, 'can not switch to no-tabBar page');
    return ok(name);
  });
}

/** A privacy API: waits for the mini-program's popup when the villager has not agreed yet. */
function afterPrivacy(
  name: string,
  options: Record<string, unknown> & Callbacks,
  proceed: () => { ok: boolean; res: Record<string, unknown> },
): Promise<unknown> | undefined {
  wxCalls.push({ api: name, options });
  if (device.privacyAgreed) return settle(options, proceed());
  const refused = failed(name, 'privacy permission is not authorized', { errno: 104 });
  if (!privacyListener) return settle(options, refused);
  let answered = false;
  const waiting = new Promise<{ ok: boolean; res: Record<string, unknown> }>((resolve) => {
    privacyListener?.(
      (answer) => {
        if (answered) return;
        answered = true;
        if (answer.event === 'agree' && answer.buttonId) {
          device.privacyAgreed = true;
          resolve(proceed());
        } else {
          resolve(refused);
        }
      },
      { referrer: name },
    );
  });
  if (options.success || options.fail || options.complete) {
    void waiting.then((outcome) => settle(options, outcome));
    return undefined;
  }
  return waiting.then((outcome) => settle({}, outcome));
}

function getLocation(options: Record<string, unknown> & Callbacks = {}) {
  return afterPrivacy('getLocation', options, () => {
    if (!device.locationAllowed) return failed('getLocation', 'auth deny');
    if (!device.location) return failed('getLocation', 'system permission denied');
    return ok('getLocation', {
      ...device.location,
      speed: 0,
      accuracy: 30,
      altitude: 0,
      horizontalAccuracy: 30,
      verticalAccuracy: 0,
    });
  });
}

function requirePrivacyAuthorize(options: Record<string, unknown> & Callbacks = {}) {
  return afterPrivacy('requirePrivacyAuthorize', options, () => ok('requirePrivacyAuthorize'));
}

/** Where wx.downloadFile puts what it fetched (a phone's temporary files). */
export const DOWNLOADS = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-downloads-'));

/** wx.downloadFile: a real GET (Node's http: jsdom has no fetch); success for any HTTP status, as WeChat does. */
function downloadFile(options: Record<string, unknown> & Callbacks = {}) {
  wxCalls.push({ api: 'downloadFile', options });
  const outcome = new Promise<{ ok: boolean; res: Record<string, unknown> }>((resolve) => {
    const req = http.get(String(options.url ?? ''), (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (e) => resolve(failed('downloadFile', e.message)));
      res.on('end', () => {
        const file = path.join(DOWNLOADS, `tmp_${Date.now()}_${Math.random().toString(36).slice(2)}`);
        fs.writeFileSync(file, Buffer.concat(chunks));
        resolve(ok('downloadFile', { tempFilePath: file, statusCode: res.statusCode ?? 0 }));
      });
    });
    req.on('error', (e) => resolve(failed('downloadFile', e.message)));
  });
  void outcome.then((o) => settle(options, o));
}

/** wx.openDocument: recorded; fails as WeChat does when the file is not there. */
const openDocument = api('openDocument', (o) =>
  fs.existsSync(String(o.filePath ?? '')) ? ok('openDocument') : failed('openDocument', 'file not exist'),
);

const phoneApis = {
  navigateTo: navigation('navigateTo', 'page'),
  redirectTo: navigation('redirectTo', 'page'),
  switchTab: navigation('switchTab', 'tab'),
  reLaunch: navigation('reLaunch', 'any'),
  navigateBack: api('navigateBack'),
  showToast: api('showToast'),
  showLoading: api('showLoading'),
  hideLoading: api('hideLoading'),
  showModal: api('showModal', () =>
    ok('showModal', { confirm: device.confirmsModals, cancel: !device.confirmsModals }),
  ),
  stopPullDownRefresh: api('stopPullDownRefresh'),
  pageScrollTo: api('pageScrollTo'),
  setClipboardData: api('setClipboardData'),
  makePhoneCall: api('makePhoneCall'),
  openLocation: api('openLocation'),
  openPrivacyContract: api('openPrivacyContract'),
  openSetting: api('openSetting', () => {
    if (device.allowsLocationInSettings) device.locationAllowed = true;
    return ok('openSetting', { authSetting: { 'scope.userLocation': device.locationAllowed } });
  }),
  getPrivacySetting: api('getPrivacySetting', () =>
    ok('getPrivacySetting', {
      needAuthorization: !device.privacyAgreed,
      privacyContractName: '《文明实践云隐私保护指引》',
    }),
  ),
  onNeedPrivacyAuthorization: (listener: typeof privacyListener) => {
    privacyListener = listener;
  },
  getLocation,
  requirePrivacyAuthorize,
  downloadFile,
  openDocument,
};

function body(data: unknown, header: Record<string, string>): string | undefined {
  if (data === undefined || data === null) return undefined;
  if (typeof data === 'string') return data;
  const type = Object.entries(header).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? 'application/json';
  if (type.includes('application/json')) return JSON.stringify(data);
  return new URLSearchParams(data as Record<string, string>).toString();
}

// ---- answers held back --------------------------------------------------------------------------

/** The answer to one wx.request, held back from the mini-program until the test releases it. */
export interface HeldAnswer {
  /** The request whose answer is held, once the mini-program has made it. */
  readonly request: RecordedRequest | undefined;
  /** Whether its answer (or failure) has come back from the network; the mini-program has not seen it yet. */
  readonly arrived: boolean;
  /**
   * Hands the answer to the mini-program (now if it has arrived, else as soon as it does) and resolves
   * one macrotask later, when its callbacks and the promise continuations they started have run.
   */
  release(): Promise<void>;
}

interface Hold extends HeldAnswer {
  /** Takes `r` as the request held, when it matches and none was taken yet. */
  claim(r: RecordedRequest): boolean;
  /** Called by wx.request with the callbacks of its answer, instead of running them. */
  arrive(answer: () => void): void;
}

const holds: Hold[] = [];

/**
 * Holds back the answer to the next wx.request that `matches`: the request goes out and is answered
 * as usual, but the mini-program gets the answer only on `release()`. Answers thus arrive out of
 * order deterministically: hold the first question's answer, let a later one through, then release.
 * resetWx drops the holds still waiting for their request.
 */
export function holdAnswer(matches: (r: RecordedRequest) => boolean): HeldAnswer {
  let request: RecordedRequest | undefined;
  let answer: (() => void) | undefined;
  let released = false;
  let delivered: (() => void) | undefined;
  const deliver = () => {
    answer?.();
    setTimeout(() => delivered?.(), 0);
  };
  const hold: Hold = {
    get request() {
      return request;
    },
    get arrived() {
      return answer !== undefined;
    },
    claim(r) {
      if (request || !matches(r)) return false;
      request = r;
      return true;
    },
    arrive(a) {
      answer = a;
      if (released) deliver();
    },
    release() {
      if (released) throw new Error('this held answer was released already');
      released = true;
      return new Promise<void>((resolve) => {
        delivered = resolve;
        if (answer) deliver();
      });
    },
  };
  holds.push(hold);
  return hold;
}

/** wx.request as the documentation describes it: success for any HTTP status, fail only when no answer came. */
function request(options: RequestOptions): { abort(): void } {
  const header = { ...(options.header ?? {}) };
  const method = (options.method ?? 'GET').toUpperCase();
  const recorded: RecordedRequest = { url: options.url, method, header, data: options.data };
  requests.push(recorded);
  const hold = holds.find((h) => h.claim(recorded));
  const payload = method === 'GET' ? undefined : body(options.data, header);
  let settled = false;
  const finish = (fn: () => void) => {
    if (settled) return;
    settled = true;
    if (hold) hold.arrive(fn);
    else fn();
  };
  const fail = (errMsg: string) =>
    finish(() => {
      const err = { errMsg: `request:fail ${errMsg}`, errno: 600001 };
      options.fail?.(err);
      options.complete?.(err);
    });

  let req: http.ClientRequest;
  try {
    req = http.request(options.url, {
      method,
      headers: payload === undefined ? header : { ...header, 'content-length': Buffer.byteLength(payload) },
      timeout: options.timeout ?? 60000,
    });
  } catch (e) {
    fail((e as Error).message);
    return { abort() {} };
  }
  req.on('response', (res) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('error', (e) => fail(e.message));
    res.on('end', () =>
      finish(() => {
        const text = Buffer.concat(chunks).toString('utf8');
        let data: unknown = text;
        if ((options.dataType ?? 'json') === 'json') {
          try {
            data = JSON.parse(text);
          } catch {
            /* WeChat hands over the raw text when it is not JSON */
          }
        }
        const ok = { data, statusCode: res.statusCode ?? 0, header: res.headers, cookies: [], errMsg: 'request:ok' };
        options.success?.(ok);
        options.complete?.(ok);
      }),
    );
  });
  req.on('timeout', () => {
    req.destroy();
    fail('timeout');
  });
  req.on('error', (e) => fail(e.message));
  req.end(payload);
  return {
    abort() {
      req.destroy();
      fail('abort');
    },
  };
}

const unavailableInTests = () => {
  throw new Error('wx.cloud is not available in page tests: the transport should have used the local cloud');
};

/** Installs the fakes over whatever `wx` miniprogram-simulate defined. */
export function installWx(): void {
  const g = globalThis as { wx?: Record<string, unknown> };
  const wx = g.wx ?? (g.wx = {});
  Object.assign(wx, {
    request,
    getStorageSync: (key: string) => (storage.has(key) ? storage.get(key) : ''),
    setStorageSync: (key: string, value: unknown) => {
      storage.set(key, value);
    },
    removeStorageSync: (key: string) => {
      storage.delete(key);
    },
    clearStorageSync: () => storage.clear(),
    getAccountInfoSync: () => ({
      miniProgram: { appId: 'touristappid', envVersion: 'develop', version: '' },
      plugin: {},
    }),
    cloud: { init: unavailableInTests, callFunction: unavailableInTests },
    getAppBaseInfo: () => ({
      SDKVersion: '3.17.0',
      language: 'zh_CN',
      version: '8.0.60',
      fontSizeScaleFactor: wechatSettings.fontSizeScaleFactor,
      fontSizeSetting: Math.round(17 * wechatSettings.fontSizeScaleFactor * 10) / 10,
    }),
    ...phoneApis,
  });
}
