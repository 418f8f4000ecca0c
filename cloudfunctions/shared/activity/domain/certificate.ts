/**
 * 志愿服务记录证明: what a certificate says, built from the hours records of a period, and whether it
 * still stands (the records of its period still add up to what it certified — a correction made since
 * means a newer certificate should be asked for). Pure, apart from the random verification code.
 */
import { maskPhone } from '../../../../typings/format';
import { randomBytes } from 'node:crypto';
import type { Certificate } from '../../../../typings/activity';
import type { HoursDoc } from './model';

/** Unambiguous capitals and digits (no 0/O, 1/I): read out over the phone, typed by an official. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const CERT_CODE = /^[A-HJ-NP-Z2-9]{12}$/;
export const MAX_SERVICES = 200;

export interface CertificateDoc extends Omit<Certificate, 'from' | 'to' | 'issuedAt'> {
  _id: string;
  openid: string;
  from: Date;
  to: Date;
  issuedAt: Date;
  /** The PDF in cloud storage, once made (certificatePdf). */
  pdfFileId?: string;
}

export function newCertificateCode(): string {
  return Array.from(randomBytes(12), (b) => ALPHABET[b % ALPHABET.length]).join('');
}

export function maskedIdOf(phone: string | null | undefined): string {
  return maskPhone(phone) ?? '未登记';
}

export function sums(records: readonly Pick<HoursDoc, 'kind' | 'minutes'>[]) {
  let recordedMinutes = 0;
  let honourMinutes = 0;
  for (const r of records) {
    if (r.kind === 'honour') honourMinutes += r.minutes;
    else recordedMinutes += r.minutes;
  }
  return { recordedMinutes, honourMinutes };
}

export function buildCertificate(
  who: { openid: string; name: string; phone: string | null; stationName: string },
  period: { from: Date; to: Date },
  records: readonly HoursDoc[],
  code: string,
  now: Date,
): CertificateDoc {
  const services = [...records]
    .sort((a, b) => new Date(a.at).getTime() - new Date(b.at).getTime())
    .slice(0, MAX_SERVICES)
    .map((r) => ({
      title: r.source === 'correction' ? `更正：${r.title}` : r.title,
      place: r.placeName,
      at: new Date(r.at).toISOString(),
      minutes: r.minutes,
      kind: r.kind,
    }));
  return {
    _id: code,
    code,
    openid: who.openid,
    name: who.name,
    maskedId: maskedIdOf(who.phone),
    from: period.from,
    to: period.to,
    services,
    ...sums(records),
    stationName: who.stationName,
    issuedAt: now,
  };
}

export function toCertificate(d: CertificateDoc): Certificate {
  const { _id: _omit, openid: _who, pdfFileId: _pdf, ...rest } = d;
  return {
    ...rest,
    from: new Date(d.from).toISOString(),
    to: new Date(d.to).toISOString(),
    issuedAt: new Date(d.issuedAt).toISOString(),
  };
}

/** Whether the records of the period still give the certified totals. */
export function stillStands(d: CertificateDoc, records: readonly HoursDoc[]): { stands: boolean; note: string } {
  const now = sums(records);
  const stands = now.recordedMinutes === d.recordedMinutes && now.honourMinutes === d.honourMinutes;
  return {
    stands,
    note: stands ? '此证明真实有效。' : '此证明开具后，这段时间的服务记录有更正，请以最新开具的证明为准。',
  };
}
