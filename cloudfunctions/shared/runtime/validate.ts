/**
 * Validation over zod (the `zod/mini` build, a fraction of the full one's size in each bundle): the
 * field schemas the actions share, and issues turned into short developer-facing details (the villager
 * sees the plain message of INVALID_ARGUMENT).
 */
import * as z from 'zod/mini';
import { en } from 'zod/locales';
import { ID_PATTERN } from '../../../typings/time';
import { hasRefusedCharacters, normalizeText } from '../../../typings/text';

// Actions import zod as `import * as z from 'zod/mini'`. Do not re-export the namespace from here: a
// namespace that escapes as a value defeats tree-shaking and drags every zod locale into each bundle.

z.config(en());

export function describeIssues(error: z.core.$ZodError): string[] {
  return error.issues.slice(0, 10).map((i) => `${i.path.length ? i.path.join('.') : '(event)'}: ${i.message}`);
}

/** An empty request: any extra field is refused rather than silently ignored. */
export const empty = z.strictObject({});

/** Ids we generate (32 hex) or seed (letters, digits, - and _). */
export const id = z.string().check(z.regex(ID_PATTERN, 'not a valid id'));

/**
 * User-written text as it will be stored: control characters and bidirectional overrides refused, then
 * normalised (typings/text.ts), so the lengths after it count what a reader sees. Use it where `z.trim()`
 * would go: `z.string().check(...cleanText, z.minLength(2))`.
 */
export const cleanText = [
  z.refine<string>((s) => !hasRefusedCharacters(s), 'control characters are not allowed'),
  z.overwrite(normalizeText),
] as const;

/** User-written text: normalised, not blank, within a limit. */
export const text = (max: number) => z.string().check(...cleanText, z.minLength(1), z.maxLength(max));
