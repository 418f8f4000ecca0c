/**
 * integral: moral integral (道德积分) and the points supermarket (积分超市) — rules, claims, review
 * and awards through a public notice to an append-only ledger; redemptions with pickup codes.
 */
import type { IntegralApi } from '../../typings/integral';
import { defineFunction } from '../shared/runtime/handler';
import { award, claim, claims, notices, object, review, settleObjection } from './actions/records';
import { balance, ledger, rank, reverse, rules, setRule, setSettings, settings } from './actions/ledger';
import { items, redeem, redemptions, saveItem, verifyPickup } from './actions/shop';

export const main = defineFunction<IntegralApi>('integral', {
  rules,
  setRule,
  claim,
  claims,
  review,
  award,
  notices,
  object,
  settleObjection,
  ledger,
  balance,
  reverse,
  items,
  saveItem,
  redeem,
  redemptions,
  verifyPickup,
  rank,
  settings,
  setSettings,
});
