/**
 * activity: check-in by QR code at practice points — activities and sign-up, the rotating signed code,
 * scans in and out, service hours (recorded and honour apart), certificates anyone can verify.
 */
import type { ActivityApi } from '../../typings/activity';
import { defineFunction } from '../shared/runtime/handler';
import { cancel, create, edit } from './actions/manage';
import { get, list, roster } from './actions/read';
import { cancelSignup, signup } from './actions/signup';
import { code, review, scan } from './actions/scan';
import { addHonour, correct, hours, totals } from './actions/hours';
import { certificate, certificatePdf, certificates, verifyCertificate } from './actions/certificate';

export const main = defineFunction<ActivityApi>('activity', {
  create,
  edit,
  cancel,
  get,
  list,
  signup,
  cancelSignup,
  roster,
  code,
  scan,
  review,
  hours,
  totals,
  addHonour,
  correct,
  certificate,
  certificates,
  certificatePdf,
  verifyCertificate,
});
