/** The ten services (十送), each with one plain line a villager understands. */
import { CATEGORIES, CATEGORY_LABELS, type Category } from '../../../contract/domain';

const EXPLAINED: Record<Category, string> = {
  theory: '给乡亲们讲讲党的好政策、新思想',
  policy: '讲解惠民政策，帮忙问清楚怎么办事',
  education: '辅导孩子功课，讲讲怎么教育孩子',
  arts: '唱歌跳舞、说书演戏，丰富文化生活',
  law: '法律咨询，调解邻里纠纷',
  employment: '介绍工作，教手艺、传致富门路',
  technology: '教种养技术，教老人用手机',
  health: '量血压、义诊，讲健康知识',
  charity: '看望孤寡老人、留守儿童，帮扶困难家庭',
  customs: '红白事简办，倡导文明好风气',
};

export interface SkillView {
  key: Category;
  label: string;
  desc: string;
  on: boolean;
}

export function skillViews(chosen: readonly Category[]): SkillView[] {
  return CATEGORIES.map((key) => ({
    key,
    label: CATEGORY_LABELS[key],
    desc: EXPLAINED[key],
    on: chosen.includes(key),
  }));
}
