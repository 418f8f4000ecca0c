/**
 * The small interface between the planner and a real environment, and the two things done through it:
 * reading the current state, and applying a plan's steps in order. The production implementation is
 * scripts/lib/deploy/manager.ts (@cloudbase/manager-node); tests use an in-memory fake.
 *
 * A dry run only ever gets a CloudReader: it has no way to write.
 */
import { formatKeys, sameRule } from './plan';
import type {
  CurrentState,
  DesiredState,
  FunctionSpec,
  IndexSpec,
  Plan,
  RemoteCollection,
  RemoteFunction,
  RemoteIndex,
  RemoteRule,
  SecurityRule,
  Step,
  TimerTrigger,
} from './types';

export interface CloudReader {
  /** Names of every collection in the environment. */
  listCollections(): Promise<string[]>;
  describeIndexes(collection: string): Promise<RemoteIndex[]>;
  getRule(collection: string): Promise<RemoteRule>;
  /** null when the function does not exist. */
  getFunction(name: string): Promise<RemoteFunction | null>;
}

export interface CloudWriter {
  createCollection(name: string): Promise<void>;
  /** Sets the collection's custom security rule (AclTag CUSTOM). */
  setRule(collection: string, rule: SecurityRule): Promise<void>;
  createIndex(collection: string, index: IndexSpec): Promise<void>;
  dropIndex(collection: string, indexName: string): Promise<void>;
  /** Creates the function from its built folder, installs its dependencies in the cloud, sets its timeout. */
  createFunction(fn: FunctionSpec): Promise<void>;
  /** Uploads the built folder and installs dependencies in the cloud; waits until the function is Active. */
  updateFunctionCode(fn: FunctionSpec): Promise<void>;
  /** Sets the timeout; waits until the function is Active. */
  updateFunctionConfig(fn: FunctionSpec): Promise<void>;
  createTrigger(fn: string, trigger: TimerTrigger): Promise<void>;
  deleteTrigger(fn: string, triggerName: string): Promise<void>;
}

export type CloudApi = CloudReader & CloudWriter;

export type Log = (line: string) => void;

/**
 * Reads what the plan needs: every collection's name, and for the declared ones that exist, their
 * indexes and rule; for each declared function, its configuration and triggers. A rule that cannot be
 * read is recorded as unknown (the plan then sets it anyway) rather than failing the run.
 */
export async function readCurrentState(
  reader: CloudReader,
  desired: DesiredState,
  only: 'db' | 'functions' | null,
  warn: Log = () => {},
): Promise<CurrentState> {
  let collections: Map<string, RemoteCollection> | null = null;
  let functions: Map<string, RemoteFunction | null> | null = null;
  if (only !== 'functions') {
    collections = new Map();
    const names = new Set(await reader.listCollections());
    for (const n of names) collections.set(n, { name: n, indexes: [], rule: null });
    for (const c of desired.collections) {
      if (!names.has(c.name)) continue;
      const indexes = await reader.describeIndexes(c.name);
      let rule: RemoteRule | null = null;
      try {
        rule = await reader.getRule(c.name);
      } catch (e) {
        warn(`could not read the security rule of ${c.name} (${errorText(e)}); it will be set anyway`);
      }
      collections.set(c.name, { name: c.name, indexes, rule });
    }
  }
  if (only !== 'db') {
    functions = new Map();
    for (const fn of desired.functions) functions.set(fn.name, await reader.getFunction(fn.name));
  }
  return { collections, functions };
}

export function errorText(e: unknown): string {
  if (e instanceof Error) {
    const x = e as Error & { code?: string; requestId?: string };
    return [x.message, x.code ? `code ${x.code}` : '', x.requestId ? `RequestId ${x.requestId}` : '']
      .filter(Boolean)
      .join('; ');
  }
  return String(e);
}

/** One line saying what a step does, for progress output and errors. */
export function describeStep(s: Step): string {
  switch (s.kind) {
    case 'collection':
      return `${s.action} collection ${s.collection}`;
    case 'rule':
      return `${s.action === 'keep' ? 'keep' : 'set'} security rule of ${s.collection} to ${JSON.stringify(s.rule)}`;
    case 'index':
      return `${s.action} index ${s.collection}.${s.index.name} ${formatKeys(s.index)}`;
    case 'function':
      return `${s.action} function ${s.fn.name}`;
    case 'trigger':
      return `${s.action} timer trigger ${s.fn}.${s.trigger.name} (${s.trigger.config})`;
  }
}

export class ApplyError extends Error {
  constructor(
    readonly step: Step,
    readonly done: number,
    readonly total: number,
    readonly cause: unknown,
  ) {
    super(
      `部署在第 ${done + 1}/${total} 步失败 / Deploy failed at step ${done + 1} of ${total}: ${describeStep(step)}\n` +
        `  ${errorText(cause)}\n` +
        `  ${done} step(s) were applied before it. Fix the cause and run the deploy again: it reads the environment ` +
        `again and only does what is still missing.`,
    );
    this.name = 'ApplyError';
  }
}

/**
 * Applies the plan's changing steps in order and stops at the first failure (ApplyError). Steps are
 * safe to repeat, so a re-run after a failure continues where this one stopped. After setting a
 * security rule it reads the rule back: a rule that did not take is an error, not a silent success.
 */
export async function applyPlan(api: CloudApi, plan: Plan, log: Log): Promise<{ applied: number }> {
  const todo = plan.steps.filter((s) => s.action !== 'keep' && s.action !== 'extra');
  let done = 0;
  for (const s of todo) {
    try {
      await applyStep(api, s, log);
    } catch (e) {
      throw new ApplyError(s, done, todo.length, e);
    }
    done += 1;
    log(`  ✓ ${describeStep(s)}`);
  }
  return { applied: done };
}

function unreadState(s: Step): Error {
  return new Error(`internal: "${describeStep(s)}" needs the environment's current state, which was not read`);
}

async function applyStep(api: CloudApi, s: Step, log: Log): Promise<void> {
  switch (s.kind) {
    case 'collection':
      if (s.action === 'create') return api.createCollection(s.collection);
      throw unreadState(s);
    case 'rule': {
      await api.setRule(s.collection, s.rule);
      let back: RemoteRule | null = null;
      try {
        back = await api.getRule(s.collection);
      } catch (e) {
        log(
          `  ! could not read back the rule of ${s.collection} (${errorText(e)}); check it in the console (数据库 → ${s.collection} → 数据权限)`,
        );
        return;
      }
      if (back.aclTag !== 'CUSTOM' || back.rule === null || !sameRule(back.rule, s.rule)) {
        throw new Error(
          `the rule of ${s.collection} reads back as ${back.aclTag} ${back.rule ? JSON.stringify(back.rule) : ''} instead of ${JSON.stringify(s.rule)}`,
        );
      }
      return;
    }
    case 'index':
      if (s.action === 'drop') return api.dropIndex(s.collection, s.index.name);
      if (s.action === 'create') return api.createIndex(s.collection, s.index as IndexSpec);
      throw unreadState(s);
    case 'function':
      if (s.action === 'create') return api.createFunction(s.fn);
      if (s.action === 'update') {
        await api.updateFunctionCode(s.fn);
        if (s.changes.length > 0) await api.updateFunctionConfig(s.fn);
        return;
      }
      throw unreadState(s);
    case 'trigger':
      if (s.action === 'drop') return api.deleteTrigger(s.fn, s.trigger.name);
      if (s.action === 'create') return api.createTrigger(s.fn, s.trigger as TimerTrigger);
      throw unreadState(s);
  }
}
