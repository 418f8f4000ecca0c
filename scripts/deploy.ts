/**
 * Applies the project to a real CloudBase environment: collections, indexes and security rules from
 * database/collections/*.json, and every deployable cloud function (built folder, timeout, cloud
 * dependency install, timer triggers), and the big screen (its HTTP access path and the page on static
 * hosting, scripts/lib/deploy/bigscreen.ts; skipped with --only). See docs/DEPLOY.md.
 *
 *   npm run deploy -- [--dry-run] [--only db|functions] [--prune]
 *
 * Flow: validate every definition and check every build (nothing is touched if anything is wrong) →
 * read the environment (skipped by a dry run without credentials) → plan (scripts/lib/deploy/plan.ts,
 * pure) → print the plan → apply it step by step (not in a dry run).
 */
import path from 'node:path';
import { ROOT } from './lib/project';
import { loadProject, BuildError, DefinitionError } from './lib/deploy/definitions';
import { parseArgs, readCredentials, missingCredentialsMessage, UsageError, USAGE } from './lib/deploy/cli';
import { planDeploy, changingSteps } from './lib/deploy/plan';
import { formatPlan } from './lib/deploy/format';
import { applyPlan, readCurrentState, errorText, ApplyError } from './lib/deploy/cloud';
import type { CurrentState } from './lib/deploy/types';
import { bigscreenFiles, deployBigscreen, hasBigscreen } from './lib/deploy/bigscreen';

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const root = args.root ? path.resolve(args.root) : ROOT;
  const desired = loadProject(root, args.only);
  const bigscreen = args.only === null && hasBigscreen(root);
  if (bigscreen) bigscreenFiles(root);
  const { credentials, missing } = readCredentials(process.env);

  console.log(
    args.dryRun ? '文明实践云 deploy — DRY RUN: nothing will be changed (演练，不做任何更改)\n' : '文明实践云 deploy\n',
  );

  if (!args.dryRun && !credentials) {
    console.error(missingCredentialsMessage(missing));
    return 1;
  }

  let current: CurrentState = { collections: null, functions: null };
  let cloud: Awaited<ReturnType<typeof connect>> | null = null;
  if (credentials) {
    cloud = await connect(credentials);
    try {
      current = await readCurrentState(cloud, desired, args.only, (w) => console.warn(`! ${w}`));
    } catch (e) {
      console.error(
        `无法读取云开发环境 ${credentials.envId} / Could not read environment ${credentials.envId}:\n  ${errorText(e)}\n` +
          `Check TCB_ENV_ID, the API key (it must belong to the account that owns the environment) and the network.`,
      );
      return 1;
    }
  }

  const opts = { prune: args.prune, only: args.only };
  const plan = planDeploy(desired, current, opts);
  const offlineReason = credentials
    ? undefined
    : `credentials not set (${missing.join(', ')}); no network call was made`;
  console.log(formatPlan(desired, plan, { envId: credentials?.envId ?? null, offlineReason }, opts));

  if (args.dryRun) {
    if (bigscreen) await deployBigscreen(credentials, root, (l) => console.log(l), true);
    console.log('\nDry run: nothing was changed. Run without --dry-run to apply.');
    return 0;
  }
  const todo = changingSteps(plan);
  let applied = 0;
  if (todo.length === 0) console.log('\nNothing to do: the environment already matches. 环境已是最新。');
  else {
    console.log(`\nApplying ${todo.length} step(s) to ${credentials!.envId} …`);
    ({ applied } = await applyPlan(cloud!, plan, (l) => console.log(l)));
  }
  if (bigscreen) await deployBigscreen(credentials, root, (l) => console.log(l), false);
  console.log(
    `\nDone: ${applied} step(s) applied. 部署完成。See docs/DEPLOY.md, "After deploying", for what to check.`,
  );
  return 0;
}

async function connect(credentials: NonNullable<ReturnType<typeof readCredentials>['credentials']>) {
  // Loaded only when credentials are set: a dry run without them never loads the SDK.
  const { createManagerCloud } = await import('./lib/deploy/manager');
  return createManagerCloud(credentials);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof UsageError) {
      console.error(e.message);
      process.exit(2);
    }
    if (e instanceof DefinitionError || e instanceof BuildError || e instanceof ApplyError) {
      console.error(`\n${e.message}`);
      process.exit(1);
    }
    console.error(`\n部署失败 / Deploy failed: ${errorText(e)}`);
    if (e instanceof Error && e.stack) console.error(e.stack);
    process.exit(1);
  },
);
