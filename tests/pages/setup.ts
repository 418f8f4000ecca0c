/**
 * Runs before each page test file: gives the mini-program what miniprogram-simulate lacks (a real
 * wx.request, storage, the develop version's account info, App/getApp/getCurrentPages) and registers
 * the real app from miniprogram/app.ts.
 */
import { currentPages, getCurrentApp, registerApp, simulate } from './harness';
import { installWx } from './wx-fake';
import { registerPageMeta } from './page-meta';

// Loading simulate defines Component, Behavior and its canned `wx`; the fakes then replace what matters.
void simulate;
installWx();
registerPageMeta();
Object.assign(globalThis, {
  App: registerApp,
  getApp: getCurrentApp,
  getCurrentPages: currentPages,
});

jest.requireActual('../../miniprogram/app');
