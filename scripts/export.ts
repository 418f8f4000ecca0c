/**
 * `npm run export -- <kind> [--org <id>] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--out file.xlsx]`
 * writes the same workbook as the stats function's export (orders, volunteers, activities, ledger) to a
 * local file, for the county's IT person: the whole county by default, or the node --org names; the
 * period in Beijing days, by default 1 January this year → today. It runs the function's own export
 * code in this process against the local cloud or, with TCB_ENV_ID, TENCENTCLOUD_SECRETID and
 * TENCENTCLOUD_SECRETKEY set, a real environment (admin credentials: no role is checked).
 */
import { phoneKeyEnv } from '../localcloud/phonekeys';
import path from 'node:path';
import { EXPORT_KINDS, EXPORT_LABELS, type ExportKind } from '../typings/stats';
import { ID_PATTERN } from '../typings/time';
import { describeTarget, targetFromEnv, sdkErrorText, type OrgTarget } from './lib/org-target';

const USAGE =
  'usage: npm run export -- <orders|volunteers|activities|ledger> [--org <id>] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--out file.xlsx]';

/** The options after the kind, or null when one is unknown or lacks its value. */
function options(argv: string[]): Record<string, string> | null {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (!['--org', '--from', '--to', '--out'].includes(flag) || value === undefined || value.startsWith('--')) {
      return null;
    }
    out[flag.slice(2)] = value;
  }
  return out;
}

/** Points wx-server-sdk (the functions' own client) at the target, as the platform does inside a function. */
function pointSdkAt(target: OrgTarget): void {
  Object.assign(process.env, {
    TENCENTCLOUD_RUNENV: 'SCF',
    TENCENTCLOUD_REGION: process.env.TENCENTCLOUD_REGION || 'ap-shanghai',
    SILENCE: 'true',
    ...(target.kind === 'local'
      ? {
          TENCENTCLOUD_SECRETID: 'local',
          TENCENTCLOUD_SECRETKEY: 'local',
          TCB_ENV: 'local',
          SCF_NAMESPACE: 'local',
          TCB_CONTEXT_CNFG: JSON.stringify({ URL: `${target.url}/admin` }),
        }
      : { TCB_ENV: target.envId, SCF_NAMESPACE: target.envId }),
  });
}

async function main(argv: string[]): Promise<number> {
  const [kind, ...rest] = argv;
  const opts = options(rest);
  if (
    !kind ||
    !(EXPORT_KINDS as readonly string[]).includes(kind) ||
    !opts ||
    (opts.org && !ID_PATTERN.test(opts.org))
  ) {
    console.error(USAGE);
    return 2;
  }
  const target = targetFromEnv();
  if (!target) return 2;
  pointSdkAt(target);
  // Phones are stored sealed: the local cloud's development keys, or the county's keys from the
  // environment (PHONE_KEY / PHONE_HASH_KEY, docs/DEPLOY.md) for a real one; they are only masked here.
  if (target.kind === 'local') Object.assign(process.env, phoneKeyEnv());
  // Loaded only now: the SDK reads the environment set above.
  const { periodOf } = await import('../cloudfunctions/shared/stats/export/period');
  const { EXPORTERS, exportName } = await import('../cloudfunctions/shared/stats/export');
  const { openBook, writeSheets } = await import('../cloudfunctions/shared/stats/export/workbook');
  const { figuresWorkbook } = await import('../cloudfunctions/shared/stats/export/figures');
  const { overviewOf } = await import('../cloudfunctions/stats/actions/figures');
  const { pathOf } = await import('../cloudfunctions/shared/org/domain/model');
  const { getOrg, getRoot } = await import('../cloudfunctions/shared/org/store');

  const period = periodOf({ from: opts.from, to: opts.to }, new Date());
  if ('refusal' in period) {
    console.error(period.refusal);
    return 2;
  }
  console.log(`target: ${describeTarget(target)}`);
  const node = opts.org ? await getOrg(opts.org) : await getRoot();
  if (!node) {
    console.error(opts.org ? `没有编号为 ${opts.org} 的组织。` : '还没有导入组织网络（npm run org -- import）。');
    return 1;
  }
  const t0 = Date.now();
  const name = exportName(kind as ExportKind, node.name, { period });
  const file = path.resolve(opts.out ?? name);
  const book = openBook(name.replace(/\.xlsx$/, ''), file);
  try {
    if (kind === 'figures') {
      const overview = await overviewOf(node._id, pathOf(node).length, period);
      writeSheets(book, figuresWorkbook(overview));
    } else {
      await EXPORTERS[kind as Exclude<ExportKind, 'figures'>](book, { orgId: node._id, period });
    }
  } catch (e) {
    book.discard();
    throw e;
  }
  const { rows } = await book.finish();
  console.log(
    `${EXPORT_LABELS[kind as ExportKind]}：${node.name}，${period.from} 至 ${period.to}，${rows} 行，${Date.now() - t0} ms → ${file}`,
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(sdkErrorText(e));
    process.exit(1);
  },
);
