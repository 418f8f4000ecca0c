/** Command-line arguments and credentials for scripts/deploy.ts (pure, so the tests can call them). */
import type { Credentials } from './manager';

export interface DeployArgs {
  dryRun: boolean;
  prune: boolean;
  only: 'db' | 'functions' | null;
  /** Project folder; default: this checkout. For fixture projects in tests. */
  root: string | null;
  help: boolean;
}

export const USAGE = `Usage: npm run deploy -- [--dry-run] [--only db|functions] [--prune]

Applies database/collections/*.json and the built cloud functions to a CloudBase environment.

  --dry-run           print the plan and change nothing (without credentials: no network at all;
                      with credentials: reads the environment to show create/keep/drop, never writes)
  --only db           only collections, indexes and security rules
  --only functions    only cloud functions and their timer triggers
  --prune             also drop indexes and timer triggers that exist in the environment but are
                      not declared (never the built-in _id_ index; collections and functions are never deleted)
  --root <dir>        project folder (default: this checkout)
  --help              this text

Environment variables (credentials are read from the environment only):
  TCB_ENV_ID                 the CloudBase environment ID (云开发环境 ID)
  TENCENTCLOUD_SECRETID      API key of the Tencent Cloud account that owns the environment
  TENCENTCLOUD_SECRETKEY
  TENCENTCLOUD_SESSIONTOKEN  optional, for temporary keys
  TENCENTCLOUD_REGION        optional, default ap-shanghai
  WX_APPID                   optional, the mini-program AppID (sent when reading security rules)

Run "npm run build" first: functions whose index.js is missing or older than their sources are refused.`;

export class UsageError extends Error {
  constructor(message: string) {
    super(`${message}\n\n${USAGE}`);
    this.name = 'UsageError';
  }
}

export function parseArgs(argv: string[]): DeployArgs {
  const args: DeployArgs = { dryRun: false, prune: false, only: null, root: null, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (flag: string): string => {
      const eq = a.indexOf('=');
      if (eq >= 0) return a.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (a === '--dry-run') args.dryRun = true;
    else if (a === '--prune') args.prune = true;
    else if (a === '--help' || a === '-h') args.help = true;
    else if (a === '--only' || a.startsWith('--only=')) {
      const v = value('--only');
      if (v !== 'db' && v !== 'functions') throw new UsageError(`--only must be "db" or "functions", got "${v}"`);
      if (args.only && args.only !== v) throw new UsageError('--only can be given once');
      args.only = v;
    } else if (a === '--root' || a.startsWith('--root=')) args.root = value('--root');
    else throw new UsageError(`unknown argument "${a}"`);
  }
  return args;
}

export interface CredentialCheck {
  /** Set when every required variable is present. */
  credentials: Credentials | null;
  missing: string[];
}

export const REQUIRED_ENV = ['TCB_ENV_ID', 'TENCENTCLOUD_SECRETID', 'TENCENTCLOUD_SECRETKEY'] as const;

export function readCredentials(env: NodeJS.ProcessEnv): CredentialCheck {
  const get = (k: string) => {
    const v = env[k]?.trim();
    return v ? v : undefined;
  };
  const missing = REQUIRED_ENV.filter((k) => !get(k));
  if (missing.length > 0) return { credentials: null, missing: [...missing] };
  return {
    credentials: {
      envId: get('TCB_ENV_ID') as string,
      secretId: get('TENCENTCLOUD_SECRETID') as string,
      secretKey: get('TENCENTCLOUD_SECRETKEY') as string,
      sessionToken: get('TENCENTCLOUD_SESSIONTOKEN'),
      region: get('TENCENTCLOUD_REGION'),
      wxAppId: get('WX_APPID'),
    },
    missing: [],
  };
}

export function missingCredentialsMessage(missing: string[]): string {
  return (
    `缺少部署凭据 / Missing credentials: ${missing.join(', ')}\n` +
    `Set them in the shell before deploying, for example:\n` +
    `  export TCB_ENV_ID=your-env-id            # 云开发控制台 → 环境 ID\n` +
    `  export TENCENTCLOUD_SECRETID=AKID...     # 腾讯云 访问管理 (CAM) → API 密钥\n` +
    `  export TENCENTCLOUD_SECRETKEY=...\n` +
    `See docs/DEPLOY.md. To only see the plan without credentials: npm run deploy -- --dry-run`
  );
}
