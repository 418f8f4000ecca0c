/**
 * The period of an export: the one parser every stats action uses (domain/period.ts), its refusal as
 * the Chinese message the function and `npm run export` print.
 */
import { parsePeriod, type DayRange } from '../domain/period';
import { maskPhone as maskDigits } from '../../../../typings/format';

export { isDay, type DayRange } from '../domain/period';

/** The period of a request, or why it is not one (in Chinese, for the caller). */
export function periodOf(req: { from?: string; to?: string }, now: Date): DayRange | { refusal: string } {
  const p = parsePeriod(req, now);
  return 'refusal' in p ? { refusal: p.refusal.message } : p;
}

/** A phone number with its middle hidden (13800000001 → 138****0001), blank when there is none. */
export function maskPhone(phone: string | null | undefined): string {
  return maskDigits(phone?.replace(/\D/g, '')) ?? '';
}
