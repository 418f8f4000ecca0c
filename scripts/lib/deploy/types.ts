/**
 * The deployment's vocabulary: what the project declares (desired state), what an environment holds
 * (current state), and the steps that turn one into the other. Plain data only: no SDK types here, so
 * the planner and the tests never touch the network.
 */

/** 1 ascending, -1 descending; "2dsphere" a geo index on GeoJSON (one such field, at most 3 others, not unique). */
export type Direction = 1 | -1 | '2dsphere';

export interface IndexSpec {
  name: string;
  /** Ordered: [field, direction]; the order matters for a compound index. */
  keys: Array<[string, Direction]>;
  unique: boolean;
}

/** A collection security rule: `read` plus `write` (or `create`/`update`/`delete`). */
export type SecurityRule = Record<string, boolean | string>;

export interface CollectionSpec {
  name: string;
  description: string;
  indexes: IndexSpec[];
  rules: SecurityRule;
  /** The definition file, relative to the project root (for messages). */
  file: string;
}

export interface TimerTrigger {
  name: string;
  type: 'timer';
  /** 7-field cron: second minute hour day month weekday year. */
  config: string;
}

export interface FunctionFile {
  name: 'index.js' | 'package.json' | 'config.json' | 'noto-sans-sc.woff';
  path: string;
  size: number;
}

export interface FunctionSpec {
  name: string;
  /** Absolute path of cloudfunctions/<name>. */
  dir: string;
  /** Seconds. */
  timeout: number;
  /** Cloud runtime, fixed when the function is created (CloudBase cannot change it later). */
  runtime: string;
  openapi: string[];
  triggers: TimerTrigger[];
  /** What is uploaded: the built bundle, package.json (wx-server-sdk, installed in the cloud) and config.json. */
  files: FunctionFile[];
  /** Sum of the uploaded files, bytes (before zipping). */
  size: number;
}

export interface DesiredState {
  collections: CollectionSpec[];
  functions: FunctionSpec[];
}

/** An index as the environment reports it (DescribeTable). Directions may be other than 1/-1 (e.g. "2d"). */
export interface RemoteIndex {
  name: string;
  keys: Array<[string, number | string]>;
  unique: boolean;
}

/** The rule as DescribeSafeRule reports it; `null` when it could not be read. */
export interface RemoteRule {
  aclTag: string;
  rule: SecurityRule | null;
}

export interface RemoteCollection {
  name: string;
  indexes: RemoteIndex[];
  rule: RemoteRule | null;
}

export interface RemoteFunction {
  name: string;
  timeout: number;
  runtime: string;
  status: string;
  triggers: Array<{ name: string; type: string; config: string }>;
}

/**
 * What the environment holds. A `null` part was not read (no credentials, or `--only` left it out):
 * the planner then says `ensure` instead of pretending to know.
 */
export interface CurrentState {
  collections: Map<string, RemoteCollection> | null;
  functions: Map<string, RemoteFunction | null> | null;
}

/**
 * create: missing, will be created. update: exists, will be changed. keep: already as declared.
 * drop: exists, not declared, will be removed (--prune, or a changed index being replaced).
 * extra: exists, not declared, left alone (no --prune). ensure: the environment was not read, so the
 * step makes sure the thing exists as declared (a dry run without credentials shows these).
 */
export type Action = 'create' | 'update' | 'keep' | 'drop' | 'extra' | 'ensure';

export type Step =
  | { kind: 'collection'; action: Action; collection: string; description: string }
  | { kind: 'rule'; action: Action; collection: string; rule: SecurityRule; current?: string }
  | { kind: 'index'; action: Action; collection: string; index: IndexSpec | RemoteIndex; note?: string }
  | {
      kind: 'function';
      action: Action;
      fn: FunctionSpec;
      /** Config differences against the environment (timeout), for the report. */
      changes: string[];
      warnings: string[];
    }
  | {
      kind: 'trigger';
      action: Action;
      fn: string;
      trigger: TimerTrigger | { name: string; type: string; config: string };
    };

export interface Plan {
  steps: Step[];
  warnings: string[];
  /** Whether the current state was read (false: every step is `ensure` or `keep` of built-ins). */
  diffed: { db: boolean; functions: boolean };
}

export interface PlanOptions {
  prune: boolean;
  only: 'db' | 'functions' | null;
}
