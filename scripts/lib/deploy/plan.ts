/**
 * The planner: desired state (the project's files) + current state (what the environment holds) →
 * the ordered list of steps that makes the environment match. Pure: no I/O, no SDK, no clock.
 *
 * Order matters and is part of the contract:
 *   per collection: collection → security rule → index drops → index creates
 *     (the rule comes right after creating the collection, so a new collection is never left with the
 *      platform's default permission while its indexes build)
 *   per function: function (code + config) → trigger drops → trigger creates
 * Collections and functions that exist in the environment but are not declared are never deleted:
 * they are reported as warnings. `--prune` only drops undeclared indexes (never the built-in _id_)
 * and undeclared timer triggers of declared functions.
 */
import { BUILTIN_ID_INDEX } from './definitions';
import type {
  CollectionSpec,
  CurrentState,
  DesiredState,
  FunctionSpec,
  IndexSpec,
  Plan,
  PlanOptions,
  RemoteCollection,
  RemoteFunction,
  RemoteIndex,
  SecurityRule,
  Step,
} from './types';

/** A cron string as the platform may report it (`{"cron":"…"}` or the bare expression), normalised. */
export function normalizeCron(desc: string): string {
  let s = desc.trim();
  if (s.startsWith('{')) {
    try {
      const parsed = JSON.parse(s) as { cron?: unknown };
      if (typeof parsed.cron === 'string') s = parsed.cron;
    } catch {
      // not JSON: compare as given
    }
  }
  return s.trim().split(/\s+/).join(' ');
}

/** Same keys in the same order with the same directions, and the same uniqueness. */
export function sameIndex(a: IndexSpec | RemoteIndex, b: IndexSpec | RemoteIndex): boolean {
  if (a.unique !== b.unique || a.keys.length !== b.keys.length) return false;
  return a.keys.every(([f, d], i) => f === b.keys[i][0] && String(d) === String(b.keys[i][1]));
}

function sameKeys(a: IndexSpec | RemoteIndex, b: IndexSpec | RemoteIndex): boolean {
  return (
    a.keys.length === b.keys.length &&
    a.keys.every(([f, d], i) => f === b.keys[i][0] && String(d) === String(b.keys[i][1]))
  );
}

/** Rules compare as JSON objects, whatever the key order. */
export function sameRule(a: SecurityRule, b: SecurityRule): boolean {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
}

export function formatKeys(ix: IndexSpec | RemoteIndex): string {
  return `{ ${ix.keys.map(([f, d]) => `${f}: ${d}`).join(', ')} }${ix.unique ? ' unique' : ''}`;
}

function planCollection(
  c: CollectionSpec,
  remote: RemoteCollection | undefined,
  known: boolean,
  opts: PlanOptions,
  warnings: string[],
): Step[] {
  const steps: Step[] = [];
  const desc = c.description;
  if (!known) {
    steps.push({ kind: 'collection', action: 'ensure', collection: c.name, description: desc });
    steps.push({ kind: 'rule', action: 'ensure', collection: c.name, rule: c.rules });
    for (const ix of c.indexes) steps.push({ kind: 'index', action: 'ensure', collection: c.name, index: ix });
    return steps;
  }
  if (!remote) {
    steps.push({ kind: 'collection', action: 'create', collection: c.name, description: desc });
    steps.push({ kind: 'rule', action: 'create', collection: c.name, rule: c.rules });
    for (const ix of c.indexes) steps.push({ kind: 'index', action: 'create', collection: c.name, index: ix });
    return steps;
  }

  steps.push({ kind: 'collection', action: 'keep', collection: c.name, description: desc });

  if (remote.rule === null) {
    steps.push({ kind: 'rule', action: 'ensure', collection: c.name, rule: c.rules, current: 'could not be read' });
  } else if (remote.rule.aclTag === 'CUSTOM' && remote.rule.rule !== null && sameRule(remote.rule.rule, c.rules)) {
    steps.push({ kind: 'rule', action: 'keep', collection: c.name, rule: c.rules });
  } else {
    const current =
      remote.rule.aclTag === 'CUSTOM' && remote.rule.rule !== null
        ? JSON.stringify(remote.rule.rule)
        : remote.rule.aclTag || 'none';
    steps.push({ kind: 'rule', action: 'update', collection: c.name, rule: c.rules, current });
  }

  const remoteByName = new Map(remote.indexes.map((ix) => [ix.name, ix]));
  const declared = new Set(c.indexes.map((ix) => ix.name));
  const drops: Step[] = [];
  const creates: Step[] = [];
  for (const ix of c.indexes) {
    const have = remoteByName.get(ix.name);
    if (have && sameIndex(have, ix)) {
      creates.push({ kind: 'index', action: 'keep', collection: c.name, index: ix });
    } else if (have) {
      drops.push({
        kind: 'index',
        action: 'drop',
        collection: c.name,
        index: have,
        note: `changed to ${formatKeys(ix)}`,
      });
      creates.push({
        kind: 'index',
        action: 'create',
        collection: c.name,
        index: ix,
        note: `replaces ${formatKeys(have)}`,
      });
    } else {
      creates.push({ kind: 'index', action: 'create', collection: c.name, index: ix });
      const twin = remote.indexes.find((r) => r.name !== BUILTIN_ID_INDEX && !declared.has(r.name) && sameKeys(r, ix));
      if (twin && !opts.prune) {
        warnings.push(
          `${c.name}: index "${twin.name}" in the environment has the same keys as the declared "${ix.name}"; creating "${ix.name}" may fail — rename it in ${c.file} or run with --prune to drop "${twin.name}"`,
        );
      }
    }
  }
  for (const have of remote.indexes) {
    if (have.name === BUILTIN_ID_INDEX || declared.has(have.name)) continue;
    if (opts.prune) {
      drops.push({ kind: 'index', action: 'drop', collection: c.name, index: have, note: 'not declared (--prune)' });
    } else {
      creates.push({
        kind: 'index',
        action: 'extra',
        collection: c.name,
        index: have,
        note: 'not declared; kept (use --prune to drop)',
      });
    }
  }
  return [...steps, ...drops, ...creates];
}

function planFunction(
  fn: FunctionSpec,
  remote: RemoteFunction | null | undefined,
  known: boolean,
  opts: PlanOptions,
): Step[] {
  if (!known) {
    return [
      { kind: 'function', action: 'ensure', fn, changes: [], warnings: [] },
      ...fn.triggers.map((t): Step => ({ kind: 'trigger', action: 'ensure', fn: fn.name, trigger: t })),
    ];
  }
  if (!remote) {
    return [
      { kind: 'function', action: 'create', fn, changes: [], warnings: [] },
      ...fn.triggers.map((t): Step => ({ kind: 'trigger', action: 'create', fn: fn.name, trigger: t })),
    ];
  }
  const changes: string[] = [];
  const warnings: string[] = [];
  if (remote.timeout !== fn.timeout) changes.push(`timeout ${remote.timeout} s → ${fn.timeout} s`);
  if (remote.runtime && remote.runtime !== fn.runtime) {
    warnings.push(
      `runtime is ${remote.runtime} in the environment, ${fn.runtime} declared: CloudBase cannot change the runtime of an existing function (delete it in the console and deploy again to change it)`,
    );
  }
  if (remote.status && remote.status !== 'Active') {
    warnings.push(`status in the environment is ${remote.status}; the update waits for it to become Active`);
  }
  const steps: Step[] = [{ kind: 'function', action: 'update', fn, changes, warnings }];

  const remoteTimers = new Map(remote.triggers.filter((t) => t.type === 'timer').map((t) => [t.name, t]));
  const declared = new Set(fn.triggers.map((t) => t.name));
  const drops: Step[] = [];
  const creates: Step[] = [];
  for (const t of fn.triggers) {
    const have = remoteTimers.get(t.name);
    if (have && normalizeCron(have.config) === t.config) {
      creates.push({ kind: 'trigger', action: 'keep', fn: fn.name, trigger: t });
    } else if (have) {
      drops.push({
        kind: 'trigger',
        action: 'drop',
        fn: fn.name,
        trigger: { ...have, config: normalizeCron(have.config) },
      });
      creates.push({ kind: 'trigger', action: 'create', fn: fn.name, trigger: t });
    } else {
      creates.push({ kind: 'trigger', action: 'create', fn: fn.name, trigger: t });
    }
  }
  for (const have of remote.triggers) {
    if (have.type !== 'timer' || declared.has(have.name)) continue;
    const trigger = { ...have, config: normalizeCron(have.config) };
    drops.push({ kind: 'trigger', action: opts.prune ? 'drop' : 'extra', fn: fn.name, trigger });
  }
  return [...steps, ...drops, ...creates];
}

/** Desired + current → plan. Pure. */
export function planDeploy(desired: DesiredState, current: CurrentState, opts: PlanOptions): Plan {
  const steps: Step[] = [];
  const warnings: string[] = [];
  const wantDb = opts.only !== 'functions';
  const wantFns = opts.only !== 'db';

  if (wantDb) {
    const known = current.collections !== null;
    for (const c of desired.collections) {
      steps.push(...planCollection(c, current.collections?.get(c.name), known, opts, warnings));
    }
    if (current.collections) {
      const declared = new Set(desired.collections.map((c) => c.name));
      const others = [...current.collections.keys()].filter((n) => !declared.has(n)).sort();
      if (others.length > 0) {
        warnings.push(
          `the environment has collections not declared in database/collections/: ${others.join(', ')} (left alone; collections are never deleted by deploy)`,
        );
      }
    }
  }
  if (wantFns) {
    const known = current.functions !== null;
    for (const fn of desired.functions) {
      steps.push(...planFunction(fn, current.functions?.get(fn.name), known, opts));
    }
  }
  for (const s of steps) {
    if (s.kind === 'function') warnings.push(...s.warnings.map((w) => `function ${s.fn.name}: ${w}`));
    if (s.kind === 'trigger' && s.action === 'extra') {
      warnings.push(
        `function ${s.fn}: timer trigger "${s.trigger.name}" is not in config.json; kept (use --prune to delete it)`,
      );
    }
  }
  return {
    steps,
    warnings,
    diffed: { db: wantDb && current.collections !== null, functions: wantFns && current.functions !== null },
  };
}

/** Steps that change something (what a real deploy executes). */
export function changingSteps(plan: Plan): Step[] {
  return plan.steps.filter((s) => s.action !== 'keep' && s.action !== 'extra');
}
