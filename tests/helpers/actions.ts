/**
 * The actions each function exposes, read from its entry (`defineFunction<…>('name', { a, b, … })`),
 * so that tables of actions in tests can be checked for completeness.
 */
import fs from 'node:fs';
import path from 'node:path';
import { functionNames, ROOT } from '../../scripts/lib/project';

export function actionsOf(fn: string): string[] {
  const src = fs.readFileSync(path.join(ROOT, 'cloudfunctions', fn, 'index.ts'), 'utf8');
  const m = /defineFunction<\w+>\(\s*'[^']+',\s*\{([^}]*)\}/.exec(src);
  if (!m) return [];
  return m[1]
    .split(',')
    .map((s) => s.trim().split(':')[0].trim())
    .filter(Boolean);
}

export function allActions(): string[] {
  return functionNames().flatMap((fn) => actionsOf(fn).map((a) => `${fn}.${a}`));
}
