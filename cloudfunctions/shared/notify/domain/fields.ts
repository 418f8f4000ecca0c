/**
 * Subscribe-message field values within WeChat's limits (PLATFORM.md): thing ≤ 20 characters,
 * phrase ≤ 5, name ≤ 10, number/character_string/letter ≤ 32. Longer text is cut with an ellipsis
 * rather than refused. Pure.
 */
import { shanghaiClock } from '../../../../typings/time';

const LIMITS: Record<string, number> = {
  thing: 20,
  phrase: 5,
  name: 10,
  number: 32,
  character_string: 32,
  letter: 32,
  symbol: 5,
  phone_number: 17,
  car_number: 8,
  amount: 32,
};

export function fit(key: string, value: string): string {
  const kind = key.replace(/\d+$/, '');
  const limit = LIMITS[kind];
  const chars = [...value];
  if (limit === undefined || chars.length <= limit) return value;
  return kind === 'thing' || kind === 'name'
    ? `${chars.slice(0, limit - 1).join('')}…`
    : chars.slice(0, limit).join('');
}

/** { thing1: 'x' } → { thing1: { value: 'x' } }, every value fitted to its field. */
export function templateData(fields: Record<string, string>): Record<string, { value: string }> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, { value: fit(k, v) }]));
}

/** A date-time as WeChat's `time` field shows it, in Asia/Shanghai. */
export function shanghaiTime(d: Date): string {
  const l = shanghaiClock(d);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${l.getUTCFullYear()}-${p(l.getUTCMonth() + 1)}-${p(l.getUTCDate())} ${p(l.getUTCHours())}:${p(l.getUTCMinutes())}`;
}
