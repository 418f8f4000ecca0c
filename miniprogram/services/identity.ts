/**
 * Who the developer is pretending to be against the local cloud. The local gateway takes the caller
 * from the `x-wx-openid` header; CloudBase takes it from the WeChat session, so this is never sent there.
 */
import { ID_PATTERN } from '../contract/time';

export const IDENTITY_STORAGE_KEY = 'localcloud.openid';
export const DEFAULT_LOCAL_OPENID = 'demo-villager';

export function isValidLocalOpenid(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

export function getLocalIdentity(): string {
  try {
    const stored: unknown = wx.getStorageSync(IDENTITY_STORAGE_KEY);
    return isValidLocalOpenid(stored) ? stored : DEFAULT_LOCAL_OPENID;
  } catch {
    return DEFAULT_LOCAL_OPENID;
  }
}

/** Switches the local identity; the next call acts as `openid`. */
export function setLocalIdentity(openid: string): void {
  if (!isValidLocalOpenid(openid)) throw new Error(`local openid must be 1–64 letters, digits, _ or -: ${openid}`);
  wx.setStorageSync(IDENTITY_STORAGE_KEY, openid);
}

export interface DemoIdentity {
  openid: string;
  who: string;
}

/**
 * The fixed identities of the local cloud's demo county (localcloud/seed/people.ts), offered on 我的
 * in local development only. The page tests check this list against what the seed reports.
 */
export const DEMO_IDENTITIES: readonly DemoIdentity[] = [
  { openid: 'demo-center-admin', who: '中心管理员 陈主任（海安市新时代文明实践中心）' },
  { openid: 'demo-institute-admin', who: '所长 王所长（海安街道新时代文明实践所）' },
  { openid: 'demo-station-head', who: '站长 李站长（凤山村新时代文明实践站）' },
  { openid: 'demo-volunteer', who: '志愿者 张志愿（服务凤山村新时代文明实践站，会健康、科技、爱心）' },
  { openid: 'demo-villager', who: '群众 赵桂英（凤山村新时代文明实践站，户主）' },
];
