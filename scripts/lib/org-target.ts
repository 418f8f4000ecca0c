/**
 * Where `npm run org` reads and writes the network: the local cloud (default) or a real CloudBase
 * environment, both through @cloudbase/node-sdk, the admin SDK that bypasses the functions and the
 * security rules. Reads are paged (CloudBase returns at most 1,000 documents a call), writes batched.
 */
import type { OrgDoc } from '../../cloudfunctions/shared/org/domain/model';
import type { ExistingOrg } from './org-csv';

export const ORGS = 'orgs';
/** CloudBase's cap on one get(). */
export const PAGE_SIZE = 1000;
/** Documents per insert request: small enough for CloudBase's request size limits. */
export const INSERT_BATCH = 100;
/** Update requests in flight at once (an update is one request per document). */
export const UPDATE_CONCURRENCY = 8;
export const DEFAULT_LOCALCLOUD_URL = 'http://127.0.0.1:3900';

export type OrgTarget =
  | { kind: 'local'; url: string }
  | { kind: 'cloud'; envId: string; secretId: string; secretKey: string; sessionToken?: string; region?: string };

const CLOUD_VARS = ['TCB_ENV_ID', 'TENCENTCLOUD_SECRETID', 'TENCENTCLOUD_SECRETKEY'] as const;

/**
 * A real environment when all of TCB_ENV_ID, TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY are set;
 * the local cloud when none is. Some but not all: an error, never a silent fall-back to the local cloud.
 */
export function resolveTarget(env: NodeJS.ProcessEnv): { target: OrgTarget } | { error: string } {
  const set = CLOUD_VARS.filter((k) => (env[k] ?? '').trim() !== '');
  if (set.length === CLOUD_VARS.length) {
    return {
      target: {
        kind: 'cloud',
        envId: env.TCB_ENV_ID!.trim(),
        secretId: env.TENCENTCLOUD_SECRETID!.trim(),
        secretKey: env.TENCENTCLOUD_SECRETKEY!.trim(),
        sessionToken: env.TENCENTCLOUD_SESSIONTOKEN?.trim() || undefined,
        region: env.TENCENTCLOUD_REGION?.trim() || undefined,
      },
    };
  }
  if (set.length > 0) {
    const missing = CLOUD_VARS.filter((k) => !set.includes(k));
    return {
      error:
        `To use a CloudBase environment set all of ${CLOUD_VARS.join(', ')}; missing: ${missing.join(', ')}.\n` +
        'To use the local cloud, unset them (LOCALCLOUD_URL picks the local cloud, default ' +
        DEFAULT_LOCALCLOUD_URL +
        ').',
    };
  }
  const url = (env.LOCALCLOUD_URL ?? '').trim() || DEFAULT_LOCALCLOUD_URL;
  if (!/^https?:\/\/[^/]+/.test(url)) return { error: `LOCALCLOUD_URL must be an http(s) URL, got "${url}"` };
  return { target: { kind: 'local', url: url.replace(/\/+$/, '') } };
}

/** The target the environment names, or null after saying on stderr what is wrong with it. */
export function targetFromEnv(): OrgTarget | null {
  const resolved = resolveTarget(process.env);
  if ('target' in resolved) return resolved.target;
  console.error(resolved.error);
  return null;
}

export function describeTarget(t: OrgTarget): string {
  return t.kind === 'local' ? `本地云 local cloud ${t.url}` : `云开发环境 CloudBase environment ${t.envId}`;
}

export interface OrgStore {
  /** Every stored node, read page by page in _id order. */
  readAll(onPage?: (count: number) => void): Promise<ExistingOrg[]>;
  /** Inserts in batches, in the order given (parents first). */
  create(docs: readonly OrgDoc[], onProgress?: (done: number) => void): Promise<void>;
  /** Replaces each node's fields (not its _id). */
  update(docs: readonly OrgDoc[], onProgress?: (done: number) => void): Promise<void>;
}

export class StoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreError';
  }
}

interface SdkResult {
  code?: string;
  message?: string;
  data?: unknown;
}

type Db = {
  command: { gt(v: unknown): unknown };
  collection(name: string): {
    where(q: Record<string, unknown>): Query;
    orderBy(field: string, dir: 'asc' | 'desc'): Query;
    add(docs: unknown[]): Promise<SdkResult>;
    doc(id: string): { set(data: Record<string, unknown>): Promise<SdkResult> };
  };
};
type Query = {
  where(q: Record<string, unknown>): Query;
  orderBy(field: string, dir: 'asc' | 'desc'): Query;
  limit(n: number): Query;
  get(): Promise<SdkResult>;
};

/** What a failed SDK call says, whether it threw or answered with a code. */
export function sdkErrorText(e: unknown): string {
  const err = e as { code?: unknown; message?: unknown; errMsg?: unknown } | undefined;
  const code = err?.code ? `${String(err.code)}: ` : '';
  return `${code}${String(err?.message ?? err?.errMsg ?? e)}`;
}

function check(r: SdkResult, what: string): SdkResult {
  if (r && typeof r === 'object' && r.code) throw new StoreError(`${what}: ${r.code} ${r.message ?? ''}`.trim());
  return r;
}

function explain(e: unknown, target: OrgTarget, what: string): StoreError {
  const text = sdkErrorText(e);
  if (/COLLECTION_NOT_EXIST|collection not exist/i.test(text)) {
    return new StoreError(
      `${what}: the collection "${ORGS}" does not exist in ${describeTarget(target)}.\n` +
        (target.kind === 'local'
          ? 'Start the local cloud from this checkout (npm start): it creates the collections from database/collections/.'
          : 'Create it first: npm run deploy -- --only db'),
    );
  }
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|socket hang up|ETIMEDOUT/i.test(text)) {
    return new StoreError(
      `${what}: cannot reach ${describeTarget(target)} (${text}).\n` +
        (target.kind === 'local'
          ? 'Is the local cloud running? Start it with: npm start'
          : 'Check the network and TENCENTCLOUD_REGION.'),
    );
  }
  return new StoreError(`${what}: ${text}`);
}

/**
 * The admin SDK on the target. Loads the SDK only now, after the process environment is set.
 */
export function connectApp<T = { database(): unknown }>(target: OrgTarget): T {
  // Tell the SDK it runs in a function: otherwise it probes Tencent Cloud's metadata service (a DNS
  // lookup that hangs or fails off Tencent Cloud). Inside SCF it expects a region and a namespace.
  process.env.TENCENTCLOUD_RUNENV = 'SCF';
  process.env.TENCENTCLOUD_REGION ||= target.kind === 'cloud' ? (target.region ?? 'ap-shanghai') : 'ap-shanghai';
  process.env.SCF_NAMESPACE ||= target.kind === 'cloud' ? target.envId : 'local';
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tcb = require('@cloudbase/node-sdk') as { init(config: Record<string, unknown>): { database(): unknown } };
  const app =
    target.kind === 'local'
      ? tcb.init({
          env: 'local',
          secretId: 'local',
          secretKey: 'local',
          serviceUrl: `${target.url}/admin`,
          timeout: 60_000,
        })
      : tcb.init({
          env: target.envId,
          secretId: target.secretId,
          secretKey: target.secretKey,
          ...(target.sessionToken ? { sessionToken: target.sessionToken } : {}),
          ...(target.region ? { region: target.region } : {}),
          timeout: 60_000,
        });
  return app as T;
}

/** The admin SDK's database on the target. */
export function connectDatabase<T = Db>(target: OrgTarget): T {
  return connectApp(target).database() as T;
}

/** Connects the admin SDK to the target's orgs collection. */
export function connectOrgStore(target: OrgTarget): OrgStore {
  const db = connectDatabase(target);
  const coll = db.collection(ORGS);

  return {
    async readAll(onPage) {
      const all: ExistingOrg[] = [];
      let last: string | null = null;
      // Keyset paging on _id: stable while others write, and no growing skip.
      for (;;) {
        let page: ExistingOrg[];
        try {
          const q: Query =
            last === null ? coll.orderBy('_id', 'asc') : coll.where({ _id: db.command.gt(last) }).orderBy('_id', 'asc');
          const r = check(await q.limit(PAGE_SIZE).get(), `reading ${ORGS}`);
          page = (r.data ?? []) as ExistingOrg[];
        } catch (e) {
          throw e instanceof StoreError ? e : explain(e, target, `reading ${ORGS}`);
        }
        all.push(...page);
        onPage?.(all.length);
        if (page.length < PAGE_SIZE) return all;
        last = String(page[page.length - 1]._id);
      }
    },

    async create(docs, onProgress) {
      for (let i = 0; i < docs.length; i += INSERT_BATCH) {
        const batch = docs.slice(i, i + INSERT_BATCH);
        try {
          check(await coll.add(batch as unknown[]), `inserting into ${ORGS}`);
        } catch (e) {
          const err = e instanceof StoreError ? e : explain(e, target, `inserting into ${ORGS}`);
          err.message += `\n${i} of ${docs.length} new nodes were written before this; running the import again continues from there.`;
          throw err;
        }
        onProgress?.(Math.min(i + INSERT_BATCH, docs.length));
      }
    },

    async update(docs, onProgress) {
      let next = 0;
      let done = 0;
      let failed = false;
      const worker = async (): Promise<void> => {
        while (!failed && next < docs.length) {
          const { _id, ...fields } = docs[next++];
          try {
            check(await coll.doc(_id).set(fields), `updating ${_id}`);
          } catch (e) {
            failed = true;
            throw e instanceof StoreError ? e : explain(e, target, `updating ${_id}`);
          }
          onProgress?.(++done);
        }
      };
      try {
        await Promise.all(Array.from({ length: Math.min(UPDATE_CONCURRENCY, docs.length) }, worker));
      } catch (e) {
        (e as Error).message +=
          `\n${done} of ${docs.length} updates were written; running the import again finishes the rest.`;
        throw e;
      }
    },
  };
}
