/**
 * The certificate verify page when answers come back out of order: a slow answer to the code asked
 * first must not replace the answer to the code asked last. The fake network holds the first answer
 * back (wx-fake's holdAnswer) until the second is on screen, then hands it over.
 */
import type { Certificate } from '../../typings/activity';
import type { Me } from '../../typings/api';
import {
  callAs,
  closeAllPages,
  exists,
  launchAs,
  openPage,
  tap,
  textOf,
  typeInto,
  uniqueOpenid,
  waitFor,
} from './harness';
import { cloudNow, HEAD, installActivityPhone, scanner } from './activity-helpers';
import { holdAnswer, type RecordedRequest } from './wx-fake';

beforeEach(() => installActivityPhone());
afterEach(() => closeAllPages());

const STATION = 'haian-01-001';

/** A volunteer called `name` (approved) with an hour of honour service at the demo station, and a certificate of it. */
async function certificateOf(name: string): Promise<Certificate> {
  const openid = uniqueOpenid('verify');
  await callAs<Me>(openid, 'user', { action: 'bind', stationId: STATION, name });
  await callAs<Me>(openid, 'user', {
    action: 'registerVolunteer',
    name,
    phone: '13912340000',
    skills: ['health'],
    stationIds: [STATION],
  });
  await callAs(HEAD, 'user', { action: 'reviewVolunteer', openid, stationId: STATION, approve: true });
  await callAs(HEAD, 'activity', {
    action: 'addHonour',
    openid,
    orgId: STATION,
    minutes: 60,
    reason: '帮助孤寡老人',
    title: '上门探望',
    requestId: openid,
  });
  // The day (Beijing time) on the cloud's own clock: a period may not end after it.
  const today = new Date((await cloudNow()) + 8 * 3_600_000).toISOString().slice(0, 10);
  return callAs<Certificate>(openid, 'activity', { action: 'certificate', from: '2020-01-01', to: today });
}

const isVerify = (r: RecordedRequest) => (r.data as { action?: unknown } | undefined)?.action === 'verifyCertificate';

test('a late answer to the code asked first does not replace the answer to the code asked last', async () => {
  const first = await certificateOf('钱先问');
  const last = await certificateOf('赵后问');
  launchAs('someone-checking');
  const page = openPage('packages/activity/verify/index');
  const late = holdAnswer(isVerify);

  // The first code is typed and asked about; its answer comes back but is held from the page.
  // (miniprogram-simulate dispatches events a microtask later: the page has the code once this resolves.)
  typeInto(page, '#code', first.code);
  await waitFor('the first code in the field', page, () => page.data.code === first.code);
  tap(page, '#verify');
  await waitFor("the first code's answer back from the network (held)", page, () => late.arrived);
  expect((late.request?.data as { code?: string }).code).toBe(first.code);
  expect(page.data.status).toBe('loading');

  // Meanwhile the second certificate's QR code is scanned (a villager cannot tap 验证 again: it is disabled
  // while loading, though miniprogram-simulate would let the tap through): the scan sets the code and asks
  // again, and that answer reaches the page at once.
  scanner.next = { result: last.code };
  tap(page, '#scan');
  await waitFor("the second code's verdict", page, () => exists(page, '#verdict'));
  expect(page.data.code).toBe(last.code);
  expect(textOf(page, '#who')).toContain('赵后问');

  // Now the first answer reaches the page, late: the second code's answer stays.
  await late.release();
  expect(page.data.code).toBe(last.code);
  expect(page.data.status).toBe('ready');
  expect(page.data.name).toBe('赵后问');
  expect(textOf(page, '#verdict')).toBe('证明有效');
  expect(textOf(page, '#who')).toContain('赵后问');
  expect(textOf(page, '#who')).not.toContain('钱先问');
});
