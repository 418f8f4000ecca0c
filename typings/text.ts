/**
 * What user-written text becomes before it is checked and stored, one definition for the functions and
 * the local cloud's word list: variants a reader cannot tell apart (full-width letters, zero-width
 * characters, a soft hyphen, runs of spaces) must not slip a rejected word past the check.
 */

/** Control characters and the bidirectional overrides (RTL tricks): refused outright, never stored. */
export const hasRefusedCharacters = (s: string): boolean =>
  [...s].some((ch) => {
    const c = ch.codePointAt(0)!;
    const control = (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || (c >= 0x7f && c <= 0x9f);
    return control || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
  });

/** NFKC (but for Chinese punctuation), format characters (zero-width, joiners, soft hyphen, BOM) removed, spaces collapsed, lines trimmed. */
export function normalizeText(s: string): string {
  return (
    s
      // Full-width letters, digits and spaces become plain ones; Chinese full-width punctuation (，！？：；（）)
      // is how the villagers write and stays as it is.
      .replace(/[^\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]+/gu, (run) => run.normalize('NFKC'))
      .replace(/\p{Cf}/gu, '')
      .replace(/\r\n?/g, '\n')
      .replace(/[^\S\n]+/g, ' ')
      .split('\n')
      .map((line) => line.trim())
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim()
  );
}

/** The normalised text without spaces, line breaks or punctuation: what a word list is matched against. */
export const compactForCheck = (s: string): string => normalizeText(s).replace(/[\s\p{P}\p{S}]+/gu, '');
