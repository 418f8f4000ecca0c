/** A function's config.json checked against what CloudBase deploys. Pure: the tests call it directly. */
import { describe, isObject } from './json';
import type { TimerTrigger } from './types';

/** Runtime used when config.json names none. Matches the bundle's target (esbuild `node16`). */
export const DEFAULT_RUNTIME = 'Nodejs16.13';

const FUNCTION_NAME = /^[A-Za-z][A-Za-z0-9_-]{1,59}$/;
/** WeChat's limit for timer trigger names: 60 characters, starting with a letter. */
const TRIGGER_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,59}$/;
const OPENAPI_NAME = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)+$/;
const RUNTIME = /^Nodejs\d+\.\d+$/;

export interface FunctionConfig {
  timeout: number;
  runtime: string;
  openapi: string[];
  triggers: TimerTrigger[];
}

/** Validates a function's config.json (and the name of its folder). */
export function validateFunctionConfig(
  raw: unknown,
  fnName: string,
): { config: FunctionConfig | null; errors: string[] } {
  const errors: string[] = [];
  const at = (m: string) => errors.push(`cloudfunctions/${fnName}/config.json: ${m}`);
  if (!FUNCTION_NAME.test(fnName)) {
    errors.push(
      `cloudfunctions/${fnName}: "${fnName}" is not a valid function name (a letter, then letters, digits, _ or -; 2 to 60)`,
    );
  }
  if (!isObject(raw)) {
    at('must be a JSON object { "timeout", "permissions": { "openapi": [] }, "triggers"? }');
    return { config: null, errors };
  }
  const timeout = raw.timeout;
  if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 1 || timeout > 900) {
    at(
      `"timeout" must be a whole number of seconds from 1 to 900 (the platform default of 3 s is too short), got ${describe(timeout)}`,
    );
  }
  let runtime = DEFAULT_RUNTIME;
  if (raw.runtime !== undefined) {
    if (typeof raw.runtime !== 'string' || !RUNTIME.test(raw.runtime)) {
      at(`"runtime" must look like "Nodejs16.13", got ${describe(raw.runtime)}`);
    } else {
      runtime = raw.runtime;
    }
  }
  const openapi: string[] = [];
  if (raw.permissions !== undefined) {
    if (!isObject(raw.permissions)) {
      at('"permissions" must be an object { "openapi": [ "<api>", ... ] }');
    } else if (raw.permissions.openapi !== undefined) {
      const list = raw.permissions.openapi;
      if (!Array.isArray(list)) {
        at('"permissions.openapi" must be an array of API names like "subscribeMessage.send"');
      } else {
        for (const api of list) {
          if (typeof api !== 'string' || !OPENAPI_NAME.test(api)) {
            at(`"permissions.openapi": ${describe(api)} is not an API name like "subscribeMessage.send"`);
          } else if (openapi.includes(api)) {
            at(`"permissions.openapi": "${api}" is listed twice`);
          } else {
            openapi.push(api);
          }
        }
      }
    }
  }
  const triggers: TimerTrigger[] = [];
  if (raw.triggers !== undefined) {
    if (!Array.isArray(raw.triggers)) {
      at('"triggers" must be an array of { "name", "type": "timer", "config": "<7-field cron>" }');
    } else {
      if (raw.triggers.length > 1) at('only one trigger per function is supported');
      raw.triggers.forEach((t: unknown, i: number) => {
        const where = `triggers[${i}]`;
        if (!isObject(t)) {
          at(`${where} must be an object { "name", "type": "timer", "config" }`);
          return;
        }
        let ok = true;
        if (typeof t.name !== 'string' || !TRIGGER_NAME.test(t.name)) {
          at(`${where}: "name" must be letters, digits, _ or - (a letter first, at most 60), got ${describe(t.name)}`);
          ok = false;
        }
        if (t.type !== 'timer') {
          at(`${where}: "type" must be "timer" (the only trigger CloudBase deploys), got ${describe(t.type)}`);
          ok = false;
        }
        if (typeof t.config !== 'string' || t.config.trim().split(/\s+/).length !== 7) {
          at(
            `${where}: "config" must be a 7-field cron "sec min hour day month weekday year", got ${describe(t.config)}`,
          );
          ok = false;
        }
        if (ok) {
          triggers.push({
            name: t.name as string,
            type: 'timer',
            config: (t.config as string).trim().split(/\s+/).join(' '),
          });
        }
      });
    }
  }
  if (errors.length > 0) return { config: null, errors };
  return { config: { timeout: timeout as number, runtime, openapi, triggers }, errors };
}
