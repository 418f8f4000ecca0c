/**
 * The demo orders (五单): a few hundred wishes and whistles in the demo institute, most of them around
 * the demo village, in every status, so that each demo identity opens a list with something in it —
 * the villager's own wishes (one fulfilled and waiting for her stars), the volunteer's dispatched,
 * accepted and fulfilled tasks, the station head's reviews and dispatches, orders escalated to the
 * institute and one overdue (red) at the center.
 *
 * Every order is played through the state machine step by step — the same fields each action of the
 * order function sets, the deadlines from machine.ts, the timer's escalations, skips and automatic
 * closes — and then moved in time so that its last step lies in the past and no deadline it still
 * waits on has passed (the one red order excepted). Volunteers' load and rating counters are then set
 * from the orders. Deterministic: a seeded PRNG and the given `now`, no clock, no Math.random.
 */
import { rand, type Rand } from './random';
import type { Engine } from '../db/engine';
import type { OrgDoc } from '../../cloudfunctions/shared/org/domain/model';
import { pathOf } from '../../cloudfunctions/shared/org/domain/model';
import { distanceM } from '../../cloudfunctions/shared/org/domain/geo';
import type { HeldRole } from '../../cloudfunctions/shared/auth/domain/guard';
import {
  roleFields,
  type HouseholdDoc,
  type UserDoc,
  type VolunteerDoc,
} from '../../cloudfunctions/shared/user/domain/model';
import { acceptBy, dueAt, escalation, ownerAt, rateBy } from '../../cloudfunctions/shared/order/domain/machine';
import type { EventDoc, OrderDoc } from '../../cloudfunctions/shared/order/domain/model';
import { SHANGHAI_OFFSET_MS } from '../../typings/time';
import { LEVEL_LABELS, type Category } from '../../typings/domain';
import {
  DEFAULT_ORDER_SETTINGS,
  ORDER_KIND_INFO,
  type OrderKind,
  type OrderSettings,
  type OrderStatus,
} from '../../typings/order';
import { DEMO_INSTITUTE_ID, DEMO_STATION_ID } from './network';

/** How many orders the crowd posts, beside the fixed stories of the demo identities. */
const CROWD_ORDERS = 430;
/** The share of the crowd's orders posted in the demo village itself; the rest fall off with distance. */
const DEMO_STATION_SHARE = 0.25;
/** A volunteer carries at most this many dispatched or accepted orders. */
const MAX_LOAD = 3;
/** Terminal orders are spread over this many days before now. */
const HISTORY_DAYS = 120;

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Who the timer's events are by, as cloudfunctions/shared/order/timer.ts writes them. */
export const SYSTEM = { openid: 'system', name: '系统' };

// ── what villagers ask for ──────────────────────────────────────────────────────────────────────

interface Need {
  kind: OrderKind;
  category: Category;
  title: string;
  content: string;
  /** What the volunteer writes when fulfilling it (销单). */
  done: string;
}

const wish = (category: Category, title: string, content: string, done: string): Need => ({
  kind: 'wish',
  category,
  title,
  content,
  done,
});
const whistle = (category: Category, title: string, content: string, done: string): Need => ({
  kind: 'whistle',
  category,
  title,
  content,
  done,
});

/** `{姓}` becomes a family name, `{村}` the village's short name. */
export const NEEDS: readonly Need[] = [
  // 爱心 charity
  wish(
    'charity',
    '给孙子买个新书包',
    '孙子今年秋天上一年级，家里条件不好，想请好心人帮忙买个书包和文具。',
    '书包和一套文具已经送到家里，孩子背上就不肯放下。',
  ),
  wish(
    'charity',
    '帮隔壁{姓}大爷修个电灯',
    '隔壁{姓}大爷一个人住，堂屋的电灯坏了好几天，晚上黑灯瞎火的，想请懂电的志愿者帮忙修一修。',
    '换了灯座和灯泡，线路也检查了一遍，大爷晚上能看电视了。',
  ),
  wish(
    'charity',
    '冬天想要一床厚棉被',
    '家里老人怕冷，被子太薄了，想要一床厚棉被过冬。',
    '棉被已送到，顺便帮老人把床铺收拾了一下。',
  ),
  wish(
    'charity',
    '帮忙把两袋化肥搬进屋',
    '儿子在外打工，我腰不好，两袋化肥放在路口搬不动，想请人帮忙搬进屋。',
    '化肥已经搬进仓房，码放整齐了。',
  ),
  wish(
    'charity',
    '想给老伴借个轮椅',
    '老伴中风后腿脚不便，想借一个轮椅推他出门晒晒太阳。',
    '轮椅已从村卫生室借来送到家，教了怎么折叠。',
  ),
  wish(
    'charity',
    '孩子想要几本课外书',
    '女儿上三年级，喜欢看书，家里没什么课外书，想要几本适合她读的。',
    '送去十本儿童读物，还给孩子办了农家书屋的借书证。',
  ),
  // 健康 health
  wish(
    'health',
    '上门帮忙量量血压',
    '老伴血压一直偏高，腿脚不便出不了门，想请懂行的志愿者上门量一量，顺便讲讲平时要注意什么。',
    '已上门测量，血压145/90，叮嘱按时吃药、少吃咸。',
  ),
  wish(
    'health',
    '想请医生看看老寒腿',
    '膝盖一到阴雨天就疼得厉害，想请医生来看看要不要去医院拍片子。',
    '卫生室医生上门看过，建议热敷，约了下周去镇医院拍片。',
  ),
  wish(
    'health',
    '帮忙去卫生院取降压药',
    '家里没人开车，降压药快吃完了，想请人帮忙去镇卫生院取一下药。',
    '药已取回送到家，叮嘱了服用方法。',
  ),
  wish(
    'health',
    '想测一测血糖',
    '最近总是口渴，想请人帮忙测一下血糖。',
    '空腹血糖7.2，建议去医院进一步检查，已帮忙预约。',
  ),
  wish(
    'health',
    '老母亲想做个健康体检',
    '八十多岁的母亲好几年没体检了，想了解村里有没有免费体检，能不能上门。',
    '已帮老人登记下月的免费体检，到时派车接送。',
  ),
  wish(
    'health',
    '想学学怎么照顾卧床老人',
    '父亲卧床半年了，想请人教教怎么翻身、防褥疮。',
    '护士上门示范了翻身和护理方法，留了联系电话。',
  ),
  // 政策 policy
  wish(
    'policy',
    '想了解医保报销政策',
    '今年住了一次院，不清楚医保能报多少、要准备哪些材料，想请人讲讲。',
    '已上门讲解报销比例和所需材料，帮忙把材料整理好了。',
  ),
  wish(
    'policy',
    '高龄补贴怎么申请',
    '我父亲今年满八十了，听说有高龄补贴，不知道去哪里办、要带什么。',
    '已帮忙准备材料，在村便民服务中心递交了申请。',
  ),
  wish(
    'policy',
    '问问养老保险怎么缴费',
    '我五十五了，想补缴城乡居民养老保险，不知道怎么交最划算。',
    '讲解了缴费档次和补缴办法，教会了用手机缴费。',
  ),
  wish(
    'policy',
    '残疾人补贴想咨询一下',
    '儿子有残疾证，想问问能享受哪些补贴，怎么申请。',
    '讲解了两项补贴政策，已陪同到镇残联办理。',
  ),
  wish(
    'policy',
    '耕地地力保护补贴没到账',
    '今年的耕地地力保护补贴一直没收到，想请人帮忙查一查。',
    '帮忙查询了，是银行卡号有误，已更正，下月补发。',
  ),
  wish(
    'policy',
    '想了解危房改造政策',
    '家里老房子墙裂了，听说有危房改造补助，想问问条件。',
    '已讲解申请条件，并联系镇里来鉴定房屋。',
  ),
  // 教育 education
  wish(
    'education',
    '孙子数学作业想找人辅导',
    '孙子上五年级，数学跟不上，我们老两口不会教，想请志愿者每周辅导一两次。',
    '已安排每周六上午在新时代学堂辅导，第一次讲了分数。',
  ),
  wish(
    'education',
    '教我用智能手机视频通话',
    '儿子在外地打工，买了智能手机给我，想学会视频通话，看看孙子。',
    '教会了微信视频通话，还存好了儿子的联系方式。',
  ),
  wish(
    'education',
    '暑假想给孩子找个读书的地方',
    '暑假孩子一个人在家，想找个有人看着、能读书写作业的地方。',
    '已帮孩子报名村里的暑期托管班。',
  ),
  wish(
    'education',
    '想学写毛笔字',
    '退休在家，想学学毛笔字，有没有老师能教一教。',
    '书法志愿者每周三下午在文化礼堂开课，已带去报名。',
  ),
  wish(
    'education',
    '孩子中考志愿想请人参谋',
    '女儿今年中考，志愿不知道怎么填，想请老师帮着参谋参谋。',
    '老师上门分析了成绩和学校情况，帮着定了志愿。',
  ),
  wish(
    'education',
    '教老人用手机挂号',
    '每次去医院都要排长队，想学用手机挂号。',
    '手把手教会了用手机挂号和查看检查报告。',
  ),
  // 文艺 arts
  wish(
    'arts',
    '想学跳广场舞',
    '村里晚上有人跳广场舞，我想学又不好意思，想请人教教基本步子。',
    '舞蹈队志愿者教了基本步，邀请她每晚一起跳。',
  ),
  wish(
    'arts',
    '想给村里老人放场电影',
    '村里老人好久没看露天电影了，想请放映队来放一场。',
    '周六晚在文体广场放了一场电影，来了一百多人。',
  ),
  wish(
    'arts',
    '想借几张淮剧碟片',
    '老母亲爱听淮剧，家里的碟片都听旧了，想借几张新的。',
    '送去了十张淮剧碟片，还帮忙调好了影碟机。',
  ),
  wish('arts', '想学拉二胡', '家里有把二胡一直没人会拉，想找人教一教。', '文艺志愿者每周上门教一次，已学会基本指法。'),
  wish(
    'arts',
    '腰鼓队想请老师指导',
    '我们几个姐妹组了个腰鼓队，动作不整齐，想请老师指导。',
    '老师指导了两次，队形和动作整齐多了。',
  ),
  wish('arts', '想要几本戏曲唱本', '喜欢唱几句京剧，想要几本唱本练练。', '从农家书屋借来五本唱本送到家。'),
  // 法律 law
  wish(
    'law',
    '土地承包合同有问题想咨询',
    '当年签的土地承包合同还没到期，对方说要提前收回，想问问合同上怎么算。',
    '律师看了合同，讲明了到期前对方不能单方收回，帮忙起草了回复。',
  ),
  wish(
    'law',
    '邻居宅基地纠纷想调解',
    '和邻居家为宅基地边界吵了几次，想请人来评评理、调解一下。',
    '调解员到场量了边界，双方签了调解协议。',
  ),
  wish(
    'law',
    '工钱被拖欠想问问怎么要',
    '在工地干了三个月，老板拖欠工钱不给，想问问该怎么办。',
    '讲解了维权途径，已陪同到劳动监察部门登记。',
  ),
  wish(
    'law',
    '想问问遗嘱怎么写才有效',
    '年纪大了，想把房子留给小儿子，不知道遗嘱怎么写才算数。',
    '律师讲解了遗嘱形式，建议做公证，已预约公证处。',
  ),
  wish(
    'law',
    '赡养老人的事想咨询',
    '两个儿子都不愿意管老母亲，想问问法律上怎么规定。',
    '讲解了赡养义务，并组织家庭协商签了赡养协议。',
  ),
  wish(
    'law',
    '网购被骗了想问问怎么办',
    '在网上买东西付了钱却没收到货，联系不上卖家了。',
    '帮忙保存了聊天和付款记录，指导报警和向平台投诉。',
  ),
  // 就业 employment
  wish(
    'employment',
    '想在附近找份工作',
    '孩子上学了，想在家附近找份白天的工作，不知道哪里招人。',
    '推荐了镇上两家工厂的岗位，已去面试一家。',
  ),
  wish(
    'employment',
    '想学电焊技术',
    '想学门手艺，听说电焊好找工作，想问问哪里能学。',
    '帮忙报名了人社局的免费电焊培训班。',
  ),
  wish(
    'employment',
    '打听一下最近的招工信息',
    '刚从外地回来，想在本地找工作，想要一份最近的招工信息。',
    '送去了本月招聘信息汇总，帮忙投了两份简历。',
  ),
  wish(
    'employment',
    '想开网店卖自家大米',
    '家里种的大米品质好，想在网上卖，不会弄。',
    '电商志愿者教会了开店和拍照上架。',
  ),
  wish(
    'employment',
    '想考个育婴师证',
    '想当育婴师，不知道去哪里培训考证。',
    '介绍了培训机构和补贴政策，已报名下月的班。',
  ),
  wish(
    'employment',
    '腿脚不便想找份手工活',
    '我腿有残疾，想找份坐着能做的手工活，贴补家用。',
    '联系了村里的来料加工点，已上岗做手工。',
  ),
  // 科技 technology
  wish(
    'technology',
    '想学用手机在网上卖菜',
    '家里种的蔬菜吃不完，想学着在手机上卖，不知道怎么弄。',
    '教会了用微信群和小程序卖菜，第一天卖出二十斤。',
  ),
  wish(
    'technology',
    '大棚黄瓜叶子发黄',
    '大棚里的黄瓜叶子发黄，不知道是什么病，想请农技员看看。',
    '农技员看过是缺镁，教了叶面喷施的方法。',
  ),
  wish(
    'technology',
    '家里电视没信号了',
    '电视这几天一直显示没信号，想请人看看是不是机顶盒坏了。',
    '重新接了线、调了机顶盒，电视恢复正常。',
  ),
  wish('technology', '想学用手机交电费', '每次交电费都要跑营业厅，想学用手机交。', '教会了用手机交电费和话费。'),
  wish(
    'technology',
    '稻田除草剂不知道怎么用',
    '今年换了新的除草剂，不知道用量和时机，怕伤了秧苗。',
    '农技员讲了用量和时机，帮忙配了药。',
  ),
  wish(
    'technology',
    '想学稻虾共养技术',
    '想把几亩低洼田改成稻虾共养，想请人讲讲技术。',
    '水产技术员上门讲了开沟、投苗的要点。',
  ),
  // 理论 theory
  wish(
    'theory',
    '想听听党史故事',
    '我是老党员，眼睛不好看不了书，想听人讲讲党史故事。',
    '宣讲员上门讲了两个小时，老人很高兴。',
  ),
  wish(
    'theory',
    '想了解乡村振兴是怎么回事',
    '电视里常说乡村振兴，想请人讲讲和我们农民有什么关系。',
    '在文化礼堂给十几位村民讲了乡村振兴政策。',
  ),
  wish(
    'theory',
    '想听听身边好人的故事',
    '想组织村里老人听听身边的好人好事，学习学习。',
    '百姓名嘴讲了三位本地好人的故事。',
  ),
  wish(
    'theory',
    '老党员想学习二十大精神',
    '村里几位老党员想学习二十大精神，想请宣讲员来讲一讲。',
    '宣讲员来村里讲了一次，大家很受启发。',
  ),
  wish(
    'theory',
    '给孩子们讲讲红色故事',
    '暑假想给村里的孩子们讲讲红色故事。',
    '在儿童之家讲了红色故事，来了二十多个孩子。',
  ),
  wish(
    'theory',
    '想学学新修订的村规民约',
    '村规民约改了，想请人讲讲改了哪些地方。',
    '逐条讲解了新村规民约，发了宣传册。',
  ),
  // 新风 customs
  wish(
    'customs',
    '儿子婚事想简办',
    '儿子下个月结婚，想响应移风易俗简办，想请人帮忙出出主意。',
    '红白理事会帮着定了简办方案，省下了一大笔开支。',
  ),
  wish(
    'customs',
    '门前建筑垃圾想请人清理',
    '门口路边堆了很多建筑垃圾，想请人帮忙清理。',
    '组织志愿者清运了垃圾，还种上了花草。',
  ),
  wish(
    'customs',
    '屋后排水沟堵了',
    '屋后排水沟被杂物堵了，一下雨就淹到院子里，想请人帮忙疏通。',
    '志愿者清理了排水沟，雨后排水通畅了。',
  ),
  wish(
    'customs',
    '想请红白理事会帮忙简办丧事',
    '老父亲刚去世，想按村规简办丧事，请红白理事会帮忙。',
    '红白理事会帮忙简办了丧事，不收礼、不铺张。',
  ),
  wish(
    'customs',
    '想把院子整理成小菜园',
    '院子里杂草丛生，想整理成小菜园，美化一下环境。',
    '志愿者帮忙除草翻地，种上了青菜。',
  ),
  wish(
    'customs',
    '想参加文明家庭评选',
    '我家三代同堂和睦相处，想问问怎么参加文明家庭评选。',
    '讲解了评选办法，帮忙填写了申报表。',
  ),
  // 吹哨报到 whistles: what the village cannot meet itself
  whistle(
    'law',
    '土地流转纠纷多，请律师来村坐诊',
    '最近{村}好几户因为土地流转合同起了纠纷，村里调解不了，请司法所和律师来村里集中坐诊。',
    '司法所和两名律师来村里坐诊一天，解答了二十多户的问题。',
  ),
  whistle(
    'health',
    '请医院专家来村里义诊',
    '{村}老人多，慢性病多，去城里看病不方便，请卫健委组织专家来村里义诊。',
    '市人民医院专家来村义诊，看了一百二十多人。',
  ),
  whistle(
    'education',
    '留守儿童暑期托管缺老师',
    '{村}留守儿童多，暑期托管班只有两名志愿者，想请教育局派老师来支援。',
    '教育局派了四名教师志愿者，托管班正常开班。',
  ),
  whistle(
    'technology',
    '稻田病虫害需要专家来看',
    '{村}几十亩稻田出现大面积病虫害，自己治不住，请农技专家来看看。',
    '农技专家到田间诊断为稻飞虱，指导统一防治。',
  ),
  whistle(
    'employment',
    '请人社部门来村里办招聘会',
    '{村}不少人想就近就业，想请人社部门来村里办一场小型招聘会。',
    '组织了十二家企业来村里招聘，四十多人达成意向。',
  ),
  whistle(
    'arts',
    '春节文艺演出需要文化馆支持',
    '{村}想办迎新春文艺演出，缺节目和音响，请文化馆支持。',
    '文化馆送来三个节目和一套音响，演出圆满。',
  ),
  whistle(
    'policy',
    '请社保所来讲养老保险新政策',
    '{村}很多人不懂新的养老保险缴费政策，请社保所来集中讲一讲。',
    '社保所来村里讲了一场，现场办理了三十多笔业务。',
  ),
  whistle(
    'theory',
    '请宣讲团来村里宣讲',
    '{村}想组织一次理论宣讲，请市里的宣讲团来讲一讲。',
    '宣讲团来村里宣讲，八十多名村民参加。',
  ),
  whistle(
    'charity',
    '一户村民家中失火需要救助',
    '{村}一户人家昨晚失火，房子烧了一半，需要爱心物资和救助。',
    '红十字会和爱心企业送来被褥、衣物和救助金。',
  ),
  whistle(
    'customs',
    '河道垃圾多，请人来支援整治',
    '{村}村前河道漂浮垃圾多，村里人手不够，请水利站和志愿服务队支援。',
    '组织了三十名志愿者和一条保洁船，清理了两公里河道。',
  ),
];

const COMMENTS: Record<number, readonly string[]> = {
  5: ['志愿者很耐心，谢谢！', '来得很及时，帮了大忙。', '态度好，办事实在。', '非常满意，给志愿者点赞。', ''],
  4: ['办得不错，就是等了两天。', '挺好的，下次还找你们。', ''],
  3: ['事情办了，但是来得有点晚。', '还行，希望下次快一点。'],
};
const REJECT_REASONS = [
  '这件事需要本人到镇便民服务中心办理，已电话告知办理方法。',
  '和前几天发布的需求重复，已合并处理。',
  '不属于志愿服务范围，已转村委会处理。',
  '信息不全，请补充具体地址后重新发布。',
];
const DECLINE_REASONS = [
  '这两天在外地，去不了，请派给别人。',
  '家里老人生病，这周走不开。',
  '这项我不太在行，怕耽误事。',
];
const REOPEN_REASON = '问题没有完全解决，麻烦再来看看。';

// prettier-ignore
const SURNAMES = [
  '王', '李', '张', '刘', '陈', '杨', '黄', '吴', '周', '徐', '孙', '朱', '胡', '高', '钱', '仲', '章', '季',
  '缪', '丁', '沈', '蒋', '顾', '陆', '邵', '姜', '崔', '曹', '储', '夏', '许', '吕', '葛', '严',
];
// prettier-ignore
const GIVEN = [
  '桂兰', '秀英', '建华', '志明', '海霞', '玉兰', '德才', '春梅', '晓峰', '红梅', '国庆', '立军', '美华',
  '文斌', '振国', '淑珍', '永林', '丽萍', '小红', '金花',
];

// ── determinism ─────────────────────────────────────────────────────────────────────────────────

// ── playing one order through the state machine ─────────────────────────────────────────────────

interface Actor {
  openid: string;
  name: string;
}

interface Helper extends Actor {
  skills: readonly string[];
  areas: readonly string[];
  stationIds: readonly string[];
}

/** The stage clocks an order still waits on: what the timer would act on next. */
function pendingDeadline(o: OrderDoc): number | null {
  const ds = [o.overdue ? null : o.dueAt, o.acceptBy, o.rateBy]
    .filter((d): d is Date => d !== null)
    .map((d) => d.getTime());
  return ds.length ? Math.min(...ds) : null;
}

/**
 * One order played forward from its creation at t = 0 (times are relative until it is placed). Each
 * method is one transition, setting exactly what the order function (or the timer) sets.
 */
class Play {
  readonly o: OrderDoc;
  t = 0;

  constructor(
    private readonly r: Rand,
    private readonly s: OrderSettings,
    /** The Asia/Shanghai time of day (ms since midnight) the order is posted at. */
    readonly phase: number,
    base: Omit<
      OrderDoc,
      | 'level'
      | 'ownerOrgId'
      | 'status'
      | 'overdue'
      | 'assignee'
      | 'passedOver'
      | 'dueAt'
      | 'acceptBy'
      | 'rateBy'
      | 'fulfilledAt'
      | 'fulfilment'
      | 'rating'
      | 'events'
      | 'createdAt'
      | 'updatedAt'
    >,
    requester: Actor,
  ) {
    const level = ORDER_KIND_INFO[base.kind].startsAt;
    const at = new Date(0);
    this.o = {
      ...base,
      level,
      ownerOrgId: ownerAt(base.path, level),
      status: 'submitted',
      overdue: false,
      assignee: null,
      passedOver: [],
      dueAt: dueAt('submitted', level, this.s, at),
      acceptBy: null,
      rateBy: null,
      fulfilledAt: null,
      fulfilment: null,
      rating: null,
      events: [{ from: null, to: 'submitted', type: 'created', by: requester.openid, byName: requester.name, at }],
      createdAt: at,
      updatedAt: at,
    };
  }

  get status(): OrderStatus {
    return this.o.status;
  }

  /**
   * A person acts some hours later, always before the deadline the order waits on, and in the daytime
   * (7:00–21:00 in Hai'an) when the deadline leaves room for it.
   */
  wait(minH: number, maxH: number): void {
    const d = pendingDeadline(this.o);
    const limit = d === null ? Infinity : this.t + (d - this.t) * 0.85;
    const hi = Math.min(maxH * HOUR, limit - this.t);
    const lo = Math.min(minH * HOUR, hi * 0.5);
    const daytime = (x: number) => {
      const tod = (this.phase + x) % DAY;
      return tod >= 7 * HOUR && tod < 21 * HOUR;
    };
    let t = this.t;
    for (let k = 0; k < 4 && (t === this.t || !daytime(t)); k++) t = this.t + Math.round(this.r.between(lo, hi));
    if (!daytime(t)) {
      const morning = t + ((7 * HOUR - ((this.phase + t) % DAY) + DAY) % DAY) + Math.round(this.r.between(0, 2) * HOUR);
      if (morning < limit) t = morning;
    }
    this.t = t;
  }

  /** The timer runs every five minutes: it acts within five minutes of a deadline. */
  private timerAt(deadline: Date): void {
    this.t = deadline.getTime() + Math.round(this.r.between(0.2, 5) * MIN);
  }

  private step(to: OrderStatus, type: string, by: Actor, set: Partial<OrderDoc>, note?: string): void {
    const at = new Date(this.t);
    const e: EventDoc = {
      from: this.o.status,
      to,
      type,
      by: by.openid,
      byName: by.name,
      at,
      ...(note ? { note } : {}),
    };
    Object.assign(this.o, set, { status: to, updatedAt: at });
    this.o.events.push(e);
  }

  review(by: Actor, approve: boolean, reason?: string): void {
    this.step(
      approve ? 'open' : 'rejected',
      approve ? 'reviewed' : 'rejected',
      by,
      { dueAt: approve ? dueAt('open', this.o.level, this.s, new Date(this.t)) : null },
      reason,
    );
  }

  dispatch(by: Actor, v: Actor): void {
    this.step(
      'dispatched',
      'dispatched',
      by,
      { assignee: { openid: v.openid, name: v.name }, acceptBy: acceptBy(this.s, new Date(this.t)) },
      `派给${v.name}`,
    );
  }

  accept(): void {
    const v = this.o.assignee!;
    this.step('accepted', 'accepted', v, {
      acceptBy: null,
      dueAt: dueAt('accepted', this.o.level, this.s, new Date(this.t)),
    });
  }

  claim(v: Actor): void {
    this.step('accepted', 'claimed', v, {
      assignee: { openid: v.openid, name: v.name },
      acceptBy: null,
      dueAt: dueAt('accepted', this.o.level, this.s, new Date(this.t)),
    });
  }

  decline(reason: string): void {
    const v = this.o.assignee!;
    this.step(
      'open',
      'declined',
      v,
      {
        assignee: null,
        acceptBy: null,
        passedOver: [...this.o.passedOver, v.openid],
        dueAt: dueAt('open', this.o.level, this.s, new Date(this.t)),
      },
      reason,
    );
  }

  /** The timer: a dispatched volunteer let acceptBy pass (the take stage's dueAt runs on). */
  skip(): void {
    const v = this.o.assignee!;
    this.timerAt(this.o.acceptBy!);
    this.step(
      'open',
      'skipped',
      SYSTEM,
      { assignee: null, acceptBy: null, passedOver: [...this.o.passedOver, v.openid] },
      `${v.name}超过${this.s.acceptHours}小时没有确认接单`,
    );
  }

  /** The timer: the stage's deadline passed; one level up, or red at the center. */
  escalate(names: Record<string, string>): void {
    this.timerAt(this.o.dueAt!);
    const up = escalation(this.o, this.s, new Date(this.t));
    if (!up) throw new Error(`seed: ${this.o._id} is not due`);
    const status = this.o.status;
    if (up.overdue) {
      this.step(status, 'overdue', SYSTEM, { overdue: true }, `在${LEVEL_LABELS.center}仍然超时未办，已标红`);
    } else {
      this.step(
        status,
        'escalated',
        SYSTEM,
        { level: up.level, ownerOrgId: up.ownerOrgId, dueAt: up.dueAt },
        `超时未办，已上报到${LEVEL_LABELS[up.level]}（${names[up.ownerOrgId] ?? up.ownerOrgId}）`,
      );
    }
  }

  fulfil(note: string): void {
    const at = new Date(this.t);
    this.step(
      'fulfilled',
      'fulfilled',
      this.o.assignee!,
      { fulfilledAt: at, fulfilment: { note, photos: [], at }, dueAt: null, rateBy: rateBy(this.s, at) },
      note,
    );
  }

  rate(by: Actor, stars: number, comment: string): void {
    this.step(
      'closed',
      'rated',
      by,
      { rating: { stars, comment: comment || null, auto: false, at: new Date(this.t) }, rateBy: null },
      `${stars}星${comment ? `：${comment}` : ''}`,
    );
  }

  /** The timer: nobody rated it within autoCloseDays. */
  autoClose(): void {
    this.timerAt(this.o.rateBy!);
    const stars = this.s.autoCloseStars;
    this.step(
      'closed',
      'autoClosed',
      SYSTEM,
      { rating: { stars, comment: null, auto: true, at: new Date(this.t) }, rateBy: null },
      `${this.s.autoCloseDays}天没有评价，按规定自动完成（${stars}星）`,
    );
  }

  cancel(by: Actor): void {
    this.step('cancelled', 'cancelled', by, { dueAt: null, acceptBy: null });
  }

  reopen(by: Actor, reason: string): void {
    const previous = this.o.assignee;
    this.step(
      'open',
      'reopened',
      by,
      {
        assignee: null,
        rating: null,
        rateBy: null,
        passedOver: previous ? [...this.o.passedOver, previous.openid] : this.o.passedOver,
        dueAt: dueAt('open', this.o.level, this.s, new Date(this.t)),
      },
      reason,
    );
  }
}

/** Moves every time of the order by `ms`. */
function shift(o: OrderDoc, ms: number): void {
  const move = (d: Date) => new Date(d.getTime() + ms);
  o.createdAt = move(o.createdAt);
  o.updatedAt = move(o.updatedAt);
  if (o.dueAt) o.dueAt = move(o.dueAt);
  if (o.acceptBy) o.acceptBy = move(o.acceptBy);
  if (o.rateBy) o.rateBy = move(o.rateBy);
  if (o.fulfilledAt) o.fulfilledAt = move(o.fulfilledAt);
  if (o.fulfilment) o.fulfilment = { ...o.fulfilment, at: move(o.fulfilment.at) };
  if (o.rating) o.rating = { ...o.rating, at: move(o.rating.at) };
  o.events = o.events.map((e) => ({ ...e, at: move(e.at) }));
}

/** Asia/Shanghai time of day (ms since midnight) of a moment. */
const localTime = (ms: number) => (((ms + SHANGHAI_OFFSET_MS) % DAY) + DAY) % DAY;

/**
 * Where a played order goes in time: the shift that puts its posting at its time of day (`phase`) and
 * its last step in the past — for a finished order somewhere in the last months, for one still in
 * progress within the deadline it waits on, so that the timer has nothing to do with it yet. Null
 * when no day fits an order in progress (its window is shorter than a day): another phase is tried,
 * and at last `anyTime`.
 */
function placement(p: Play, r: Rand, now: number, finished: boolean, anyTime = false): number | null {
  const last = p.t;
  const deadline = pendingDeadline(p.o);
  /** The latest posting time at the order's time of day, no later than `t`. */
  const postedBy = (t: number) => t - ((localTime(t) - p.phase + DAY) % DAY);
  if (finished || deadline === null) {
    const age = finished ? 2 * HOUR + HISTORY_DAYS * DAY * r() ** 1.6 : r.between(2, 30) * HOUR;
    return postedBy(now - age - last);
  }
  const room = deadline - last;
  if (anyTime) return now - last - room * r.between(0.05, 0.9);
  const posted = postedBy(now - last - room * 0.03);
  return now - last - posted < room * 0.95 ? posted : null;
}

// ── the county's people around the orders ──────────────────────────────────────────────────────

interface Cast {
  stations: OrgDoc[];
  /** Villagers who may post, by station. */
  villagers: Map<string, Actor[]>;
  /** The station head of each station (the demo one, and one per other station). */
  heads: Map<string, Actor>;
  instituteAdmin: Actor;
  centerAdmin: Actor;
  helpers: Helper[];
  names: Record<string, string>;
  extraUsers: UserDoc[];
  extraHouseholds: HouseholdDoc[];
}

const shortName = (station: OrgDoc) => station.name.replace('新时代文明实践站', '');

function castOf(network: OrgDoc[], users: UserDoc[], volunteers: VolunteerDoc[], now: Date, r: Rand): Cast {
  const byId = new Map(network.map((d) => [d._id, d]));
  const stations = network.filter((d) => d.level === 'station' && d.parentId === DEMO_INSTITUTE_ID);
  const heldAt = (role: HeldRole['role'], orgId: string): HeldRole => ({
    role,
    orgId,
    path: pathOf(byId.get(orgId)!),
  });
  const name = () => r.pick(SURNAMES) + r.pick(GIVEN);
  const extraUsers: UserDoc[] = [];
  const extraHouseholds: HouseholdDoc[] = [];
  const user = (openid: string, n: string, roles: HeldRole[], stationId: string | null, hh: string | null) => {
    extraUsers.push({
      _id: openid,
      openid,
      name: n,
      ...roleFields(roles),
      nickname: null,
      stationId,
      householdId: hh,
      bindingId: null,
      createdAt: now,
      lastLoginAt: now,
      rev: 0,
    });
  };

  const reserved = new Set(['demo-villager', 'demo-villager-son']);
  const villagers = new Map<string, Actor[]>();
  for (const u of users) {
    if (!u.stationId || reserved.has(u.openid) || !u.roles.some((h) => h.role === 'villager')) continue;
    const list = villagers.get(u.stationId) ?? [];
    list.push({ openid: u.openid, name: u.name ?? '群众' });
    villagers.set(u.stationId, list);
  }
  const heads = new Map<string, Actor>();
  for (const u of users) {
    for (const h of u.roles)
      if (h.role === 'stationHead') heads.set(h.orgId, { openid: u.openid, name: u.name ?? '站长' });
  }
  // The stations of the demo institute that have no people yet get a station head and a few households.
  for (const st of stations) {
    const code = st._id.slice(-3);
    if (!heads.has(st._id)) {
      const head = { openid: `demo-head-${code}`, name: `${r.pick(SURNAMES)}站长` };
      user(head.openid, head.name, [heldAt('stationHead', st._id)], null, null);
      heads.set(st._id, head);
    }
    if (!villagers.has(st._id)) {
      const list: Actor[] = [];
      for (let i = 1; i <= 3; i++) {
        // A household number (户号) as the demo's are: six digits, 3SSSH for station SSS, household H.
        const hh = String(300_000 + Number(code) * 10 + i);
        const members = Array.from({ length: i === 1 ? 2 : 1 }, (_v, j) => ({
          openid: `demo-res-${code}-${i}-${j + 1}`,
          name: name(),
        }));
        extraHouseholds.push({
          _id: hh,
          stationId: st._id,
          headOpenid: members[0].openid,
          headName: members[0].name,
          members,
          createdAt: now,
          updatedAt: now,
        });
        for (const m of members) {
          user(m.openid, m.name, [heldAt('villager', st._id)], st._id, hh);
          list.push(m);
        }
      }
      villagers.set(st._id, list);
    }
  }
  const find = (openid: string): Actor => {
    const u = users.find((x) => x.openid === openid);
    if (!u) throw new Error(`seed: no demo user ${openid}`);
    return { openid, name: u.name ?? openid };
  };
  return {
    stations,
    villagers,
    heads,
    instituteAdmin: find('demo-institute-admin'),
    centerAdmin: find('demo-center-admin'),
    helpers: volunteers
      .filter((v) => v.status === 'active')
      .map((v) => ({ openid: v.openid, name: v.name, skills: v.skills, areas: v.areas, stationIds: v.stationIds })),
    names: Object.fromEntries(network.filter((d) => d.level !== 'point').map((d) => [d._id, d.name])),
    extraUsers,
    extraHouseholds,
  };
}

// ── the stories ─────────────────────────────────────────────────────────────────────────────────

type Final = OrderStatus;

interface Story {
  stationId: string;
  requester: Actor;
  need: Need;
  final: Final;
  /** The volunteer who ends up with it (the demo volunteer's stories); otherwise one is chosen. */
  helper?: string;
  /** How it reaches a volunteer: dispatched by the responsible admin, or claimed from the hall. */
  claim?: boolean;
  /** Nobody reviewed it in time: it climbs a level before review. */
  lateReview?: boolean;
  /** Nobody took it in time, this many times (two at the center turns it red). */
  lateTake?: number;
  /** A first volunteer declines (or lets the dispatch lapse) before someone takes it. */
  declined?: 'declined' | 'skipped';
  /** A fulfilled order nobody rated closes automatically. */
  autoClose?: boolean;
  /** The requester reopens it once before it is done for good. */
  reopened?: boolean;
  /** Where a finished or cancelled order stops: cancelled from which status. */
  cancelFrom?: 'submitted' | 'open' | 'dispatched';
  stars?: number;
  comment?: string;
}

export interface OrderSeed {
  orders: OrderDoc[];
  users: UserDoc[];
  households: HouseholdDoc[];
  /** Load and rating counters of every volunteer, from the orders. */
  counters: Map<string, { load: number; ratingSum: number; ratingCount: number }>;
}

const FINISHED: readonly Final[] = ['closed', 'rejected', 'cancelled'];

/** The orders of the demo county, from the network and the people already seeded. Pure. */
export function generateOrders(
  network: OrgDoc[],
  people: { users: UserDoc[]; volunteers: VolunteerDoc[] },
  now: Date,
  settings: OrderSettings = DEFAULT_ORDER_SETTINGS,
): OrderSeed {
  const r = rand(0x0d3d2024);
  const cast = castOf(network, people.users, people.volunteers, now, r);
  const byId = new Map(network.map((d) => [d._id, d]));
  const points = new Map<string, OrgDoc[]>();
  for (const d of network) {
    if (d.level !== 'point' || !d.parentId) continue;
    const list = points.get(d.parentId) ?? [];
    list.push(d);
    points.set(d.parentId, list);
  }
  const need = (title: string): Need => {
    const n = NEEDS.find((x) => x.title === title);
    if (!n) throw new Error(`seed: no need titled ${title}`);
    return n;
  };
  const villager = (stationId: string, k: number): Actor => {
    const list = cast.villagers.get(stationId) ?? [];
    if (!list.length) throw new Error(`seed: nobody lives at ${stationId}`);
    return list[k % list.length];
  };
  const user = (openid: string): Actor => {
    const u = people.users.find((x) => x.openid === openid);
    if (!u) throw new Error(`seed: no demo user ${openid}`);
    return { openid, name: u.name ?? openid };
  };

  // The demo identities' stories, told the same way every time.
  const zhao = user('demo-villager');
  const demo = DEMO_STATION_ID;
  const stories: Story[] = [
    // 赵桂英's own: one of each kind of outcome, one fulfilled and waiting for her stars.
    { stationId: demo, requester: zhao, need: need('给孙子买个新书包'), final: 'fulfilled', helper: 'demo-volunteer' },
    { stationId: demo, requester: zhao, need: need('上门帮忙量量血压'), final: 'accepted' },
    { stationId: demo, requester: zhao, need: need('想了解医保报销政策'), final: 'submitted' },
    { stationId: demo, requester: zhao, need: need('屋后排水沟堵了'), final: 'open' },
    {
      stationId: demo,
      requester: zhao,
      need: need('想学用手机交电费'),
      final: 'closed',
      helper: 'demo-volunteer',
      stars: 5,
      comment: '志愿者很耐心，谢谢！',
    },
    { stationId: demo, requester: zhao, need: need('想学跳广场舞'), final: 'cancelled', cancelFrom: 'open' },
    { stationId: demo, requester: zhao, need: need('高龄补贴怎么申请'), final: 'rejected' },
    // 张志愿's: one dispatched to them, one accepted, and two more of their three five-and-four-star jobs.
    {
      stationId: demo,
      requester: villager(demo, 0),
      need: need('帮隔壁{姓}大爷修个电灯'),
      final: 'dispatched',
      helper: 'demo-volunteer',
    },
    {
      stationId: demo,
      requester: villager(demo, 3),
      need: need('上门帮忙量量血压'),
      final: 'accepted',
      helper: 'demo-volunteer',
    },
    {
      stationId: demo,
      requester: villager(demo, 5),
      need: need('想测一测血糖'),
      final: 'closed',
      helper: 'demo-volunteer',
      claim: true,
      stars: 5,
      comment: '来得很及时，帮了大忙。',
    },
    {
      stationId: demo,
      requester: villager(demo, 7),
      need: need('家里电视没信号了'),
      final: 'closed',
      helper: 'demo-volunteer',
      stars: 4,
      comment: '修好了，就是等了两天。',
    },
    // 李站长's desk: reviews waiting, open orders to dispatch (two of them in the volunteer's hall).
    { stationId: demo, requester: villager(demo, 1), need: need('土地承包合同有问题想咨询'), final: 'submitted' },
    { stationId: demo, requester: villager(demo, 2), need: need('想在附近找份工作'), final: 'submitted' },
    { stationId: demo, requester: villager(demo, 4), need: need('想请医生看看老寒腿'), final: 'open' },
    { stationId: demo, requester: villager(demo, 6), need: need('孩子想要几本课外书'), final: 'open' },
    // Escalated to 王所长's institute, and one red at 陈主任's center.
    {
      stationId: cast.stations[2]._id,
      requester: villager(cast.stations[2]._id, 0),
      need: need('赡养老人的事想咨询'),
      final: 'submitted',
      lateReview: true,
    },
    {
      stationId: cast.stations[6]._id,
      requester: villager(cast.stations[6]._id, 0),
      need: need('大棚黄瓜叶子发黄'),
      final: 'open',
      lateTake: 1,
    },
    {
      stationId: demo,
      requester: villager(demo, 8),
      need: need('留守儿童暑期托管缺老师'),
      final: 'open',
      lateTake: 2,
    },
    { stationId: demo, requester: villager(demo, 9), need: need('请医院专家来村里义诊'), final: 'closed', stars: 5 },
  ];

  // The crowd: stations weighted towards the demo village and its neighbours.
  const home = byId.get(DEMO_STATION_ID)!;
  const others = cast.stations.filter((s) => s._id !== DEMO_STATION_ID);
  const at = (d: OrgDoc) => ({ lat: d.lat ?? 0, lng: d.lng ?? 0 });
  const weights = others.map((s) => 1 / (1 + distanceM(at(home), at(s)) / 2000));
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const pickStation = (): string => {
    if (r.chance(DEMO_STATION_SHARE)) return DEMO_STATION_ID;
    let x = r() * totalWeight;
    for (let i = 0; i < others.length; i++) {
      x -= weights[i];
      if (x < 0) return others[i]._id;
    }
    return others[others.length - 1]._id;
  };
  const wishes = NEEDS.filter((n) => n.kind === 'wish');
  /** Mostly, villagers ask for what someone in the village can do; the rest climbs to the institute. */
  const servedHere = (stationId: string): Need[] | undefined => {
    const skills = new Set(
      cast.helpers
        .filter((h) => h.openid !== 'demo-volunteer' && h.stationIds.includes(stationId))
        .flatMap((h) => h.skills),
    );
    const served = wishes.filter((n) => skills.has(n.category));
    return served.length && r.chance(0.75) ? served : undefined;
  };
  const whistles = NEEDS.filter((n) => n.kind === 'whistle');
  for (let i = 0; i < CROWD_ORDERS; i++) {
    const stationId = pickStation();
    const final = r.weighted<Final>({
      closed: 52,
      rejected: 5,
      cancelled: 5,
      fulfilled: 6,
      accepted: 9,
      dispatched: 5,
      open: 10,
      submitted: 8,
    });
    stories.push({
      stationId,
      requester: r.pick(cast.villagers.get(stationId) ?? []),
      need: r.chance(0.12) ? r.pick(whistles) : r.pick(servedHere(stationId) ?? wishes),
      final,
      claim: r.chance(0.35),
      lateReview: r.chance(final === 'submitted' ? 0.2 : 0.04),
      lateTake: r.chance(final === 'open' ? 0.25 : 0.06) ? 1 : 0,
      declined: r.chance(0.1) ? r.pick(['declined', 'skipped'] as const) : undefined,
      autoClose: r.chance(0.2),
      reopened: final === 'closed' && r.chance(0.015),
      cancelFrom: r.pick(['submitted', 'open', 'open', 'dispatched'] as const),
      stars: Number(r.weighted({ '5': 78, '4': 17, '3': 5 })),
    });
  }

  // Who carries what at the end: the demo volunteer only their own stories; nobody more than MAX_LOAD.
  const load = new Map<string, number>();
  const helperOf = (openid: string) => cast.helpers.find((h) => h.openid === openid)!;
  const households = new Map([...people.users, ...cast.extraUsers].map((u) => [u.openid, u.householdId]));
  const eligible = (o: OrderDoc, capped: boolean): Helper[] =>
    cast.helpers.filter(
      (h) =>
        h.openid !== 'demo-volunteer' &&
        h.areas.includes(o.ownerOrgId) &&
        h.skills.includes(o.category) &&
        h.openid !== o.requester.openid &&
        !o.passedOver.includes(h.openid) &&
        (!capped || (load.get(h.openid) ?? 0) < MAX_LOAD),
    );
  /** Near ones first, as a dispatcher would choose; a little chance in it. */
  const choose = (r: Rand, o: OrderDoc, pool: Helper[]): Helper => {
    const ranked = [...pool].sort(
      (a, b) =>
        Number(b.stationIds.includes(o.stationId)) - Number(a.stationIds.includes(o.stationId)) ||
        (load.get(a.openid) ?? 0) - (load.get(b.openid) ?? 0) ||
        a.openid.localeCompare(b.openid),
    );
    return ranked[Math.floor(r() * Math.min(3, ranked.length))];
  };
  const responsible = (o: OrderDoc): Actor =>
    o.level === 'station'
      ? cast.heads.get(o.stationId)!
      : o.level === 'institute'
        ? cast.instituteAdmin
        : cast.centerAdmin;

  /**
   * Plays one story from its own seed at a time of day. Answers the order and who, if anyone, carries
   * it at the end (counted against MAX_LOAD once the order is placed).
   */
  const play = (story: Story, seed: number, phase: number): { p: Play; carrier?: string } => {
    const r = rand(seed);
    const station = byId.get(story.stationId)!;
    const short = shortName(station);
    const fill = (s: string) => s.replaceAll('{姓}', r.pick(SURNAMES)).replaceAll('{村}', short);
    const atPoint = r.chance(0.55) ? r.pick(points.get(station._id) ?? []) : undefined;
    const p = new Play(
      r,
      settings,
      phase,
      {
        _id: `seed-${seed}`,
        requestKey: '',
        kind: story.need.kind,
        category: story.need.category,
        title: fill(story.need.title),
        content: fill(story.need.content),
        photos: [],
        pointId: atPoint?._id ?? null,
        pointName: atPoint?.name ?? null,
        lat: atPoint?.lat ?? station.lat,
        lng: atPoint?.lng ?? station.lng,
        stationId: station._id,
        stationName: station.name,
        path: pathOf(station),
        requester: {
          openid: story.requester.openid,
          name: story.requester.name,
          householdId: households.get(story.requester.openid) ?? null,
        },
        contact: r.chance(0.7)
          ? {
              phone: `1${r.pick(['39', '38', '52', '58', '87'])}${String(Math.floor(r() * 1e8)).padStart(8, '0')}`,
              address: `${short}${1 + Math.floor(r() * 12)}组${1 + Math.floor(r() * 60)}号`,
            }
          : null,
      },
      story.requester,
    );
    const o = p.o;
    const final = story.final;
    let carrier: string | undefined;
    const capped = final === 'dispatched' || final === 'accepted';
    /** Someone who serves the order's scope now; when nobody does, it waits and climbs a level. */
    const take = (): Helper => {
      if (story.helper) return helperOf(story.helper);
      for (;;) {
        const pool = eligible(o, capped);
        if (pool.length) return choose(r, o, pool);
        if (o.level === 'center') throw new Error(`seed: nobody can take ${o.category} anywhere`);
        p.escalate(cast.names);
      }
    };

    // 审核: late reviews climb first; rejections and early cancellations end here.
    if (story.lateReview && o.level !== 'center') p.escalate(cast.names);
    if (final === 'submitted') return { p };
    if (final === 'cancelled' && story.cancelFrom === 'submitted') {
      p.wait(0.3, 10);
      p.cancel(story.requester);
      return { p };
    }
    p.wait(0.3, 18);
    if (final === 'rejected') {
      p.review(responsible(o), false, r.pick(REJECT_REASONS));
      return { p };
    }
    p.review(responsible(o), true);

    // 派单 history: nobody in time (it climbs), or a first volunteer who declined or let it lapse.
    for (let k = 0; k < (story.lateTake ?? 0); k++) p.escalate(cast.names);
    if (story.declined && !o.overdue) {
      const pool = eligible(o, false);
      if (pool.length) {
        p.wait(0.3, 8);
        p.dispatch(responsible(o), choose(r, o, pool));
        if (story.declined === 'declined') {
          p.wait(0.5, 8);
          p.decline(r.pick(DECLINE_REASONS));
        } else p.skip();
      }
    }
    if (final === 'open') return { p };
    if (final === 'cancelled' && story.cancelFrom === 'open') {
      p.wait(0.5, 20);
      p.cancel(story.requester);
      return { p };
    }

    // 接单: dispatched by whoever is responsible now, or claimed from the hall.
    const v = take();
    if (capped) carrier = v.openid;
    p.wait(0.3, 16);
    if (story.claim && final !== 'dispatched' && final !== 'cancelled') p.claim(v);
    else {
      p.dispatch(responsible(o), v);
      if (final === 'dispatched') return { p, carrier };
      if (final === 'cancelled') {
        p.wait(0.3, 6);
        p.cancel(story.requester);
        return { p };
      }
      p.wait(0.2, 8);
      p.accept();
    }
    if (final === 'accepted') return { p, carrier };

    // 销单 and 评单; a reopened one is done twice, by a second volunteer.
    if (story.reopened) {
      p.wait(2, 3 * 24);
      p.fulfil(story.need.done);
      p.wait(0.5, 24);
      p.rate(story.requester, 3, COMMENTS[3][0]);
      p.wait(1, 24);
      p.reopen(story.requester, REOPEN_REASON);
      const w = take();
      p.wait(0.3, 16);
      p.dispatch(responsible(o), w);
      p.wait(0.2, 8);
      p.accept();
    }
    p.wait(2, 5 * 24);
    p.fulfil(story.need.done);
    if (final === 'fulfilled') return { p };
    if (story.autoClose && !story.helper) p.autoClose();
    else {
      p.wait(0.5, 4 * 24);
      const stars = story.stars ?? 5;
      p.rate(story.requester, stars, story.comment ?? r.pick(COMMENTS[stars]));
    }
    return { p };
  };

  // Each story at a time of day that lets it sit in time as it should (most fit the first one).
  const orders: OrderDoc[] = [];
  for (const story of stories) {
    const seed = Math.floor(r() * 2 ** 32);
    const finished = FINISHED.includes(story.final);
    let done = false;
    for (let k = 0; k < 12 && !done; k++) {
      const phase = Math.round(r.between(8, 20) * HOUR);
      const { p, carrier } = play(story, seed, phase);
      const at = placement(p, r, now.getTime(), finished, k === 11);
      if (at === null) continue;
      shift(p.o, at);
      if (carrier) load.set(carrier, (load.get(carrier) ?? 0) + 1);
      orders.push(p.o);
      done = true;
    }
  }

  // In order of posting; ids and request keys from that order.
  orders.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  orders.forEach((o, i) => {
    o._id = `demo-order-${String(i + 1).padStart(4, '0')}`;
    o.requestKey = `${o.requester.openid}:${o._id}`;
  });

  const counters = new Map(people.volunteers.map((v) => [v.openid, { load: 0, ratingSum: 0, ratingCount: 0 }]));
  for (const o of orders) {
    const c = o.assignee ? counters.get(o.assignee.openid) : undefined;
    if (!c) continue;
    if (o.status === 'dispatched' || o.status === 'accepted') c.load += 1;
    if (o.status === 'closed' && o.rating) {
      c.ratingSum += o.rating.stars;
      c.ratingCount += 1;
    }
  }
  return { orders, users: cast.extraUsers, households: cast.extraHouseholds, counters };
}

/** Loads the demo orders (after the network and the people) and sets the volunteers' counters. */
export function seedOrders(engine: Engine, network: OrgDoc[], now: Date): { counts: Record<string, number> } {
  const users = engine.find('users', { query: {} }) as unknown as UserDoc[];
  const volunteers = engine.find('volunteers', { query: {} }) as unknown as VolunteerDoc[];
  const seed = generateOrders(network, { users, volunteers }, now);
  if (seed.users.length) engine.insert('users', seed.users as unknown as Record<string, unknown>[]);
  if (seed.households.length) engine.insert('households', seed.households as unknown as Record<string, unknown>[]);
  engine.insert('orders', seed.orders as unknown as Record<string, unknown>[]);
  for (const [openid, c] of seed.counters) {
    engine.update('volunteers', {
      query: { _id: openid },
      update: { $set: c },
      multi: false,
      upsert: false,
      merge: true,
    });
  }
  return {
    counts: {
      users: engine.count('users', {}),
      households: engine.count('households', {}),
      orders: seed.orders.length,
    },
  };
}
