/** Request fields the org actions share. */
import { LEVELS, POINT_KINDS } from '../../../typings/domain';
import * as z from 'zod/mini';

export const orgId = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,47}$/, 'not an org code'));
export const level = z.enum(LEVELS);
export const pointKind = z.enum(POINT_KINDS);
export const lat = z.number().check(z.gte(-90), z.lte(90));
export const lng = z.number().check(z.gte(-180), z.lte(180));
export const location = z.strictObject({ lat, lng });
export const page = z.optional(z.int().check(z.gte(0), z.lte(10_000)));
