/**
 * A Hai'an-shaped demo network ("1+17+231+5000" in the source report): 1 center, 17 institutes (towns,
 * streets and departments), 231 stations (villages and communities) and a little over 5,000 practice
 * points. Deterministic: a seeded PRNG, no clock, no Math.random, so every run (and every test) sees the
 * same county. The names are plausible, not a census: they sound like Hai'an without claiming to be it.
 */
import type { OrgDoc } from '../../cloudfunctions/shared/org/domain/model';
import { geoPoint } from '../../cloudfunctions/shared/org/domain/geo';
import { LEVELS, type Level, type PointKind } from '../../typings/domain';
import { prng } from './random';

export const CENTER_ID = 'haian';
/** A town street with villages and communities; what the demo's institute admin manages. */
export const DEMO_INSTITUTE_ID = 'haian-01';
/** 凤山村: the village the demo's station head, volunteers and villagers belong to. */
export const DEMO_STATION_ID = 'haian-01-001';
export const DEMO_STATION_NAME = '凤山村新时代文明实践站';

/** Used when no date is given, so that two runs are equal to the millisecond. */
export const DEFAULT_CREATED_AT = new Date('2021-07-30T10:30:00.000Z');

const STATIONS_TOTAL = 231;
const POINTS_MIN_TOTAL = 5000;
const DEMO_STATION_POINTS = 24;

const CITY = { lat: 32.533, lng: 120.459 };
const KM_PER_DEG_LAT = 111.32;
const kmPerDegLng = (lat: number): number => KM_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180);

interface InstituteSeed {
  name: string;
  /** Short name used in addresses (曲塘镇). */
  place: string;
  lat: number;
  lng: number;
  stations: number;
  /** Share of the stations that are communities (社区) rather than villages (村). */
  urban: number;
  department?: boolean;
}

/** 14 towns and streets with their villages and communities, and 3 departments that serve the whole county. */
const INSTITUTES: InstituteSeed[] = [
  { name: '海安街道', place: '海安街道', lat: 32.545, lng: 120.462, stations: 28, urban: 0.6 },
  { name: '城东镇', place: '城东镇', lat: 32.528, lng: 120.525, stations: 20, urban: 0.3 },
  { name: '孙庄街道', place: '孙庄街道', lat: 32.503, lng: 120.428, stations: 14, urban: 0.5 },
  { name: '曲塘镇', place: '曲塘镇', lat: 32.468, lng: 120.302, stations: 22, urban: 0.1 },
  { name: '李堡镇', place: '李堡镇', lat: 32.584, lng: 120.668, stations: 20, urban: 0.1 },
  { name: '角斜镇', place: '角斜镇', lat: 32.618, lng: 120.772, stations: 14, urban: 0.1 },
  { name: '大公镇', place: '大公镇', lat: 32.487, lng: 120.574, stations: 16, urban: 0.1 },
  { name: '雅周镇', place: '雅周镇', lat: 32.398, lng: 120.392, stations: 16, urban: 0.1 },
  { name: '白甸镇', place: '白甸镇', lat: 32.622, lng: 120.246, stations: 16, urban: 0.1 },
  { name: '南莫镇', place: '南莫镇', lat: 32.664, lng: 120.528, stations: 18, urban: 0.1 },
  { name: '墩头镇', place: '墩头镇', lat: 32.684, lng: 120.362, stations: 20, urban: 0.1 },
  { name: '海安高新区', place: '海安高新区', lat: 32.566, lng: 120.398, stations: 12, urban: 0.5 },
  { name: '海安经济技术开发区', place: '海安开发区', lat: 32.508, lng: 120.492, stations: 9, urban: 0.5 },
  { name: '老坝港滨海新区', place: '老坝港滨海新区', lat: 32.702, lng: 120.792, stations: 6, urban: 0.2 },
  // Department institutes: in the city, no villages of their own; their volunteers serve every station.
  { name: '市教育局', place: '', lat: 32.5362, lng: 120.4551, stations: 0, urban: 0, department: true },
  { name: '市卫生健康委', place: '', lat: 32.5297, lng: 120.4648, stations: 0, urban: 0, department: true },
  { name: '市文化广电和旅游局', place: '', lat: 32.5391, lng: 120.4687, stations: 0, urban: 0, department: true },
];

// prettier-ignore
const ROADS = [
  '长江路', '宁海路', '黄海路', '中坝路', '通榆路', '海防路', '江淮路', '迎宾路', '人民路', '开发大道',
  '鑫港路', '城东大道', '曲江路', '北凌路', '南海路', '东海大道', '仁桥路', '胜利路', '建设路', '文化路',
];

// Village names: a family name or a place word, and a landscape word, as Hai'an's villages are named.
// prettier-ignore
const VILLAGE_HEADS = [
  '王', '李', '张', '刘', '陈', '杨', '黄', '吴', '周', '徐', '孙', '胡', '朱', '高', '钱', '仲', '章', '季',
  '缪', '丁', '沈', '蒋', '顾', '陆', '邵', '姜', '崔', '曹', '储', '贲', '夏', '许', '吕', '葛', '严', '冒',
  '东', '西', '南', '北', '新', '老', '大', '双', '三', '六', '七', '八', '青', '红', '长', '永', '富', '兴',
  '安', '和', '平', '福', '联', '光', '明', '桂', '杨柳', '桃园', '星', '鸿',
];
// prettier-ignore
const VILLAGE_TAILS = [
  '庄', '垛', '舍', '桥', '河', '湾', '港', '圩', '墩', '沟', '园', '楼', '集', '堡', '灶', '洋', '甸', '场',
  '坝', '口', '荡', '店', '林', '岗',
];
// prettier-ignore
const COMMUNITY_NAMES = [
  '城南', '长江', '中坝', '七星', '宁海', '江淮', '鑫源', '仁桥', '海北', '新城', '东方', '百禄', '星湖',
  '滨河', '人民', '中洋', '通榆', '北凌', '丰乐', '高湖', '隆政', '海陵', '胜利', '建设', '迎春', '紫石',
  '万家', '明珠', '花园', '锦绣', '龙山', '凤凰', '富园', '钟楼', '文峰', '春晖', '和平', '幸福', '东湖',
  '西湖', '南苑', '北苑', '新桥', '老街', '双桥', '壮志', '蔡庄', '曲江', '集贤', '西场', '港口', '旭日',
  '雁岭', '瑞祥', '金港', '银杏', '康华', '兴园', '如意', '泰和', '东升', '安泰', '润园', '桂花', '华庭',
  '青萍', '晨光', '民主', '团结', '黄海',
];

interface PointTemplate {
  /** Appended to the station's short name: 凤山村 + 文化礼堂. */
  suffix: string;
  kind: PointKind;
}

const VILLAGE_POINTS: PointTemplate[] = [
  { suffix: '文化礼堂', kind: 'hall' },
  { suffix: '农家书屋', kind: 'library' },
  { suffix: '文体广场', kind: 'square' },
  { suffix: '党员活动室', kind: 'partyRoom' },
  { suffix: '老年活动中心', kind: 'elderly' },
  { suffix: '新时代学堂', kind: 'school' },
  { suffix: '卫生室', kind: 'clinic' },
  { suffix: '田间课堂', kind: 'farm' },
  { suffix: '道德讲堂', kind: 'hall' },
  { suffix: '村史馆', kind: 'other' },
  { suffix: '志愿服务驿站', kind: 'other' },
  { suffix: '乡贤工作室', kind: 'other' },
  { suffix: '法律服务室', kind: 'other' },
  { suffix: '百姓名嘴宣讲点', kind: 'school' },
  { suffix: '儿童之家', kind: 'school' },
  { suffix: '家庭农场', kind: 'farm' },
  { suffix: '合作社培训室', kind: 'farm' },
  { suffix: '红色驿站', kind: 'partyRoom' },
  { suffix: '便民服务中心', kind: 'other' },
  { suffix: '积分超市', kind: 'other' },
];
const COMMUNITY_POINTS: PointTemplate[] = [
  { suffix: '文化活动中心', kind: 'hall' },
  { suffix: '图书室', kind: 'library' },
  { suffix: '文体广场', kind: 'square' },
  { suffix: '党群服务中心', kind: 'partyRoom' },
  { suffix: '日间照料中心', kind: 'elderly' },
  { suffix: '新时代学堂', kind: 'school' },
  { suffix: '卫生服务站', kind: 'clinic' },
  { suffix: '道德讲堂', kind: 'hall' },
  { suffix: '志愿服务驿站', kind: 'other' },
  { suffix: '法律服务室', kind: 'other' },
  { suffix: '儿童之家', kind: 'school' },
  { suffix: '邻里中心', kind: 'other' },
  { suffix: '红色驿站', kind: 'partyRoom' },
  { suffix: '百姓名嘴宣讲点', kind: 'school' },
  { suffix: '积分超市', kind: 'other' },
  { suffix: '健身步道', kind: 'square' },
];
/** Beyond the fixed set: small points in the village groups (组) and residential blocks. */
const GROUP_POINTS: PointTemplate[] = [
  { suffix: '组文化小广场', kind: 'square' },
  { suffix: '组农家书屋', kind: 'library' },
  { suffix: '组老年活动室', kind: 'elderly' },
  { suffix: '组党员中心户', kind: 'partyRoom' },
  { suffix: '组志愿服务点', kind: 'other' },
];
const BLOCK_POINTS: PointTemplate[] = [
  { suffix: '区文化小广场', kind: 'square' },
  { suffix: '区阅读角', kind: 'library' },
  { suffix: '区老年活动室', kind: 'elderly' },
  { suffix: '区楼道党小组', kind: 'partyRoom' },
  { suffix: '区志愿服务点', kind: 'other' },
];

const POINT_HOURS = [
  '每天 8:30-11:30，14:00-17:30',
  '周一至周五 9:00-17:00',
  '周一至周六 8:00-18:00',
  '每天 7:00-21:00',
  '全天开放',
  '周末 9:00-16:00',
  '每天 14:00-20:00',
  '活动时开放，请提前联系站长',
];
const OFFICE_HOURS = '周一至周五 8:30-12:00，13:30-17:30';
const CHINESE_DIGITS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;
const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** A point uniformly within [minKm, maxKm] of (lat, lng). */
function near(
  rand: () => number,
  lat: number,
  lng: number,
  minKm: number,
  maxKm: number,
): { lat: number; lng: number } {
  const r = Math.sqrt(minKm * minKm + rand() * (maxKm * maxKm - minKm * minKm));
  const a = rand() * 2 * Math.PI;
  return {
    lat: round6(lat + (r * Math.sin(a)) / KM_PER_DEG_LAT),
    lng: round6(lng + (r * Math.cos(a)) / kmPerDegLng(lat)),
  };
}

/** 1 → 一, 12 → 十二, 21 → 二十一 (up to 99): how a village's groups (组) are said. */
function chineseNumber(n: number): string {
  if (n <= 10) return CHINESE_DIGITS[n];
  const tens = Math.floor(n / 10);
  return `${tens === 1 ? '' : CHINESE_DIGITS[tens]}十${CHINESE_DIGITS[n % 10]}`;
}

/**
 * The whole network, parents before children, siblings in order. `createdAt` is both timestamps of
 * every node (the seed runs at one instant).
 */
export function generateNetwork(createdAt: Date = DEFAULT_CREATED_AT): OrgDoc[] {
  const rand = prng(0x4a1a2021);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const at = (): { createdAt: Date; updatedAt: Date } => ({
    createdAt: new Date(createdAt),
    updatedAt: new Date(createdAt),
  });
  const docs: Omit<OrgDoc, 'geo'>[] = [];

  docs.push({
    _id: CENTER_ID,
    level: 'center',
    name: '海安市新时代文明实践中心',
    parentId: null,
    ancestors: [],
    order: 1,
    lat: round6(CITY.lat),
    lng: round6(CITY.lng),
    address: '海安市长江中路 1 号',
    kind: null,
    hours: OFFICE_HOURS,
    ...at(),
  });

  // Point counts: 15 to 30 a station, topped up (deterministically) to at least 5,000.
  const stationPoints: number[] = Array.from({ length: STATIONS_TOTAL }, () => 15 + Math.floor(rand() * 16));
  stationPoints[0] = DEMO_STATION_POINTS;
  for (let sum = stationPoints.reduce((s, n) => s + n, 0); sum < POINTS_MIN_TOTAL; sum++) {
    let i = 1 + Math.floor(rand() * (STATIONS_TOTAL - 1));
    while (stationPoints[i] >= 40) i = 1 + ((i + 1) % (STATIONS_TOTAL - 1));
    stationPoints[i]++;
  }

  const usedNames = new Set<string>(['凤山']);
  const villageName = (): string => {
    for (;;) {
      const n = pick(VILLAGE_HEADS) + pick(VILLAGE_TAILS);
      if (!usedNames.has(n)) {
        usedNames.add(n);
        return n;
      }
    }
  };
  const communityName = (): string => {
    const free = COMMUNITY_NAMES.filter((n) => !usedNames.has(n));
    const n = free.length > 0 ? pick(free) : `${villageName()}新`;
    usedNames.add(n);
    return n;
  };

  let stationIndex = 0;
  INSTITUTES.forEach((inst, ii) => {
    const instId = `${CENTER_ID}-${pad(ii + 1, 2)}`;
    const road = pick(ROADS);
    docs.push({
      _id: instId,
      level: 'institute',
      name: `${inst.name}新时代文明实践所`,
      parentId: CENTER_ID,
      ancestors: [CENTER_ID],
      order: ii + 1,
      lat: round6(inst.lat),
      lng: round6(inst.lng),
      address: inst.department
        ? `海安市${road}${1 + Math.floor(rand() * 200)}号`
        : `海安市${inst.place}${road}${1 + Math.floor(rand() * 200)}号`,
      kind: null,
      hours: OFFICE_HOURS,
      ...at(),
    });

    for (let si = 0; si < inst.stations; si++, stationIndex++) {
      const stationId = `${instId}-${pad(si + 1, 3)}`;
      const isDemo = stationId === DEMO_STATION_ID;
      const community = !isDemo && rand() < inst.urban;
      const short = isDemo ? '凤山村' : community ? `${communityName()}社区` : `${villageName()}村`;
      const spot = near(rand, inst.lat, inst.lng, 0.6, inst.urban >= 0.5 ? 3.5 : 5);
      const stationRoad = pick(ROADS);
      const stationAddress = community
        ? `海安市${inst.place}${stationRoad}${1 + Math.floor(rand() * 300)}号`
        : `海安市${inst.place}${short}村部`;
      docs.push({
        _id: stationId,
        level: 'station',
        name: `${short}新时代文明实践站`,
        parentId: instId,
        ancestors: [CENTER_ID, instId],
        order: si + 1,
        lat: spot.lat,
        lng: spot.lng,
        address: stationAddress,
        kind: null,
        hours: OFFICE_HOURS,
        ...at(),
      });

      const fixed = community ? COMMUNITY_POINTS : VILLAGE_POINTS;
      const extra = community ? BLOCK_POINTS : GROUP_POINTS;
      const count = stationPoints[stationIndex];
      for (let pi = 0; pi < count; pi++) {
        let template: PointTemplate;
        let name: string;
        let address: string;
        if (pi < fixed.length) {
          template = fixed[pi];
          name = `${short}${template.suffix}`;
          address =
            community || pi < 8
              ? stationAddress
              : `海安市${inst.place}${short}${chineseNumber(1 + Math.floor(rand() * 12))}组`;
        } else {
          // Groups (组) and residential blocks (区) numbered in turn, a kind cycling through the list.
          const k = pi - fixed.length;
          const n = k + 1;
          template = extra[k % extra.length];
          name = `${short}${community ? n : chineseNumber(n)}${template.suffix}`;
          address = community
            ? `海安市${inst.place}${pick(ROADS)}${1 + Math.floor(rand() * 300)}号`
            : `海安市${inst.place}${short}${chineseNumber(n)}组`;
        }
        const p = near(rand, spot.lat, spot.lng, 0.05, 1.3);
        docs.push({
          _id: `${stationId}-${pad(pi + 1, 2)}`,
          level: 'point',
          name,
          parentId: stationId,
          ancestors: [CENTER_ID, instId, stationId],
          order: pi + 1,
          lat: p.lat,
          lng: p.lng,
          address,
          kind: template.kind,
          hours: pick(POINT_HOURS),
          ...at(),
        });
      }
    }
  });
  return docs.map((d) => ({ ...d, geo: geoPoint(d.lat, d.lng) }));
}

/** How many nodes of each level: { center: 1, institute: 17, station: 231, point: 5xxx }. */
export function summarizeNetwork(docs: readonly Pick<OrgDoc, 'level'>[]): Record<Level, number> {
  const counts = Object.fromEntries(LEVELS.map((l) => [l, 0])) as Record<Level, number>;
  for (const d of docs) counts[d.level]++;
  return counts;
}
