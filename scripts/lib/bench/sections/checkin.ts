/**
 * checkin: the scan at a county event — 500 volunteers signed up for one activity scan the rotating
 * code in, then out; what one scan costs (time, round trips, database operations), the surge of all
 * of them at once measured as a whole, the live roll of 500 read page by page by the station head, and
 * the certificate (志愿服务记录证明) and its PDF for a few of them.
 * The local cloud models no request quota: the base tier's ~30 database operations a second is set
 * against the operations counted here.
 */
import type { CheckinDoc } from '../../../../cloudfunctions/shared/activity/domain/model';
import { BenchCloud, type CallCost } from '../cloud';
import { rowOf, type Row, type Section } from '../report';
import { shanghaiDay } from '../../../../typings/time';
import { ACTIVITY_HEAD as HEAD, fmt, sample, secs, signedUpActivity } from './common';
import type { Options } from './options';

const MIN = 60_000;
/** The base tier's database operations a second (PLATFORM.md), the budget a surge must fit. */
const BASE_TIER_OPS = 30;

const opsOf = (c: CallCost) => Object.values(c.ops).reduce((a, b) => a + b, 0);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

export async function checkinSection(opts: Options): Promise<Section> {
  const people = opts.quick ? 40 : 500;
  const n = opts.quick ? 10 : 100;
  opts.log(`checkin: starting a local cloud with the demo county and ${fmt(people)} volunteers signed up`);
  const bench = await BenchCloud.start({ demo: true });
  try {
    const { id, start, vols, signupMs, here } = await signedUpActivity(bench, people, 0x5c4a);
    const code = () => bench.call<{ scene: string }>('activity', { action: 'code', id }, HEAD).then((c) => c.scene);

    const rows: Row[] = [];
    bench.setClock(new Date(start + 2 * MIN).toISOString());
    let scene = await code();
    const scanOne = (i: number) => bench.call('activity', { action: 'scan', scene, location: here }, vols[i].openid);
    const cold = await bench.measure(() => scanOne(0));
    rows.push(rowOf('activity.scan, first call (cold instance), check in', [cold]));
    const ins = await sample(bench, n - 1, (i) => scanOne(i + 1));
    rows.push(rowOf('activity.scan, check in', ins, `${median(ins.map(opsOf))} database operations`));
    const again = await sample(bench, Math.min(n, 20), (i) => scanOne(i));
    rows.push(
      rowOf(
        'activity.scan, again within 10 minutes (already)',
        again,
        `${median(again.map(opsOf))} database operations`,
      ),
    );

    // The rest arrive all at once: the surge, measured as a whole.
    const rest = vols.slice(n).map((_v, i) => i + n);
    const surge = await bench.measure(() => Promise.all(rest.map((i) => scanOne(i))));
    const surgeOps = opsOf(surge);
    const checkedIn = bench.engine.count('checkins', { activityId: id });

    bench.setClock(new Date(start + 95 * MIN).toISOString());
    scene = await code();
    const outs = await sample(bench, n, (i) => scanOne(i));
    rows.push(
      rowOf('activity.scan, check out (hours recorded)', outs, `${median(outs.map(opsOf))} database operations`),
    );

    // Certificates for the day by volunteers who checked out, then each one's PDF: the first on the
    // instance loads pdfkit and the font; then made and stored; then asked again (kept, a link only).
    const day = shanghaiDay(start);
    const certs = Math.min(n, 10);
    const issued = await sample(bench, certs, (i) =>
      bench.call('activity', { action: 'certificate', from: day, to: day }, vols[i].openid),
    );
    rows.push(rowOf('activity.certificate, one day of service', issued));
    const codes = await Promise.all(
      vols
        .slice(0, certs)
        .map((v) => bench.call<{ code: string }>('activity', { action: 'certificate', from: day, to: day }, v.openid)),
    );
    const pdfOf = (i: number) =>
      bench.call('activity', { action: 'certificatePdf', code: codes[i].code }, vols[i].openid);
    const firstPdf = await bench.measure(() => pdfOf(0));
    rows.push(
      rowOf('activity.certificatePdf, first on the instance (loads pdfkit and the font), made and stored', [firstPdf]),
    );
    const made = await sample(bench, certs - 1, (i) => pdfOf(i + 1));
    rows.push(rowOf('activity.certificatePdf, made and stored', made));
    const kept = await sample(bench, certs, pdfOf);
    rows.push(rowOf('activity.certificatePdf, asked again (kept: a link only)', kept));

    const pages = Math.ceil(people / 100);
    const roll = await sample(bench, pages, (p) => bench.call('activity', { action: 'roster', id, page: p }, HEAD));
    rows.push(rowOf(`activity.roster, ${fmt(people)} checked in, pages of 100`, roll));
    const whole = roll.reduce((a, c) => a + c.ms, 0);

    const inOps = median(ins.map(opsOf));
    const perSecond = (people * inOps) / 60;
    const done = bench.engine.find('checkins', {
      query: { activityId: id, state: 'out' },
      limit: 1000,
    }) as unknown as CheckinDoc[];
    return {
      name: 'checkin',
      title: `check-in by QR code: ${fmt(people)} volunteers at one activity`,
      setup: [
        `one activity at 凤山村's first point, ${fmt(people)} volunteers signed up (inserted in ${secs(signupMs)}), scanning from the point`,
        `${n} check-ins one at a time, then the other ${fmt(rest.length)} all at once; ${n} check-outs 95 minutes later; the roll read page by page`,
      ],
      rows,
      notes: [
        `a check-in costs ${inOps} database operations (activity, sign-up, the check-in insert the unique index settles): ${fmt(people)} scans in one minute need ${perSecond.toFixed(1)} operations a second against the base tier's ~${BASE_TIER_OPS}${perSecond > BASE_TIER_OPS ? ' — over it: the client backs off and retries, and the unique index makes a retry that landed count once' : ''}`,
        `the surge: ${fmt(rest.length)} scans at once answered in ${secs(surge.ms)} with ${fmt(surgeOps)} database operations in all (${(surgeOps / Math.max(1, rest.length)).toFixed(1)} a scan); ${fmt(checkedIn)} of ${fmt(people)} checked in, one each`,
        `the whole roll of ${fmt(people)} in ${pages} pages: ${Math.round(whole)} ms; ${fmt(done.length)} checked out with their hours`,
      ],
    };
  } finally {
    await bench.close();
  }
}
