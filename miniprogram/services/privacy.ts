/**
 * WeChat's privacy consent (app.json __usePrivacyCheck__): before a privacy API (getLocation, the phone
 * number button) runs for the first time, WeChat asks the mini-program to show its own popup through
 * wx.onNeedPrivacyAuthorization, and the API waits until the villager agrees or refuses. The popup of
 * the page in front presents the question (components/privacy-popup); this module holds the waiting
 * answers, so that two APIs waiting at once are both answered by one tap.
 */

export type PrivacyAnswer = { event: 'agree'; buttonId: string } | { event: 'disagree' };
export type PrivacyResolve = (answer: PrivacyAnswer) => void;
type NeedListener = (resolve: PrivacyResolve, info: { referrer?: string }) => void;

// miniprogram-api-typings declares the listener as (res) => void; the platform calls it with
// (resolve, eventInfo), as its own documentation shows. Typed correctly here, in one place.
type PrivacyWx = { onNeedPrivacyAuthorization?: (listener: NeedListener) => void };

const waiting = new Set<PrivacyResolve>();
let presenter: { owner: object; show: () => void } | undefined;

function onNeed(resolve: PrivacyResolve): void {
  waiting.add(resolve);
  if (presenter) presenter.show();
  else answerPrivacy(false); // no popup on this page: the API fails as refused, and the page explains
}

/** Registers the one listener (registering again replaces it, which is harmless). */
export function listenForPrivacyRequests(): void {
  const api = wx as unknown as PrivacyWx;
  api.onNeedPrivacyAuthorization?.(onNeed);
}

/** The popup of the page in front; it shows the question when an API waits. */
export function presentPrivacyWith(owner: object, show: () => void): void {
  presenter = { owner, show };
  if (waiting.size > 0) show();
}

export function stopPresenting(owner: object): void {
  if (presenter?.owner === owner) presenter = undefined;
}

/** Answers every waiting API: agree only after the agreePrivacyAuthorization button was tapped. */
export function answerPrivacy(agree: boolean, buttonId = ''): void {
  const answer: PrivacyAnswer = agree ? { event: 'agree', buttonId } : { event: 'disagree' };
  const all = [...waiting];
  waiting.clear();
  for (const resolve of all) resolve(answer);
}

export interface PrivacyState {
  needAuthorization: boolean;
  contractName: string;
}

const DEFAULT_CONTRACT = '《文明实践云隐私保护指引》';

export function getPrivacyState(): Promise<PrivacyState> {
  return new Promise((resolve) => {
    if (typeof wx.getPrivacySetting !== 'function') {
      resolve({ needAuthorization: false, contractName: DEFAULT_CONTRACT });
      return;
    }
    wx.getPrivacySetting({
      success: (res) =>
        resolve({
          needAuthorization: res.needAuthorization,
          contractName: res.privacyContractName || DEFAULT_CONTRACT,
        }),
      fail: () => resolve({ needAuthorization: false, contractName: DEFAULT_CONTRACT }),
    });
  });
}

export function openPrivacyContract(): void {
  wx.openPrivacyContract({
    fail: () => wx.showToast({ title: '隐私保护指引暂时打不开，请稍后再试', icon: 'none' }),
  });
}

/** Asks for consent now (the popup shows if it is still needed); answers whether it was given. */
export function requirePrivacyConsent(): Promise<boolean> {
  return new Promise((resolve) => {
    wx.requirePrivacyAuthorize({ success: () => resolve(true), fail: () => resolve(false) });
  });
}
