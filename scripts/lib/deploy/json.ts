/** Reading the project's JSON definitions, and the small checks every validator uses. */
import fs from 'node:fs';

export function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

export function describe(x: unknown): string {
  return JSON.stringify(x) ?? String(x);
}

/** The file's JSON, or undefined with the reason added to `errors`. */
export function readJson(file: string, rel: string, errors: string[]): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    errors.push(`${rel}: cannot be read (${(e as Error).message})`);
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    errors.push(`${rel}: is not valid JSON (${(e as Error).message})`);
    return undefined;
  }
}
