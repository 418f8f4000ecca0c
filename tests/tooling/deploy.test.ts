/**
 * The deployment script (scripts/deploy.ts): definition validation, the pure planner, the executor
 * against an in-memory cloud, and the dry run end to end as a child process without credentials.
 * Nothing here reaches a real environment.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildFunctions } from '../../scripts/build';
import { functionNames, ROOT } from '../../scripts/lib/project';
import {
  BuildError,
  checkBuild,
  DefinitionError,
  deployableFunctions,
  loadCollections,
  loadProject,
  validateCollection,
  validateFunctionConfig,
} from '../../scripts/lib/deploy/definitions';
import { changingSteps, normalizeCron, planDeploy } from '../../scripts/lib/deploy/plan';
import {
  ApplyError,
  applyPlan,
  readCurrentState,
  type CloudApi,
  type CloudReader,
} from '../../scripts/lib/deploy/cloud';
import { parseArgs, readCredentials, UsageError } from '../../scripts/lib/deploy/cli';
import { createManagerCloud } from '../../scripts/lib/deploy/manager';
import type {
  CollectionSpec,
  CurrentState,
  DesiredState,
  FunctionSpec,
  RemoteCollection,
  RemoteFunction,
  SecurityRule,
  Step,
} from '../../scripts/lib/deploy/types';

const DENY: SecurityRule = { read: false, write: false };

function collection(name: string, indexes: CollectionSpec['indexes'] = [], rules: SecurityRule = DENY): CollectionSpec {
  return { name, description: `${name} records`, indexes, rules, file: `database/collections/${name}.json` };
}

function fn(name: string, extra: Partial<FunctionSpec> = {}): FunctionSpec {
  return {
    name,
    dir: `/nowhere/${name}`,
    timeout: 10,
    runtime: 'Nodejs16.13',
    openapi: [],
    triggers: [],
    files: [{ name: 'index.js', path: `/nowhere/${name}/index.js`, size: 1000 }],
    size: 1000,
    ...extra,
  };
}

const ID_INDEX = { name: '_id_', keys: [['_id', 1]] as Array<[string, number]>, unique: false };

/** A short description of each step, to compare plans as lists. */
function brief(steps: Step[]): string[] {
  return steps.map((s) => {
    switch (s.kind) {
      case 'collection':
        return `${s.action} collection ${s.collection}`;
      case 'rule':
        return `${s.action} rule ${s.collection}`;
      case 'index':
        return `${s.action} index ${s.collection}.${s.index.name}`;
      case 'function':
        return `${s.action} function ${s.fn.name}`;
      case 'trigger':
        return `${s.action} trigger ${s.fn}.${s.trigger.name}`;
    }
  });
}

const ALL = { prune: false, only: null } as const;

// ───────────────────────────── definition validation ─────────────────────────────

describe('collection definitions', () => {
  const good = {
    name: 'orders',
    description: 'Orders posted by villagers.',
    indexes: [
      { name: 'by_status', keys: { status: 1, createdAt: -1 } },
      { name: 'idem', keys: { idempotencyKey: 1 }, unique: true },
    ],
    rules: { read: false, write: false },
  };

  test('a well-formed file is accepted, keys kept in order, unique defaulting to false', () => {
    const { spec, errors } = validateCollection(good, 'orders.json');
    expect(errors).toEqual([]);
    expect(spec).toEqual({
      name: 'orders',
      description: 'Orders posted by villagers.',
      indexes: [
        {
          name: 'by_status',
          keys: [
            ['status', 1],
            ['createdAt', -1],
          ],
          unique: false,
        },
        { name: 'idem', keys: [['idempotencyKey', 1]], unique: true },
      ],
      rules: { read: false, write: false },
      file: 'orders.json',
    });
  });

  it('accepts a geo (2dsphere) index on one field', () => {
    const { spec, errors } = validateCollection(
      { ...good, indexes: [{ name: 'near', keys: { location: '2dsphere' } }] },
      'orders.json',
    );
    expect(errors).toEqual([]);
    expect(spec?.indexes).toEqual([{ name: 'near', keys: [['location', '2dsphere']], unique: false }]);
  });

  it('accepts a compound geo index: one 2dsphere field after (or before) ordinary ones', () => {
    const keys = { status: 1, ownerOrgId: 1, category: 1, geo: '2dsphere' };
    const { spec, errors } = validateCollection({ ...good, indexes: [{ name: 'hall', keys }] }, 'orders.json');
    expect(errors).toEqual([]);
    expect(spec?.indexes).toEqual([
      {
        name: 'hall',
        keys: [
          ['status', 1],
          ['ownerOrgId', 1],
          ['category', 1],
          ['geo', '2dsphere'],
        ],
        unique: false,
      },
    ]);
  });

  test.each([
    ['not an object', [], /must be a JSON object/],
    ['a name that is not the file name', { ...good, name: 'order' }, /name the file after the collection/],
    ['an invalid collection name', { ...good, name: '1orders' }, /"name" must be a collection name/],
    ['no description', { ...good, description: '' }, /"description" must be a non-empty string/],
    ['indexes not an array', { ...good, indexes: {} }, /"indexes" must be an array/],
    [
      'a direction that is a string',
      { ...good, indexes: [{ name: 'a', keys: { status: '1' } }] },
      /direction of "status" must be 1 or -1/,
    ],
    [
      'a direction of 2',
      { ...good, indexes: [{ name: 'a', keys: { status: 2 } }] },
      /direction of "status" must be 1 or -1/,
    ],
    [
      'a geo index with two 2dsphere fields',
      { ...good, indexes: [{ name: 'a', keys: { location: '2dsphere', area: '2dsphere' } }] },
      /a "2dsphere" index has one 2dsphere field and at most 3 others, and is not unique/,
    ],
    [
      'a geo index with four other fields',
      { ...good, indexes: [{ name: 'a', keys: { a: 1, b: 1, c: 1, d: 1, location: '2dsphere' } }] },
      /a "2dsphere" index has one 2dsphere field and at most 3 others, and is not unique/,
    ],
    [
      'a unique geo index',
      { ...good, indexes: [{ name: 'a', keys: { location: '2dsphere' }, unique: true }] },
      /a "2dsphere" index has one 2dsphere field and at most 3 others, and is not unique/,
    ],
    [
      'two indexes with the same name',
      {
        ...good,
        indexes: [
          { name: 'a', keys: { x: 1 } },
          { name: 'a', keys: { y: 1 } },
        ],
      },
      /index name "a" is used twice/,
    ],
    [
      'two indexes with the same keys',
      {
        ...good,
        indexes: [
          { name: 'a', keys: { x: 1 } },
          { name: 'b', keys: { x: 1 } },
        ],
      },
      /same keys as index "a"/,
    ],
    ['empty keys', { ...good, indexes: [{ name: 'a', keys: {} }] }, /"keys" must be a non-empty object/],
    ['the built-in _id_ index', { ...good, indexes: [{ name: '_id_', keys: { _id: 1 } }] }, /built-in _id index/],
    [
      'unique not a boolean',
      { ...good, indexes: [{ name: 'a', keys: { x: 1 }, unique: 'yes' }] },
      /"unique" must be true or false/,
    ],
    [
      'an unknown index field',
      { ...good, indexes: [{ name: 'a', keys: { x: 1 }, sparse: true }] },
      /unknown field "sparse"/,
    ],
    ['a misspelt top-level field', { ...good, index: [] }, /unknown field "index"/],
    ['no rules', { ...good, rules: undefined }, /"rules" is missing/],
    ['rules without write', { ...good, rules: { read: false } }, /who may write/],
    ['rules without read', { ...good, rules: { write: false } }, /rules\.read is missing/],
    [
      'rules letting clients write',
      { ...good, rules: { read: true, write: 'auth.openid != null' } },
      /client writes must be denied/,
    ],
    [
      'rules letting clients create',
      { ...good, rules: { read: true, create: true, update: false, delete: false } },
      /rules\.create is true/,
    ],
    [
      'an unknown rule operation',
      { ...good, rules: { read: false, write: false, list: true } },
      /unknown operation "list"/,
    ],
  ])('rejects %s, saying why', (_label, raw, reason) => {
    const { spec, errors } = validateCollection(raw, 'orders.json');
    expect(spec).toBeNull();
    expect(errors.join('\n')).toMatch(reason);
    expect(errors.every((e) => e.startsWith('orders.json: '))).toBe(true);
  });

  test('accepts split write rules when all of create, update and delete are false', () => {
    const { errors } = validateCollection(
      { ...good, rules: { read: 'auth != null', create: false, update: false, delete: false } },
      'orders.json',
    );
    expect(errors).toEqual([]);
  });

  test("every file in this checkout's database/collections/ is valid", () => {
    const { collections, errors } = loadCollections(ROOT);
    expect(errors).toEqual([]);
    expect(collections.length).toBeGreaterThan(0);
  });
});

describe('function config.json', () => {
  test('a well-formed config is accepted; runtime defaults to Nodejs16.13; cron whitespace normalised', () => {
    const { config, errors } = validateFunctionConfig(
      {
        timeout: 20,
        permissions: { openapi: ['subscribeMessage.send'] },
        triggers: [{ name: 'nightly', type: 'timer', config: '0  0 2 * * *  *' }],
      },
      'notify',
    );
    expect(errors).toEqual([]);
    expect(config).toEqual({
      timeout: 20,
      runtime: 'Nodejs16.13',
      openapi: ['subscribeMessage.send'],
      triggers: [{ name: 'nightly', type: 'timer', config: '0 0 2 * * * *' }],
    });
  });

  test.each([
    ['no timeout', {}, /"timeout" must be a whole number/],
    ['a timeout of 0', { timeout: 0 }, /"timeout" must be a whole number/],
    ['openapi not an array', { timeout: 5, permissions: { openapi: 'x.y' } }, /must be an array/],
    ['a malformed openapi name', { timeout: 5, permissions: { openapi: ['send message'] } }, /is not an API name/],
    ['a 5-field cron', { timeout: 5, triggers: [{ name: 't', type: 'timer', config: '0 2 * * *' }] }, /7-field cron/],
    [
      'a non-timer trigger',
      { timeout: 5, triggers: [{ name: 't', type: 'cos', config: '0 0 2 * * * *' }] },
      /"type" must be "timer"/,
    ],
    [
      'two triggers',
      {
        timeout: 5,
        triggers: [
          { name: 'a', type: 'timer', config: '0 0 2 * * * *' },
          { name: 'b', type: 'timer', config: '0 0 3 * * * *' },
        ],
      },
      /only one trigger per function/,
    ],
    ['a bad runtime', { timeout: 5, runtime: 'node16' }, /"runtime" must look like "Nodejs16.13"/],
  ])('rejects %s', (_label, raw, reason) => {
    const { config, errors } = validateFunctionConfig(raw, 'notify');
    expect(config).toBeNull();
    expect(errors.join('\n')).toMatch(reason);
  });

  test('deployable functions are the folders with a config.json (same as functionNames())', () => {
    expect(deployableFunctions(ROOT)).toEqual(functionNames());
  });
});

// ───────────────────────────── the planner ─────────────────────────────

describe('planDeploy', () => {
  const users = collection('users', [
    {
      name: 'roles_org',
      keys: [
        ['roles.orgId', 1],
        ['roles.role', 1],
      ],
      unique: false,
    },
    { name: 'station', keys: [['stationId', 1]], unique: false },
  ]);
  const checkins = collection('checkins', [
    {
      name: 'once',
      keys: [
        ['activityId', 1],
        ['openid', 1],
      ],
      unique: true,
    },
  ]);
  const nightly = { name: 'nightly', type: 'timer' as const, config: '0 0 2 * * * *' };
  const desired: DesiredState = {
    collections: [users, checkins],
    functions: [fn('user'), fn('order', { timeout: 20, triggers: [nightly] })],
  };
  const empty: CurrentState = {
    collections: new Map(),
    functions: new Map([
      ['user', null],
      ['order', null],
    ]),
  };

  test('an empty environment: everything is created, rules right after their collection', () => {
    const plan = planDeploy(desired, empty, ALL);
    expect(brief(plan.steps)).toEqual([
      'create collection users',
      'create rule users',
      'create index users.roles_org',
      'create index users.station',
      'create collection checkins',
      'create rule checkins',
      'create index checkins.once',
      'create function user',
      'create function order',
      'create trigger order.nightly',
    ]);
    expect(plan.warnings).toEqual([]);
    expect(plan.diffed).toEqual({ db: true, functions: true });
  });

  function partial(): CurrentState {
    const collections = new Map<string, RemoteCollection>([
      [
        'users',
        {
          name: 'users',
          indexes: [
            ID_INDEX,
            {
              name: 'roles_org',
              keys: [
                ['roles.orgId', 1],
                ['roles.role', 1],
              ],
              unique: false,
            },
          ],
          rule: { aclTag: 'CUSTOM', rule: { write: false, read: false } },
        },
      ],
    ]);
    const functions = new Map<string, RemoteFunction | null>([
      ['user', { name: 'user', timeout: 10, runtime: 'Nodejs16.13', status: 'Active', triggers: [] }],
      [
        'order',
        {
          name: 'order',
          timeout: 3,
          runtime: 'Nodejs16.13',
          status: 'Active',
          triggers: [{ name: 'nightly', type: 'timer', config: '{"cron":"0 0 2 * * * *"}' }],
        },
      ],
    ]);
    return { collections, functions };
  }

  test('a partially deployed environment: only the missing steps change anything', () => {
    const plan = planDeploy(desired, partial(), ALL);
    expect(brief(changingSteps(plan))).toEqual([
      'create index users.station',
      'create collection checkins',
      'create rule checkins',
      'create index checkins.once',
      'update function user',
      'update function order',
    ]);
    expect(brief(plan.steps.filter((s) => s.action === 'keep'))).toEqual([
      'keep collection users',
      'keep rule users',
      'keep index users.roles_org',
      'keep trigger order.nightly',
    ]);
    const order = plan.steps.find((s) => s.kind === 'function' && s.fn.name === 'order');
    expect(order).toMatchObject({ changes: ['timeout 3 s → 20 s'] });
    const user = plan.steps.find((s) => s.kind === 'function' && s.fn.name === 'user');
    expect(user).toMatchObject({ changes: [] });
  });

  test('a wrong rule is updated; a changed index is dropped then recreated; a changed cron is replaced', () => {
    const current = partial();
    const u = current.collections!.get('users')!;
    u.rule = { aclTag: 'PRIVATE', rule: null };
    u.indexes = [ID_INDEX, { name: 'roles_org', keys: [['roles.orgId', 1]], unique: false }];
    current.functions!.get('order')!.triggers = [{ name: 'nightly', type: 'timer', config: '0 0 3 * * * *' }];
    const steps = brief(changingSteps(planDeploy(desired, current, ALL)));
    expect(steps.slice(0, 4)).toEqual([
      'update rule users',
      'drop index users.roles_org',
      'create index users.roles_org',
      'create index users.station',
    ]);
    expect(steps.slice(-3)).toEqual([
      'update function order',
      'drop trigger order.nightly',
      'create trigger order.nightly',
    ]);
  });

  test('undeclared indexes are kept without --prune and dropped with it; _id_ is never dropped', () => {
    const current = partial();
    current.collections!.get('users')!.indexes.push({ name: 'legacy', keys: [['phone', 1]], unique: false });
    const kept = planDeploy(desired, current, ALL);
    expect(brief(kept.steps)).toContain('extra index users.legacy');
    expect(brief(changingSteps(kept))).not.toContain('drop index users.legacy');

    const pruned = planDeploy(desired, current, { prune: true, only: null });
    const drops = brief(pruned.steps.filter((s) => s.action === 'drop'));
    expect(drops).toEqual(['drop index users.legacy']);
    expect(brief(pruned.steps).some((s) => s.includes('_id_'))).toBe(false);
    // drops come before creates within the collection
    const b = brief(pruned.steps);
    expect(b.indexOf('drop index users.legacy')).toBeLessThan(b.indexOf('create index users.station'));
  });

  test('--prune also drops undeclared timer triggers of declared functions, never undeclared collections', () => {
    const current = partial();
    current.functions!.get('user')!.triggers = [{ name: 'old', type: 'timer', config: '0 0 1 * * * *' }];
    current.collections!.set('scratch', { name: 'scratch', indexes: [], rule: null });
    const kept = planDeploy(desired, current, ALL);
    expect(brief(kept.steps)).toContain('extra trigger user.old');
    expect(kept.warnings.join('\n')).toMatch(/trigger "old" is not in config.json/);
    expect(kept.warnings.join('\n')).toMatch(/collections not declared.*scratch/);
    const pruned = planDeploy(desired, current, { prune: true, only: null });
    expect(brief(changingSteps(pruned))).toContain('drop trigger user.old');
    expect(brief(pruned.steps).some((s) => s.includes('scratch'))).toBe(false);
  });

  test('a state that was not read gives "ensure" steps for everything declared', () => {
    const plan = planDeploy(desired, { collections: null, functions: null }, ALL);
    expect(new Set(plan.steps.map((s) => s.action))).toEqual(new Set(['ensure']));
    expect(plan.steps).toHaveLength(10);
    expect(plan.diffed).toEqual({ db: false, functions: false });
  });

  test('a rule that could not be read is set anyway', () => {
    const current = partial();
    current.collections!.get('users')!.rule = null;
    expect(brief(changingSteps(planDeploy(desired, current, ALL)))).toContain('ensure rule users');
  });

  test('--only limits the plan to one half', () => {
    expect(
      planDeploy(desired, empty, { prune: false, only: 'db' }).steps.every((s) =>
        ['collection', 'rule', 'index'].includes(s.kind),
      ),
    ).toBe(true);
    expect(
      planDeploy(desired, empty, { prune: false, only: 'functions' }).steps.every((s) =>
        ['function', 'trigger'].includes(s.kind),
      ),
    ).toBe(true);
  });

  test('a runtime that differs from the cloud is a warning (it cannot be changed in place)', () => {
    const current = partial();
    current.functions!.get('user')!.runtime = 'Nodejs18.15';
    expect(planDeploy(desired, current, ALL).warnings.join('\n')).toMatch(/function user: runtime is Nodejs18\.15/);
  });

  test('normalizeCron reads both report formats', () => {
    expect(normalizeCron('{"cron":"0 0 2 * * * *"}')).toBe('0 0 2 * * * *');
    expect(normalizeCron(' 0  0 2 * * * * ')).toBe('0 0 2 * * * *');
  });
});

// ───────────────────────────── reading state and applying steps ─────────────────────────────

/** An in-memory environment implementing the CloudApi, recording every call. */
class FakeCloud implements CloudApi {
  calls: string[] = [];
  collections = new Map<string, RemoteCollection>();
  functions = new Map<string, RemoteFunction>();
  failOn: string | null = null;
  ignoreRules = false;

  private record(call: string): void {
    this.calls.push(call);
    if (this.failOn && call.startsWith(this.failOn)) {
      throw Object.assign(new Error('simulated failure'), { code: 'InternalError', requestId: 'req-1' });
    }
  }
  async listCollections() {
    return [...this.collections.keys()];
  }
  async describeIndexes(c: string) {
    return this.collections.get(c)!.indexes;
  }
  async getRule(c: string) {
    return this.collections.get(c)!.rule ?? { aclTag: 'PRIVATE', rule: null };
  }
  async getFunction(name: string) {
    return this.functions.get(name) ?? null;
  }
  async createCollection(name: string) {
    this.record(`createCollection ${name}`);
    this.collections.set(name, { name, indexes: [ID_INDEX], rule: { aclTag: 'PRIVATE', rule: null } });
  }
  async setRule(c: string, rule: SecurityRule) {
    this.record(`setRule ${c}`);
    if (!this.ignoreRules) this.collections.get(c)!.rule = { aclTag: 'CUSTOM', rule };
  }
  async createIndex(c: string, ix: { name: string; keys: Array<[string, 1 | -1]>; unique: boolean }) {
    this.record(`createIndex ${c}.${ix.name}`);
    this.collections.get(c)!.indexes.push(ix);
  }
  async dropIndex(c: string, name: string) {
    this.record(`dropIndex ${c}.${name}`);
    const col = this.collections.get(c)!;
    col.indexes = col.indexes.filter((i) => i.name !== name);
  }
  async createFunction(f: FunctionSpec) {
    this.record(`createFunction ${f.name}`);
    this.functions.set(f.name, {
      name: f.name,
      timeout: f.timeout,
      runtime: f.runtime,
      status: 'Active',
      triggers: [],
    });
  }
  async updateFunctionCode(f: FunctionSpec) {
    this.record(`updateFunctionCode ${f.name}`);
  }
  async updateFunctionConfig(f: FunctionSpec) {
    this.record(`updateFunctionConfig ${f.name}`);
    this.functions.get(f.name)!.timeout = f.timeout;
  }
  async createTrigger(name: string, t: { name: string; type: string; config: string }) {
    this.record(`createTrigger ${name}.${t.name}`);
    this.functions.get(name)!.triggers.push(t);
  }
  async deleteTrigger(name: string, t: string) {
    this.record(`deleteTrigger ${name}.${t}`);
    const f = this.functions.get(name)!;
    f.triggers = f.triggers.filter((x) => x.name !== t);
  }
}

describe('applyPlan and readCurrentState', () => {
  const desired: DesiredState = {
    collections: [collection('users', [{ name: 'station', keys: [['stationId', 1]], unique: false }])],
    functions: [fn('user', { triggers: [{ name: 'nightly', type: 'timer', config: '0 0 2 * * * *' }] })],
  };

  test('applies an empty environment in order, after which the plan has nothing left to do', async () => {
    const cloud = new FakeCloud();
    const plan = planDeploy(desired, await readCurrentState(cloud, desired, null), ALL);
    const lines: string[] = [];
    await applyPlan(cloud, plan, (l) => lines.push(l));
    expect(cloud.calls).toEqual([
      'createCollection users',
      'setRule users',
      'createIndex users.station',
      'createFunction user',
      'createTrigger user.nightly',
    ]);
    expect(lines).toHaveLength(5);
    const again = planDeploy(desired, await readCurrentState(cloud, desired, null), ALL);
    expect(brief(changingSteps(again))).toEqual(['update function user']);
  });

  test('stops at the first failure with the step, the count done and the platform error', async () => {
    const cloud = new FakeCloud();
    cloud.failOn = 'createIndex';
    const plan = planDeploy(desired, await readCurrentState(cloud, desired, null), ALL);
    const err = await applyPlan(cloud, plan, () => {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplyError);
    expect((err as ApplyError).done).toBe(2);
    expect((err as Error).message).toMatch(/step 3 of 5: create index users\.station/);
    expect((err as Error).message).toMatch(/simulated failure; code InternalError; RequestId req-1/);
    expect(cloud.calls).not.toContain('createFunction user');
  });

  test('a security rule that does not read back as set is an error', async () => {
    const cloud = new FakeCloud();
    cloud.ignoreRules = true;
    const plan = planDeploy(desired, await readCurrentState(cloud, desired, null), ALL);
    await expect(applyPlan(cloud, plan, () => {})).rejects.toThrow(/reads back as PRIVATE/);
  });

  test('reading the state only reads (a dry run with credentials cannot write)', async () => {
    const cloud = new FakeCloud();
    cloud.collections.set('users', { name: 'users', indexes: [ID_INDEX], rule: { aclTag: 'CUSTOM', rule: DENY } });
    const reader: CloudReader = {
      listCollections: () => cloud.listCollections(),
      describeIndexes: (c) => cloud.describeIndexes(c),
      getRule: () => Promise.reject(new Error('WxAppId required')),
      getFunction: (n) => cloud.getFunction(n),
    };
    const warnings: string[] = [];
    const state = await readCurrentState(reader, desired, null, (w) => warnings.push(w));
    expect(state.collections!.get('users')!.rule).toBeNull();
    expect(state.functions!.get('user')).toBeNull();
    expect(warnings.join('\n')).toMatch(/could not read the security rule of users/);
    expect(cloud.calls).toEqual([]);
  });
});

describe('command line', () => {
  test('parses the flags and rejects unknown ones', () => {
    expect(parseArgs(['--dry-run', '--only', 'db', '--prune'])).toMatchObject({
      dryRun: true,
      only: 'db',
      prune: true,
    });
    expect(parseArgs(['--only=functions'])).toMatchObject({ only: 'functions' });
    expect(() => parseArgs(['--only', 'web'])).toThrow(UsageError);
    expect(() => parseArgs(['--force'])).toThrow(/unknown argument "--force"/);
  });

  test('credentials come from the environment; missing ones are named', () => {
    expect(readCredentials({ TCB_ENV_ID: 'env-1' }).missing).toEqual([
      'TENCENTCLOUD_SECRETID',
      'TENCENTCLOUD_SECRETKEY',
    ]);
    expect(
      readCredentials({ TCB_ENV_ID: 'env-1', TENCENTCLOUD_SECRETID: 'id', TENCENTCLOUD_SECRETKEY: 'key' }).credentials,
    ).toMatchObject({ envId: 'env-1', secretId: 'id', secretKey: 'key' });
  });
});

// ───────────────────────────── end to end: the script as a child process ─────────────────────────────

const CREDENTIAL_VARS = [
  'TCB_ENV_ID',
  'TENCENTCLOUD_SECRETID',
  'TENCENTCLOUD_SECRETKEY',
  'TENCENTCLOUD_SESSIONTOKEN',
  'TENCENTCLOUD_REGION',
  'WX_APPID',
];

function runDeploy(args: string[]): { code: number | null; out: string } {
  const env = { ...process.env };
  for (const k of CREDENTIAL_VARS) delete env[k];
  const res = spawnSync('npx', ['tsx', 'scripts/deploy.ts', ...args], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    timeout: 60000,
  });
  return { code: res.status, out: `${res.stdout}\n${res.stderr}` };
}

/** A throw-away project: database/collections/ and cloudfunctions/, built or not. */
function fixture(opts: { built?: 'yes' | 'missing' | 'stale'; collection?: unknown } = {}): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-test-'));
  fs.mkdirSync(path.join(root, 'database', 'collections'), { recursive: true });
  fs.writeFileSync(
    path.join(root, 'database', 'collections', 'checkins.json'),
    JSON.stringify(
      opts.collection ?? {
        name: 'checkins',
        description: 'One check-in per person per activity.',
        indexes: [{ name: 'once', keys: { activityId: 1, openid: 1 }, unique: true }],
        rules: { read: false, write: false },
      },
    ),
  );
  const dir = path.join(root, 'cloudfunctions', 'hours');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'index.ts'), 'export const main = async () => ({ ok: true });\n');
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'hours', dependencies: { 'wx-server-sdk': '4.0.2' } }),
  );
  fs.writeFileSync(
    path.join(dir, 'config.json'),
    JSON.stringify({
      timeout: 30,
      permissions: { openapi: ['subscribeMessage.send'] },
      triggers: [{ name: 'closeStale', type: 'timer', config: '0 0 3 * * * *' }],
    }),
  );
  const built = opts.built ?? 'yes';
  if (built !== 'missing') {
    fs.writeFileSync(path.join(dir, 'index.js'), 'exports.main = async () => ({ ok: true });\n');
    const past = new Date(Date.now() - 60_000);
    const now = new Date();
    if (built === 'stale') {
      fs.utimesSync(path.join(dir, 'index.js'), past, past);
    } else {
      fs.utimesSync(path.join(dir, 'index.ts'), past, past);
      fs.utimesSync(path.join(dir, 'index.js'), now, now);
    }
  }
  return root;
}

describe('npm run deploy (child process, no credentials)', () => {
  const roots: string[] = [];
  afterAll(() => {
    for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
  });
  const tmp = (o: Parameters<typeof fixture>[0] = {}) => {
    const r = fixture(o);
    roots.push(r);
    return r;
  };

  beforeAll(async () => {
    // `npm test` and the check command build first; build here only what is missing or stale.
    const stale = functionNames().filter((n) => checkBuild(ROOT, n).length > 0);
    if (stale.length > 0) await buildFunctions(stale);
  }, 60000);

  test('--dry-run names every collection, index, rule and function of this checkout and exits 0', () => {
    const { code, out } = runDeploy(['--dry-run']);
    expect(out).toMatch(/DRY RUN/);
    expect(out).toMatch(/credentials not set .*no network call was made/);
    expect(code).toBe(0);
    const desired = loadProject(ROOT, null);
    for (const c of desired.collections) {
      expect(out).toContain(`  ${c.name} — `);
      expect(out).toContain(`rule       ${JSON.stringify(c.rules)}`);
      for (const ix of c.indexes) expect(out).toMatch(new RegExp(`index +${ix.name} \\{`));
    }
    for (const f of desired.functions) {
      expect(out).toMatch(new RegExp(`\\n  ${f.name} — [0-9.]+ (KB|B) \\(index\\.js`));
      expect(out).toContain(`timeout ${f.timeout} s`);
      for (const api of f.openapi) expect(out).toContain(api);
      for (const t of f.triggers) expect(out).toContain(`${t.name} "${t.config}"`);
    }
    expect(out).not.toMatch(/^ +(\+ create|~ update|- drop)/m);
  });

  test('--dry-run of a fixture shows triggers and openapi permissions', () => {
    const { code, out } = runDeploy(['--dry-run', '--root', tmp()]);
    expect(code).toBe(0);
    expect(out).toContain('checkins — One check-in per person per activity.');
    expect(out).toMatch(/index +once \{ activityId: 1, openid: 1 \} unique/);
    expect(out).toMatch(/hours — .*index\.js/);
    expect(out).toContain('timeout 30 s');
    expect(out).toContain('openapi permissions: subscribeMessage.send');
    expect(out).toContain('closeStale "0 0 3 * * * *"');
    expect(out).toMatch(/upload these functions once\s+from DevTools .*: hours/);
  });

  test('--only db leaves functions (and their build) out', () => {
    const { code, out } = runDeploy(['--dry-run', '--only', 'db', '--root', tmp({ built: 'missing' })]);
    expect(code).toBe(0);
    expect(out).toContain('checkins');
    expect(out).not.toContain('Functions /');
  });

  test('a missing build fails with a clear message and exit code ≠ 0', () => {
    const { code, out } = runDeploy(['--dry-run', '--root', tmp({ built: 'missing' })]);
    expect(code).not.toBe(0);
    expect(out).toMatch(/cloudfunctions\/hours\/index\.js is missing/);
    expect(out).toMatch(/npm run build/);
    expect(out).not.toMatch(/Functions \//);
  });

  test('a stale build (index.js older than index.ts) is refused', () => {
    const { code, out } = runDeploy(['--dry-run', '--root', tmp({ built: 'stale' })]);
    expect(code).not.toBe(0);
    expect(out).toMatch(/index\.js is older than cloudfunctions\/hours\/index\.ts/);
  });

  test('a malformed definition file fails before anything, naming the file and the reason', () => {
    const bad = {
      name: 'checkins',
      description: 'x',
      indexes: [{ name: 'once', keys: { activityId: 'asc' } }],
      rules: { read: false, write: false },
    };
    const { code, out } = runDeploy(['--dry-run', '--root', tmp({ collection: bad })]);
    expect(code).toBe(1);
    expect(out).toMatch(
      /database\/collections\/checkins\.json: index "once": direction of "activityId" must be 1 or -1/,
    );
    expect(out).toMatch(/nothing was applied/);
  });

  test('a real deploy without credentials names the missing variables and exits 1', () => {
    const { code, out } = runDeploy(['--root', tmp()]);
    expect(code).toBe(1);
    expect(out).toMatch(/Missing credentials: TCB_ENV_ID, TENCENTCLOUD_SECRETID, TENCENTCLOUD_SECRETKEY/);
  });

  test('an unknown flag is a usage error (exit 2)', () => {
    const { code, out } = runDeploy(['--dryrun']);
    expect(code).toBe(2);
    expect(out).toMatch(/unknown argument "--dryrun"/);
  });
});

describe('the manager-node implementation (transport stubbed: no network)', () => {
  // Replaces the SDK's one HTTP entry point (CloudService.request: action + params → Response) with a
  // recorder, then drives createManagerCloud: this checks the API actions and parameters we send.
  type Call = { service: string; action: string; data: Record<string, unknown> };
  const calls: Call[] = [];
  let original: unknown;
  let root = '';
  let exists = false;

  beforeAll(() => {
    const { CloudService } = jest.requireActual('@cloudbase/manager-node/lib/utils/cloud-api-request');
    original = CloudService.prototype.request;
    CloudService.prototype.request = async function (
      this: { service: string },
      action: string,
      data: Record<string, unknown>,
    ) {
      calls.push({ service: this.service, action, data });
      switch (action) {
        case 'DescribeEnvInfo':
          return {
            EnvInfo: {
              EnvBaseInfo: {
                EnvId: 'env-x',
                Databases: [{ InstanceId: 'tnt-1' }],
                Functions: [{ Namespace: 'env-x' }],
                Storages: [],
              },
            },
          };
        case 'ListTables':
          return { Tables: [{ TableName: 'users' }], Pager: { Total: 1 } };
        case 'DescribeTable':
          return { Indexes: [{ Name: '_id_', Keys: [{ Name: '_id', Direction: '1' }], Unique: false }] };
        case 'DescribeSafeRule':
          return { AclTag: 'CUSTOM', Rule: '{"read":false,"write":false}' };
        case 'GetFunction':
          if (!exists) throw Object.assign(new Error('function not found'), { code: 'ResourceNotFound.Function' });
          return {
            Status: 'Active',
            Timeout: 30,
            Runtime: 'Nodejs16.13',
            Triggers: [{ TriggerName: 'closeStale', Type: 'timer', TriggerDesc: '{"cron":"0 0 3 * * * *"}' }],
          };
        case 'CreateFunction':
          exists = true;
          return {};
        default:
          return {};
      }
    };
    root = fixture();
    jest.spyOn(console, 'log').mockImplementation(() => {});
  });
  afterAll(() => {
    jest.requireActual('@cloudbase/manager-node/lib/utils/cloud-api-request').CloudService.prototype.request = original;
    fs.rmSync(root, { recursive: true, force: true });
    jest.restoreAllMocks();
  });

  test('reads, creates and updates through the documented actions with the expected parameters', async () => {
    const cloud = createManagerCloud({ envId: 'env-x', secretId: 'id', secretKey: 'key' });
    const hours = loadProject(root, null).functions[0];

    expect(await cloud.listCollections()).toEqual(['users']);
    expect(await cloud.describeIndexes('users')).toEqual([{ name: '_id_', keys: [['_id', 1]], unique: false }]);
    expect(await cloud.getRule('users')).toEqual({ aclTag: 'CUSTOM', rule: { read: false, write: false } });
    expect(await cloud.getFunction('hours')).toBeNull();
    await cloud.createCollection('checkins');
    await cloud.setRule('checkins', { read: false, write: false });
    await cloud.createIndex('checkins', {
      name: 'once',
      keys: [
        ['activityId', 1],
        ['openid', -1],
      ],
      unique: true,
    });
    await cloud.dropIndex('checkins', 'legacy');
    await cloud.createFunction(hours);
    expect(await cloud.getFunction('hours')).toMatchObject({
      timeout: 30,
      triggers: [{ name: 'closeStale', config: '0 0 3 * * * *' }],
    });
    await cloud.updateFunctionCode(hours);
    await cloud.updateFunctionConfig(hours);
    await cloud.createTrigger('hours', hours.triggers[0]);
    await cloud.deleteTrigger('hours', 'closeStale');

    const sent = (action: string) => calls.filter((c) => c.action === action).map((c) => c.data);
    expect(sent('ModifySafeRule')).toEqual([
      { EnvId: 'env-x', CollectionName: 'checkins', AclTag: 'CUSTOM', Rule: '{"read":false,"write":false}' },
    ]);
    expect(sent('CreateTable')).toEqual([expect.objectContaining({ EnvId: 'env-x', TableName: 'checkins' })]);
    expect(sent('UpdateTable')).toEqual([
      expect.objectContaining({
        TableName: 'checkins',
        CreateIndexes: [
          {
            IndexName: 'once',
            MgoKeySchema: {
              MgoIndexKeys: [
                { Name: 'activityId', Direction: '1' },
                { Name: 'openid', Direction: '-1' },
              ],
              MgoIsUnique: true,
            },
          },
        ],
      }),
      expect.objectContaining({ TableName: 'checkins', DropIndexes: [{ IndexName: 'legacy' }] }),
    ]);
    expect(sent('UpdateTable').some((d) => 'CreateIndexes' in d && 'DropIndexes' in d)).toBe(false);

    const [created] = sent('CreateFunction') as Array<Record<string, unknown> & { Code: { ZipFile: string } }>;
    expect(created).toMatchObject({
      FunctionName: 'hours',
      Handler: 'index.main',
      Runtime: 'Nodejs16.13',
      Timeout: 30,
      InstallDependency: 'TRUE',
    });
    expect(created).not.toHaveProperty('Triggers');
    const zip = Buffer.from(created.Code.ZipFile, 'base64').toString('latin1');
    for (const f of ['index.js', 'package.json', 'config.json']) expect(zip).toContain(f);
    expect(zip).not.toContain('index.ts');

    expect(sent('UpdateFunctionCode')).toEqual([
      expect.objectContaining({ FunctionName: 'hours', Handler: 'index.main', InstallDependency: 'TRUE' }),
    ]);
    expect(sent('UpdateFunctionConfiguration')).toEqual([
      expect.objectContaining({ FunctionName: 'hours', Timeout: 30 }),
    ]);
    expect(sent('BatchCreateTrigger')).toEqual([
      expect.objectContaining({
        FunctionName: 'hours',
        Triggers: JSON.stringify([{ TriggerName: 'closeStale', Type: 'timer', TriggerDesc: '0 0 3 * * * *' }]),
      }),
    ]);
    expect(sent('DeleteTrigger')).toEqual([
      expect.objectContaining({ FunctionName: 'hours', TriggerName: 'closeStale', Type: 'timer' }),
    ]);
  }, 60000);
});

describe('loadProject', () => {
  test('throws DefinitionError before BuildError, and BuildError names every unbuilt function', () => {
    const root = fixture({ built: 'missing', collection: { name: 'x' } });
    try {
      expect(() => loadProject(root, null)).toThrow(DefinitionError);
      fs.writeFileSync(
        path.join(root, 'database', 'collections', 'checkins.json'),
        JSON.stringify({ name: 'checkins', description: 'ok', indexes: [], rules: { read: false, write: false } }),
      );
      expect(() => loadProject(root, null)).toThrow(BuildError);
      expect(() => loadProject(root, 'db')).not.toThrow();
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
