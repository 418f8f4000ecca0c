/** Renders a plan as text for people: grouped by collection and by function, one line per step. */
import { BUILTIN_ID_INDEX } from './definitions';
import { formatKeys } from './plan';
import type { Action, DesiredState, Plan, Step } from './types';

const MARK: Record<Action, string> = {
  create: '+ create',
  update: '~ update',
  keep: '= keep  ',
  drop: '- drop  ',
  extra: '! extra ',
  ensure: '? ensure',
};

export function formatSize(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`;
}

function line(s: Step): string {
  const m = MARK[s.action];
  switch (s.kind) {
    case 'collection':
      return `    ${m}  collection ${s.collection}`;
    case 'rule':
      return `    ${m}  rule       ${JSON.stringify(s.rule)}${s.current ? `   (now: ${s.current})` : ''}`;
    case 'index':
      return `    ${m}  index      ${s.index.name} ${formatKeys(s.index)}${s.note ? `   (${s.note})` : ''}`;
    case 'function': {
      const what =
        s.action === 'create'
          ? 'create the function, upload the build, install wx-server-sdk in the cloud'
          : s.action === 'update'
            ? `upload the build, install wx-server-sdk in the cloud${s.changes.length ? `, ${s.changes.join(', ')}` : ''}`
            : 'create or update the function, upload the build, install wx-server-sdk in the cloud';
      return `    ${m}  function   ${s.fn.name}: ${what}`;
    }
    case 'trigger':
      return `    ${m}  trigger    ${s.trigger.name} (${s.trigger.type}, cron "${s.trigger.config}")`;
  }
}

export interface Target {
  envId: string | null;
  /** Why the environment was not read, when it was not. */
  offlineReason?: string;
}

export function formatPlan(
  desired: DesiredState,
  plan: Plan,
  target: Target,
  opts: { only: 'db' | 'functions' | null; prune: boolean },
): string {
  const out: string[] = [];
  if (target.envId && !target.offlineReason) {
    out.push(`Environment / 环境: ${target.envId}`);
  } else {
    out.push(`Environment / 环境: not read — ${target.offlineReason ?? 'no credentials'}`);
    out.push('  Showing the declared state; "? ensure" means "create it, or make it match, when deploying".');
  }
  out.push(`Options: ${opts.only ? `--only ${opts.only}` : 'database and functions'}${opts.prune ? ', --prune' : ''}`);
  out.push('Legend: + create  ~ update  = keep  - drop  ! extra (not declared, kept)  ? ensure');

  if (opts.only !== 'functions') {
    out.push('');
    out.push(`Database / 数据库 — ${desired.collections.length} collection(s) from database/collections/`);
    for (const c of desired.collections) {
      out.push(`  ${c.name} — ${c.description}`);
      out.push(`    = keep    index      ${BUILTIN_ID_INDEX} { _id: 1 }   (built in, never dropped)`);
      for (const s of plan.steps) {
        if ((s.kind === 'collection' || s.kind === 'rule' || s.kind === 'index') && s.collection === c.name)
          out.push(line(s));
      }
    }
  }
  if (opts.only !== 'db') {
    out.push('');
    out.push(`Functions / 云函数 — ${desired.functions.length} deployable function(s) from cloudfunctions/`);
    for (const fn of desired.functions) {
      const files = fn.files.map((f) => `${f.name} ${formatSize(f.size)}`).join(', ');
      out.push(`  ${fn.name} — ${formatSize(fn.size)} (${files})`);
      out.push(
        `    runtime ${fn.runtime} · timeout ${fn.timeout} s · handler index.main · dependencies installed in the cloud`,
      );
      out.push(`    openapi permissions: ${fn.openapi.length ? fn.openapi.join(', ') : 'none'}`);
      out.push(
        `    timer triggers: ${fn.triggers.length ? fn.triggers.map((t) => `${t.name} "${t.config}"`).join(', ') : 'none'}`,
      );
      for (const s of plan.steps) {
        if (s.kind === 'function' && s.fn.name === fn.name) out.push(line(s));
        if (s.kind === 'trigger' && s.fn === fn.name) out.push(line(s));
      }
    }
  }
  if (plan.warnings.length > 0) {
    out.push('');
    out.push('Warnings / 注意:');
    for (const w of plan.warnings) out.push(`  ! ${w}`);
  }
  const withOpenapi = opts.only === 'db' ? [] : desired.functions.filter((f) => f.openapi.length > 0);
  if (withOpenapi.length > 0) {
    out.push('');
    out.push('Note / 提示 — openapi permissions (云调用权限):');
    out.push('  WeChat DevTools registers config.json permissions.openapi when it uploads a function; whether an API');
    out.push('  deploy registers them is not confirmed (docs/DEPLOY.md). After deploying, upload these functions once');
    out.push(`  from DevTools (右键 → 上传并部署：云端安装依赖): ${withOpenapi.map((f) => f.name).join(', ')}`);
  }
  const counts = new Map<Action, number>();
  for (const s of plan.steps) counts.set(s.action, (counts.get(s.action) ?? 0) + 1);
  const order: Action[] = ['create', 'update', 'drop', 'ensure', 'keep', 'extra'];
  out.push('');
  out.push(`Summary: ${order.map((a) => `${counts.get(a) ?? 0} ${a}`).join(', ')}`);
  return out.join('\n');
}
