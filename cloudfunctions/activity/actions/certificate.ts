/**
 * 志愿服务记录证明 (民政部《志愿服务记录与证明出具办法》): a volunteer asks for one for a period; anyone
 * verifies it by its code and sees what it certifies and whether it still stands.
 */
import type { ActivityApi } from '../../../typings/activity';
import { action } from '../../shared/runtime/handler';
import { AppError } from '../../shared/runtime/errors';
import * as z from 'zod/mini';
import { page } from '../../shared/org/schemas';
import { getOrg } from '../../shared/org/store';
import { tempUrls, uploadFile } from '../../shared/runtime/platform';
import { certificatePdf as drawCertificate } from '../../shared/activity/pdf';
import { findUser, findVolunteer } from '../../shared/user/store';
import { beijingDayStart } from '../../shared/activity/domain/hours';
import {
  buildCertificate,
  CERT_CODE,
  newCertificateCode,
  stillStands,
  sums,
  toCertificate,
} from '../../shared/activity/domain/certificate';
import * as store from '../../shared/activity/store';
import * as hoursStore from '../../shared/activity/store-hours';
import { PAGE } from './common';

type A = ActivityApi;
const day = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD'));
const MAX_RECORDS = 3000;
const DAY_MS = 86_400_000;

export const certificate = action<A['certificate']['req'], A['certificate']['res']>({
  input: z.strictObject({ from: day, to: day }),
  access: 'self',
  async run(ctx, req) {
    const from = beijingDayStart(req.from);
    const to = new Date(beijingDayStart(req.to).getTime() + DAY_MS);
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || to <= from)
      throw new AppError('INVALID_ARGUMENT', '开始日期要早于结束日期。', ['from, to']);
    const range = { from, to };
    const [records, user, volunteer] = await Promise.all([
      hoursStore.allHoursOf(ctx.openid, MAX_RECORDS, range),
      findUser(ctx.openid),
      findVolunteer(ctx.openid),
    ]);
    if (records.length === 0) throw new AppError('FAILED_PRECONDITION', '这段时间没有服务记录，不能开证明。');
    // The same period with the same totals answers the certificate already issued: a retry is one certificate.
    const totals = sums(records);
    const issued = await hoursStore.certificatesOf(ctx.openid, 0, 100);
    const same = issued.find(
      (c) =>
        new Date(c.from).getTime() === from.getTime() &&
        new Date(c.to).getTime() === to.getTime() &&
        c.recordedMinutes === totals.recordedMinutes &&
        c.honourMinutes === totals.honourMinutes,
    );
    if (same) return toCertificate(same);
    const stationId = volunteer?.stationIds[0] ?? user?.stationId ?? null;
    const station = stationId ? await getOrg(stationId) : undefined;
    const doc = buildCertificate(
      {
        openid: ctx.openid,
        name: volunteer?.name ?? user?.name ?? '志愿者',
        phone: volunteer?.phone ?? null,
        stationName: station?.name ?? '新时代文明实践中心',
      },
      range,
      records,
      newCertificateCode(),
      ctx.now,
    );
    return toCertificate(await hoursStore.insertCertificate(doc));
  },
});

export const certificates = action<A['certificates']['req'], A['certificates']['res']>({
  input: z.strictObject({ page }),
  access: 'self',
  async run(ctx, req) {
    const p = req.page ?? 0;
    const found = await hoursStore.certificatesOf(ctx.openid, p * PAGE, PAGE + 1);
    return { certificates: found.slice(0, PAGE).map(toCertificate), nextPage: found.length > PAGE ? p + 1 : null };
  },
});

export const verifyCertificate = action<A['verifyCertificate']['req'], A['verifyCertificate']['res']>({
  input: z.strictObject({
    code: z.string().check(z.trim(), z.toUpperCase(), z.regex(CERT_CODE, 'a certificate code')),
  }),
  access: 'public',
  async run(_ctx, req) {
    const c = await hoursStore.findCertificate(req.code);
    if (!c) throw new AppError('NOT_FOUND', '没有找到这份证明，请核对验证码。');
    const records = await hoursStore.allHoursOf(c.openid, MAX_RECORDS, { from: new Date(c.from), to: new Date(c.to) });
    return { ...toCertificate(c), ...stillStands(c, records) };
  },
});

/**
 * The caller's own certificate as a PDF: made and written to cloud storage on the first ask (one path
 * a certificate, so a retry or a race writes the same file), its fileID kept on the certificate; later
 * asks only answer a fresh temporary address. Another person's code answers NOT_FOUND, as a wrong one.
 */
export const certificatePdf = action<A['certificatePdf']['req'], A['certificatePdf']['res']>({
  input: z.strictObject({
    code: z.string().check(z.trim(), z.toUpperCase(), z.regex(CERT_CODE, 'a certificate code')),
  }),
  access: 'self',
  async run(ctx, req) {
    const c = await hoursStore.findCertificate(req.code);
    if (!c || c.openid !== ctx.openid) throw new AppError('NOT_FOUND', '没有找到这份证明。');
    // Kept from an earlier ask, unless the file has gone from storage since: then it is made again.
    if (c.pdfFileId) {
      const kept = (await tempUrls([c.pdfFileId])).get(c.pdfFileId);
      if (kept) return { fileId: c.pdfFileId, url: kept };
    }
    const settings = await store.loadSettings(ctx.now.getTime());
    const bytes = await drawCertificate(c, settings.hourUnitMin);
    const fileId = await uploadFile(`certificates/${c.code}.pdf`, bytes);
    await hoursStore.setCertificatePdf(c.code, fileId);
    const url = (await tempUrls([fileId])).get(fileId);
    if (!url) throw new AppError('UNAVAILABLE', '证明文件暂时打不开，请稍后再试。');
    return { fileId, url };
  },
});
