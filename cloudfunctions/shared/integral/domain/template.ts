/**
 * The center's rule template (道德积分细则): what every station starts from, in the plain words a
 * village notice board uses, and the bounds within which a station may adjust a rule. Values follow
 * what county "moral bank" schemes publish: everyday good conduct earns 1–5 points, standout deeds
 * 10–30, and the "four trees, five bans" (四树五禁) deductions cost 5–20. Pure data and functions.
 */
import type { IntegralRule, RuleGroup } from '../../../../typings/integral';

type Row = [id: string, group: RuleGroup, name: string, points: number, evidence: boolean, cap: number | null];

// [id, group, name, points, evidence required, times per household per month]
const ROWS: Row[] = [
  ['filial-care', 'filial', '长期照料生病或失能的老人', 5, true, 1],
  ['filial-visit', 'filial', '常回家看望、陪伴父母', 2, false, 2],
  ['filial-family', 'filial', '评为“好婆媳”“好儿女”等好家庭', 20, true, 1],
  ['filial-elderly-meal', 'filial', '为村里独居老人送饭、打扫', 3, true, 4],
  ['neighbour-help', 'neighbour', '帮邻居解决急事难事', 3, true, 4],
  ['neighbour-dispute', 'neighbour', '主动调解邻里纠纷', 5, true, 2],
  ['neighbour-harvest', 'neighbour', '农忙时帮困难户抢收抢种', 5, true, 2],
  ['neighbour-found', 'neighbour', '拾金不昧，归还失物', 5, true, 2],
  ['env-yard', 'environment', '庭院干净整洁，“美丽庭院”检查达标', 3, true, 1],
  ['env-sorting', 'environment', '垃圾分类投放到位', 2, false, 1],
  ['env-cleanup', 'environment', '参加村里环境整治义务劳动', 2, true, 4],
  ['env-toilet', 'environment', '完成改厕、污水接管', 5, true, 1],
  ['vol-activity', 'volunteer', '参加新时代文明实践志愿服务活动', 2, true, 4],
  ['vol-hours', 'volunteer', '志愿服务时长折算（每小时）', 1, false, 40],
  ['vol-order', 'volunteer', '完成群众点单服务并获好评', 3, false, 5],
  ['vol-blood', 'volunteer', '无偿献血', 10, true, 1],
  ['vol-emergency', 'volunteer', '参与防汛、防疫等应急值守', 5, true, 4],
  ['customs-simple-wedding', 'customs', '婚事新办，不要高价彩礼（树文明新风）', 20, true, 1],
  ['customs-simple-funeral', 'customs', '丧事简办，不大操大办', 20, true, 1],
  ['customs-civil-burial', 'customs', '生态安葬，不乱埋乱葬', 10, true, 1],
  ['customs-reading', 'customs', '参加农家书屋读书、道德讲堂', 1, false, 4],
  ['law-report', 'law', '举报违法线索经查属实', 5, true, 2],
  ['law-fire', 'law', '秸秆禁烧、森林防火做得好', 2, false, 1],
  ['law-antifraud', 'law', '学习防诈骗知识并劝阻他人受骗', 3, true, 2],
  ['diligence-skill', 'diligence', '参加技能培训取得证书', 5, true, 1],
  ['diligence-lead', 'diligence', '带动乡亲增收致富', 10, true, 1],
  ['diligence-student', 'diligence', '子女考上大学或获评优秀学生', 10, true, 1],
  ['ban-gambling', 'customs', '参与赌博（五禁）', -20, true, null],
  ['ban-lavish', 'customs', '红白事大操大办、攀比浪费（五禁）', -10, true, null],
  ['ban-superstition', 'customs', '搞封建迷信活动（五禁）', -10, true, null],
  ['ban-burning', 'law', '焚烧秸秆、垃圾', -5, true, null],
  ['ban-dumping', 'environment', '乱倒垃圾、乱堆乱放，经劝不改', -5, true, null],
  ['ban-elder-neglect', 'filial', '不赡养老人，经调解不改', -20, true, null],
  ['ban-quarrel', 'neighbour', '无理取闹、打架斗殴', -10, true, null],
];

/** Rules a villager may claim or recommend; the rest (deductions, converted ones) the station gives. */
const STATION_ONLY = new Set(['vol-hours', 'vol-order']);

export const TEMPLATE: readonly IntegralRule[] = ROWS.map(([id, group, name, points, evidence, cap]) => ({
  id,
  name,
  group,
  points,
  evidence,
  monthlyCap: cap,
  claimable: points > 0 && !STATION_ONLY.has(id),
  enabled: true,
}));

const BY_ID = new Map(TEMPLATE.map((r) => [r.id, r]));

export function templateRule(id: string): IntegralRule | undefined {
  return BY_ID.get(id);
}

/** The rule id a conversion uses. */
export const HOURS_RULE = 'vol-hours';
export const ORDER_RULE = 'vol-order';

/** What a station stored for one rule: only what it may change. */
export interface RuleOverride {
  points?: number;
  monthlyCap?: number | null;
  enabled?: boolean;
}

/**
 * The bounds the center sets: a station may move a rule's points between half and twice the
 * template's (keeping its sign), and its cap between one and twice the template's; an uncapped rule
 * (a deduction) stays uncapped.
 */
export function bounds(rule: IntegralRule): { min: number; max: number; capMax: number | null } {
  const a = Math.max(1, Math.ceil(Math.abs(rule.points) / 2));
  const b = Math.abs(rule.points) * 2;
  const [min, max] = rule.points > 0 ? [a, b] : [-b, -a];
  return { min, max, capMax: rule.monthlyCap === null ? null : rule.monthlyCap * 2 };
}

/** A station's catalogue: the template with the station's adjustments applied. */
export function catalogue(overrides: ReadonlyMap<string, RuleOverride>): IntegralRule[] {
  // What a villager can claim in a few words comes first; the pages group the rules by their group.
  const rank = (r: IntegralRule) => (r.claimable && !r.evidence ? 0 : r.claimable ? 1 : 2);
  return TEMPLATE.map((r) => stationRule(r, overrides.get(r.id))).sort((a, b) => rank(a) - rank(b));
}

export function stationRule(rule: IntegralRule, o: RuleOverride | undefined): IntegralRule {
  if (!o) return rule;
  // Only what the station set: a field it never touched keeps the template's value.
  const set = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  return { ...rule, ...set };
}

/** The station's change, or the reason it is outside the center's bounds. */
export function adjustRule(
  rule: IntegralRule,
  current: RuleOverride | undefined,
  change: RuleOverride,
): { override: RuleOverride } | { refusal: string } {
  const b = bounds(rule);
  if (
    change.points !== undefined &&
    (change.points < b.min || change.points > b.max || !Number.isInteger(change.points))
  )
    return { refusal: `这条细则的分值只能在 ${b.min} 到 ${b.max} 之间。` };
  if (change.monthlyCap !== undefined) {
    if (b.capMax === null && change.monthlyCap !== null) return { refusal: '扣分细则不设每月上限。' };
    if (b.capMax !== null && (change.monthlyCap === null || change.monthlyCap < 1 || change.monthlyCap > b.capMax))
      return { refusal: `每户每月最多次数只能在 1 到 ${b.capMax} 之间。` };
  }
  return { override: { ...current, ...change } };
}
