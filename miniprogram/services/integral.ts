/**
 * Client of the `integral` cloud function (moral integral and the points supermarket), and the few
 * words and numbers its pages show the same way: signed points, dates, labels.
 */
import type { ActionName, Req, Res } from '../contract/api';
import type { IntegralApi, LedgerCause } from '../contract/integral';
import { LEDGER_CAUSE_LABELS } from '../contract/integral';
import type { Result } from '../contract/errors';
import { shanghaiDay } from '../utils/format';
import { call } from './transport';

type IntegralActionName = ActionName<'integral'> & keyof IntegralApi;

/** Calls one action of the integral function; answers its Result and never throws. */
export function integralCall<A extends IntegralActionName>(
  action: A,
  request: Req<'integral', A>,
): Promise<Result<Res<'integral', A>>> {
  return call('integral', action, request);
}

/** +5 / -10, as a ledger prints them. */
export const signed = (n: number): string => (n > 0 ? `+${n}` : String(n));

/** 2026-11-30 in Beijing time. */
export function day(iso: string | null): string {
  return iso ? shanghaiDay(new Date(iso)) : '';
}

export const causeLabel = (c: LedgerCause): string => LEDGER_CAUSE_LABELS[c];
