/**
 * The county office's network list in and out of the database.
 *
 *   npm run org -- import <file.csv> [--dry-run]
 *   npm run org -- export <file.csv>
 *
 * Import: read the file → read every stored node (paged) → check and plan (scripts/lib/org-csv/)
 * → print the report → write creates and updates, only for a clean file and not in a dry run. A file
 * with any bad row is rejected whole. Nodes that are stored but not in the file are kept.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  decodeCsvBytes,
  exportOrgCsv,
  parseOrgCsv,
  planImport,
  type ExistingOrg,
  type OrgImportError,
} from './lib/org-csv';
import type { OrgDoc } from '../cloudfunctions/shared/org/domain/model';
import { LEVEL_LABELS, LEVELS, type Level } from '../typings/domain';
import {
  connectOrgStore,
  describeTarget,
  StoreError,
  sdkErrorText,
  targetFromEnv,
  type OrgTarget,
} from './lib/org-target';

const USAGE = `Usage:
  npm run org -- import <file.csv> [--dry-run]   check a network list and write it to the database
  npm run org -- export <file.csv>               write every node of the database to a CSV file

The CSV has a header row, English or Chinese:
  code/编码, parent_code/上级编码, level/层级, name/名称, lat/纬度, lng/经度, address/地址, kind/类型, hours/开放时间
level: center|institute|station|point or 中心|实践所|实践站|实践点; kind: a practice point's type (文化礼堂, 农家书屋 …).
UTF-8 (with or without BOM) and Excel's GB18030 "CSV (逗号分隔)" are both read; an export is UTF-8 with BOM.

Import creates new nodes and updates changed ones; it never deletes. A file with any bad row changes
nothing and the report lists every bad row. --dry-run checks and reports without writing.

Target (from the environment):
  default                     the local cloud at LOCALCLOUD_URL (default http://127.0.0.1:3900; npm start)
  TCB_ENV_ID, TENCENTCLOUD_SECRETID, TENCENTCLOUD_SECRETKEY (+ optional TENCENTCLOUD_SESSIONTOKEN,
  TENCENTCLOUD_REGION)        a CloudBase environment`;

class UsageError extends Error {}

interface Args {
  command: 'import' | 'export' | 'help';
  file: string;
  dryRun: boolean;
}

function parseArgs(argv: string[]): Args {
  const positional: string[] = [];
  let dryRun = false;
  for (const a of argv) {
    if (a === '--dry-run') dryRun = true;
    else if (a === '--help' || a === '-h') return { command: 'help', file: '', dryRun };
    else if (a.startsWith('-')) throw new UsageError(`unknown option "${a}"`);
    else positional.push(a);
  }
  const [command, file, ...rest] = positional;
  if (command !== 'import' && command !== 'export')
    throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
  if (!file) throw new UsageError(`${command} needs a file`);
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
  if (dryRun && command !== 'import') throw new UsageError('--dry-run is for import');
  return { command, file, dryRun };
}

const n = (x: number): string => x.toLocaleString('en-US');

function byLevel(docs: readonly Pick<OrgDoc, 'level'>[]): string {
  const counts = new Map<Level, number>();
  for (const d of docs) counts.set(d.level, (counts.get(d.level) ?? 0) + 1);
  const parts = LEVELS.filter((l) => counts.has(l)).map((l) => `${LEVEL_LABELS[l]} ${n(counts.get(l)!)}`);
  return parts.length > 0 ? `（${parts.join('，')}）` : '';
}

function printErrors(errors: readonly OrgImportError[]): void {
  console.log(`\n错误 ${n(errors.length)} 处，整个文件没有导入 / ${n(errors.length)} error(s): nothing was imported.`);
  for (const e of errors) console.log(`  ${e.message}`);
  console.log('\n请在 Excel 中改正以上各行后重新导入。Fix these rows and import again.');
}

async function runImport(args: Args, target: OrgTarget): Promise<number> {
  const file = path.resolve(args.file);
  console.log(
    `文明实践云 org import${args.dryRun ? ' — DRY RUN (演练，不写入)' : ''}\n  file    ${file}\n  target  ${describeTarget(target)}\n`,
  );
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    console.error(`无法读取文件 / Cannot read ${file}: ${(e as Error).message}`);
    return 1;
  }
  const parsed = parseOrgCsv(decodeCsvBytes(bytes));
  if (!parsed.ok) {
    printErrors(parsed.errors);
    console.log(`\nPlan: create 0, update 0, unchanged 0, errors ${parsed.errors.length}`);
    return 1;
  }
  console.log(`读取文件 / rows in file: ${n(parsed.rows.length)}`);

  const t0 = Date.now();
  const store = connectOrgStore(target);
  const stored = await store.readAll();
  const existing = new Map<string, ExistingOrg>(stored.map((d) => [String(d._id), d]));
  console.log(
    `已有节点 / stored nodes: ${n(existing.size)}（${Math.max(1, Math.ceil(existing.size / 1000))} 页，${Date.now() - t0} ms）`,
  );

  const plan = planImport(parsed.rows, existing, new Date());
  const inFile = new Set(parsed.rows.map((r) => r.code));
  const keptOutside = [...existing.keys()].filter((id) => !inFile.has(id)).length;
  const summary = `Plan: create ${plan.create.length}, update ${plan.update.length}, unchanged ${plan.unchanged}, errors ${plan.errors.length}`;

  if (plan.errors.length > 0) {
    printErrors(plan.errors);
    console.log(`\n${summary}`);
    return 1;
  }
  console.log(`\n  新建 create     ${n(plan.create.length)}${byLevel(plan.create)}`);
  console.log(`  更新 update     ${n(plan.update.length)}${byLevel(plan.update)}`);
  console.log(`  不变 unchanged  ${n(plan.unchanged)}`);
  if (keptOutside > 0) console.log(`  另有 ${n(keptOutside)} 个已有节点不在文件中：保留，不删除 / kept, never deleted`);
  for (const d of plan.update.slice(0, 10)) console.log(`    更新 ${d._id} ${d.name}`);
  if (plan.update.length > 10) console.log(`    … 另 ${n(plan.update.length - 10)} 个`);
  console.log(`\n${summary}`);

  if (args.dryRun) {
    console.log('\n演练结束，没有写入任何数据。Dry run: nothing was written.');
    return 0;
  }
  if (plan.create.length === 0 && plan.update.length === 0) {
    console.log('\n数据已是最新，没有需要写入的内容。Nothing to write.');
    return 0;
  }
  const t1 = Date.now();
  await store.create(plan.create);
  await store.update(plan.update);
  console.log(
    `\n导入完成 / Imported: ${n(plan.create.length)} created, ${n(plan.update.length)} updated in ${Date.now() - t1} ms.`,
  );
  return 0;
}

async function runExport(args: Args, target: OrgTarget): Promise<number> {
  const file = path.resolve(args.file);
  const store = connectOrgStore(target);
  const t0 = Date.now();
  const docs = await store.readAll();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, exportOrgCsv(docs.map((d) => ({ ...d, name: d.name ?? '', parentId: d.parentId ?? null }))));
  console.log(
    `已导出 ${n(docs.length)} 个节点${byLevel(docs)}到 ${file}（${Date.now() - t0} ms）\nExported ${docs.length} nodes from ${describeTarget(target)}.`,
  );
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args.command === 'help') {
    console.log(USAGE);
    return 0;
  }
  const target = targetFromEnv();
  if (!target) return 2;
  return args.command === 'import' ? runImport(args, target) : runExport(args, target);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof UsageError) {
      console.error(`${e.message}\n\n${USAGE}`);
      process.exit(2);
    }
    console.error(`\n失败 / Failed: ${e instanceof StoreError ? e.message : sdkErrorText(e)}`);
    process.exit(1);
  },
);
