/**
 * The production CloudApi: @cloudbase/manager-node (the CloudBase management SDK, Tencent Cloud API 3.0
 * underneath). Which call does what, and how sure we are of it, is listed in docs/DEPLOY.md
 * ("What the deploy script calls"). In short:
 *   collections   database.listCollections (ListTables), database.createCollection (CreateTable)
 *   indexes       database.describeCollection (DescribeTable), database.updateCollection (UpdateTable
 *                 with CreateIndexes or DropIndexes — never both in one call, as the SDK docs require)
 *   rules         commonService('tcb').call DescribeSafeRule / ModifySafeRule (AclTag CUSTOM + Rule)
 *   functions     functions.getFunctionDetail (GetFunction), createFunction, updateFunctionCode,
 *                 updateFunctionConfig, waitFunctionActive
 *   triggers      functions.createFunctionTriggers (BatchCreateTrigger), deleteFunctionTrigger (DeleteTrigger)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import CloudBase from '@cloudbase/manager-node';
import type { CloudApi } from './cloud';
import { normalizeCron } from './plan';
import type {
  FunctionSpec,
  IndexSpec,
  RemoteFunction,
  RemoteIndex,
  RemoteRule,
  SecurityRule,
  TimerTrigger,
} from './types';

export interface Credentials {
  envId: string;
  secretId: string;
  secretKey: string;
  sessionToken?: string;
  /** Optional: TENCENTCLOUD_REGION; manager-node defaults to ap-shanghai. */
  region?: string;
  /** Optional: WX_APPID, passed to DescribeSafeRule (its API docs say "微信AppId，微信必传"). */
  wxAppId?: string;
}

/** The ZipFile (base64) upload is limited to 1.5 MB zipped; below 1 MB unzipped it always fits. */
const ZIP_UPLOAD_LIMIT = 1024 * 1024;
const PAGE = 100;

type Indexes = Array<{ Name: string; Keys?: Array<{ Name?: string; Direction?: string }>; Unique?: boolean }>;

function directionOf(d: string | undefined): number | string {
  const n = Number(d);
  return d !== undefined && d !== '' && Number.isFinite(n) ? n : String(d);
}

function parseRule(text: unknown): SecurityRule | null {
  if (typeof text !== 'string' || text.trim() === '') return null;
  try {
    const r = JSON.parse(text) as unknown;
    return typeof r === 'object' && r !== null && !Array.isArray(r) ? (r as SecurityRule) : null;
  } catch {
    return null;
  }
}

function isNotFound(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'string' && code.startsWith('ResourceNotFound');
}

/** Copies the three files that make up a deployed function into a fresh folder named after it. */
async function withStaged<T>(fn: FunctionSpec, use: (dir: string) => Promise<T>): Promise<T> {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'wmsjy-deploy-'));
  const dir = path.join(base, fn.name);
  fs.mkdirSync(dir);
  try {
    for (const f of fn.files) fs.copyFileSync(f.path, path.join(dir, f.name));
    return await use(dir);
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
}

/** How every function's code is run and installed: index.js's main, its package.json installed in the cloud. */
const CODE = { handler: 'index.main', installDependency: true } as const;

export function createManagerCloud(creds: Credentials): CloudApi {
  const app = new CloudBase({
    secretId: creds.secretId,
    secretKey: creds.secretKey,
    token: creds.sessionToken,
    envId: creds.envId,
    region: creds.region,
  });
  const db = app.database;
  const functions = app.functions;
  const tcb = app.commonService('tcb', '2018-06-08');
  const deployMode = (fn: FunctionSpec): 'zip' | undefined => (fn.size <= ZIP_UPLOAD_LIMIT ? 'zip' : undefined);

  return {
    async listCollections() {
      const names: string[] = [];
      for (let offset = 0; ; offset += PAGE) {
        const res = await db.listCollections({ MgoOffset: offset, MgoLimit: PAGE });
        const page = res.Collections ?? [];
        names.push(...page.map((c) => c.CollectionName));
        const total = res.Pager?.Total ?? names.length;
        if (page.length === 0 || names.length >= total) break;
      }
      return names;
    },

    async describeIndexes(collection) {
      const res = await db.describeCollection(collection);
      return ((res.Indexes ?? []) as unknown as Indexes).map((ix): RemoteIndex => ({
        name: ix.Name,
        keys: (ix.Keys ?? []).map((k) => [k.Name ?? '', directionOf(k.Direction)]),
        unique: ix.Unique === true,
      }));
    },

    async getRule(collection): Promise<RemoteRule> {
      const res = (await tcb.call({
        Action: 'DescribeSafeRule',
        Param: { EnvId: creds.envId, CollectionName: collection, ...(creds.wxAppId ? { WxAppId: creds.wxAppId } : {}) },
      })) as { AclTag?: string; Rule?: string | null };
      return { aclTag: res.AclTag ?? '', rule: res.AclTag === 'CUSTOM' ? parseRule(res.Rule) : null };
    },

    async getFunction(name): Promise<RemoteFunction | null> {
      try {
        const f = await functions.getFunctionDetail(name);
        return {
          name,
          timeout: Number(f.Timeout),
          runtime: f.Runtime ?? '',
          status: f.Status ?? '',
          triggers: (f.Triggers ?? []).map((t) => ({
            name: t.TriggerName,
            type: t.Type,
            config: normalizeCron(t.TriggerDesc ?? ''),
          })),
        };
      } catch (e) {
        if (isNotFound(e)) return null;
        throw e;
      }
    },

    async createCollection(name) {
      await db.createCollection(name);
    },

    async setRule(collection, rule) {
      await tcb.call({
        Action: 'ModifySafeRule',
        Param: { EnvId: creds.envId, CollectionName: collection, AclTag: 'CUSTOM', Rule: JSON.stringify(rule) },
      });
    },

    async createIndex(collection, index: IndexSpec) {
      await db.updateCollection(collection, {
        CreateIndexes: [
          {
            IndexName: index.name,
            MgoKeySchema: {
              MgoIndexKeys: index.keys.map(([field, dir]) => ({ Name: field, Direction: String(dir) })),
              MgoIsUnique: index.unique,
            },
          },
        ],
      });
    },

    async dropIndex(collection, indexName) {
      await db.updateCollection(collection, { DropIndexes: [{ IndexName: indexName }] });
    },

    async createFunction(fn) {
      // createFunction waits until the function is Active (dependencies installed) before returning.
      // Triggers are separate plan steps, so none are passed here.
      await withStaged(fn, (dir) =>
        functions.createFunction({
          func: { name: fn.name, timeout: fn.timeout, runtime: fn.runtime, ...CODE },
          functionPath: dir,
          force: false,
          deployMode: deployMode(fn),
        }),
      );
    },

    async updateFunctionCode(fn) {
      await withStaged(fn, (dir) =>
        functions.updateFunctionCode({
          func: { name: fn.name, runtime: fn.runtime, ...CODE, isWaitInstall: true },
          functionPath: dir,
          deployMode: deployMode(fn),
        }),
      );
      await functions.waitFunctionActive(fn.name);
    },

    async updateFunctionConfig(fn) {
      // Only name and timeout: triggers are not passed (updateFunctionConfig would swallow their errors).
      await functions.updateFunctionConfig({ name: fn.name, timeout: fn.timeout });
      await functions.waitFunctionActive(fn.name);
    },

    async createTrigger(fn, trigger: TimerTrigger) {
      await functions.createFunctionTriggers(fn, [trigger]);
    },

    async deleteTrigger(fn, triggerName) {
      await functions.deleteFunctionTrigger(fn, triggerName);
    },
  };
}
