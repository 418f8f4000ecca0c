/**
 * Checking a parsed network list against itself and what is stored, and planning the writes (see
 * index.ts for the rules of an import). Pure: no SDK, no file system.
 */
import { geoPoint, type GeoPoint } from '../../../cloudfunctions/shared/org/domain/geo';
import { childLevel, ORG_CODE, plausibleLocation, type OrgDoc } from '../../../cloudfunctions/shared/org/domain/model';
import {
  LEVEL_LABELS,
  LEVELS,
  POINT_KIND_LABELS,
  POINT_KINDS,
  type Level,
  type PointKind,
} from '../../../typings/domain';
import { at, type OrgCsvRow, type OrgImportError } from './parse';

/** What planImport needs of a stored node; documents read through an SDK may lack fields or carry dates as strings. */
export type ExistingOrg = Pick<OrgDoc, '_id' | 'level'> &
  Partial<
    Pick<OrgDoc, 'name' | 'parentId' | 'ancestors' | 'order' | 'lat' | 'lng' | 'geo' | 'address' | 'kind' | 'hours'>
  > & {
    createdAt?: unknown;
  };

export interface OrgImportPlan {
  errors: OrgImportError[];
  /** Parents before children, so that writing them in order never leaves an orphan behind. */
  create: OrgDoc[];
  update: OrgDoc[];
  /** Rows of the file whose node is stored exactly as the file says. */
  unchanged: number;
}

const LEVEL_WORDS = new Map<string, Level>();
for (const l of LEVELS) {
  LEVEL_WORDS.set(l, l);
  LEVEL_WORDS.set(LEVEL_LABELS[l], l);
}
LEVEL_WORDS.set('中心', 'center');
LEVEL_WORDS.set('所', 'institute');
LEVEL_WORDS.set('站', 'station');
LEVEL_WORDS.set('点', 'point');

const KIND_WORDS = new Map<string, PointKind>();
for (const k of POINT_KINDS) {
  KIND_WORDS.set(k.toLowerCase(), k);
  KIND_WORDS.set(POINT_KIND_LABELS[k], k);
}

const levelName = (l: Level): string => LEVEL_LABELS[l];
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)$/;

/** The fields an import sets; createdAt, updatedAt and _id are the store's. */
type Fields = Pick<
  OrgDoc,
  'level' | 'name' | 'parentId' | 'ancestors' | 'order' | 'lat' | 'lng' | 'geo' | 'address' | 'kind' | 'hours'
>;

interface Checked {
  row: number;
  code: string;
  parentCode: string | null;
  level: Level | null;
  name: string;
  lat: number | null;
  lng: number | null;
  address: string | null;
  kind: PointKind | null;
  hours: string | null;
}

function sameFields(a: Fields, b: ExistingOrg): boolean {
  const anc = b.ancestors ?? [];
  return (
    a.level === b.level &&
    a.name === (b.name ?? '') &&
    a.parentId === (b.parentId ?? null) &&
    a.ancestors.length === anc.length &&
    a.ancestors.every((x, i) => x === anc[i]) &&
    a.order === b.order &&
    a.lat === (b.lat ?? null) &&
    a.lng === (b.lng ?? null) &&
    // A node stored before the geo index has its GeoJSON missing: importing the file again writes it.
    sameGeo(a.geo, b.geo) &&
    a.address === (b.address ?? null) &&
    a.kind === (b.kind ?? null) &&
    a.hours === (b.hours ?? null)
  );
}

function sameGeo(a: GeoPoint | null, b: unknown): boolean {
  if (a === null) return b === null || b === undefined;
  // The SDK reads GeoJSON back as a db.Geo.Point (longitude, latitude); a plain object keeps coordinates.
  const p = b as { coordinates?: unknown; longitude?: unknown; latitude?: unknown } | null | undefined;
  const c = Array.isArray(p?.coordinates) ? p.coordinates : [p?.longitude, p?.latitude];
  return c[0] === a.coordinates[0] && c[1] === a.coordinates[1];
}

function asDate(v: unknown, fallback: Date): Date {
  if (v instanceof Date && !Number.isNaN(v.getTime())) return v;
  if (typeof v === 'string' || typeof v === 'number') {
    const d = new Date(v);
    if (!Number.isNaN(d.getTime())) return d;
  }
  return new Date(fallback);
}

/**
 * Checks every row against the file itself and the stored nodes, and plans the writes. Any error: the
 * plan is empty and `errors` lists every bad row (a row may have several), in row order.
 */
export function planImport(
  rows: readonly OrgCsvRow[],
  existing: ReadonlyMap<string, ExistingOrg>,
  now: Date,
): OrgImportPlan {
  const errors: OrgImportError[] = [];
  const fail = (row: number, code: string | undefined, text: string): void => {
    errors.push({ row, ...(code ? { code } : {}), message: at(row, text) });
  };

  // 1. Each row on its own.
  const checked: Checked[] = [];
  const byCode = new Map<string, Checked>();
  for (const r of rows) {
    const code = r.code;
    const c: Checked = {
      row: r.row,
      code,
      parentCode: r.parentCode === '' ? null : r.parentCode,
      level: null,
      name: r.name,
      lat: null,
      lng: null,
      address: r.address === '' ? null : r.address,
      kind: null,
      hours: r.hours === '' ? null : r.hours,
    };
    const tag = code === '' ? undefined : code;

    if (code === '') fail(r.row, undefined, '编码不能为空');
    else if (!ORG_CODE.test(code))
      fail(r.row, tag, `编码 ${code} 格式不对：只能用英文字母、数字和短横线（-），以字母或数字开头，最长 48 位`);
    else if (byCode.has(code)) fail(r.row, tag, `编码 ${code} 与第${byCode.get(code)!.row}行重复`);

    if (r.level === '') fail(r.row, tag, '层级不能为空，应填 中心、实践所、实践站 或 实践点');
    else {
      c.level = LEVEL_WORDS.get(r.level) ?? LEVEL_WORDS.get(r.level.toLowerCase()) ?? null;
      if (!c.level) fail(r.row, tag, `层级“${r.level}”不认识，应填 中心、实践所、实践站 或 实践点`);
    }

    if (r.name === '') fail(r.row, tag, '名称不能为空');

    if (c.level === 'center' && c.parentCode !== null) fail(r.row, tag, '中心是最上一级，上级编码应当留空');
    if (c.level && c.level !== 'center' && c.parentCode === null)
      fail(r.row, tag, `${levelName(c.level)}必须填写上级编码`);

    // Coordinates: both or neither; a point must have them.
    const latOk = r.lat === '' || NUMBER.test(r.lat);
    const lngOk = r.lng === '' || NUMBER.test(r.lng);
    if (!latOk) fail(r.row, tag, `纬度“${r.lat}”不是数字`);
    if (!lngOk) fail(r.row, tag, `经度“${r.lng}”不是数字`);
    if (latOk && lngOk) {
      if (r.lat === '' && r.lng === '') {
        if (c.level === 'point') fail(r.row, tag, '实践点必须填写纬度和经度（群众靠它找到最近的实践点）');
      } else if (r.lat === '' || r.lng === '') {
        fail(r.row, tag, '纬度和经度要同时填写');
      } else {
        const lat = Number(r.lat);
        const lng = Number(r.lng);
        if (plausibleLocation(lat, lng)) {
          c.lat = lat;
          c.lng = lng;
        } else if (plausibleLocation(lng, lat)) {
          fail(r.row, tag, `纬度 ${r.lat}、经度 ${r.lng} 好像填反了：纬度约 18–54，经度约 73–135`);
        } else {
          fail(r.row, tag, `坐标（纬度 ${r.lat}，经度 ${r.lng}）不在中国境内，请核对`);
        }
      }
    }

    if (r.kind !== '') {
      const kind = KIND_WORDS.get(r.kind) ?? KIND_WORDS.get(r.kind.toLowerCase()) ?? null;
      if (!kind) {
        fail(r.row, tag, `类型“${r.kind}”不认识，可填：${POINT_KINDS.map((k) => POINT_KIND_LABELS[k]).join('、')}`);
      } else if (c.level && c.level !== 'point') {
        fail(r.row, tag, `只有实践点填写类型，${levelName(c.level)}的类型应当留空`);
      } else {
        c.kind = kind;
      }
    } else if (c.level === 'point') {
      c.kind = 'other';
    }

    checked.push(c);
    if (code !== '' && !byCode.has(code)) byCode.set(code, c);
  }

  // 2. Rows against each other and against what is stored.
  const levelOf = (code: string): Level | null | undefined => {
    const f = byCode.get(code);
    if (f) return f.level;
    return existing.get(code)?.level;
  };

  const storedCenters = [...existing.values()].filter((e) => e.level === 'center' && !byCode.has(e._id));
  let firstCenter: Checked | undefined;
  for (const c of checked) {
    if (c.level !== 'center' || byCode.get(c.code) !== c) continue;
    if (storedCenters.length > 0) {
      fail(c.row, c.code, `已有中心 ${storedCenters[0]._id}（${storedCenters[0].name ?? ''}），全县只能有一个中心`);
    } else if (firstCenter) {
      fail(c.row, c.code, `第${firstCenter.row}行已经是中心，全县只能有一个中心`);
    } else {
      firstCenter = c;
    }
  }

  for (const c of checked) {
    if (c.parentCode === null || c.level === 'center') continue;
    if (c.parentCode === c.code) {
      fail(c.row, c.code || undefined, '上级编码不能是自己');
      continue;
    }
    const parentLevel = levelOf(c.parentCode);
    if (parentLevel === undefined) {
      fail(c.row, c.code || undefined, `上级编码 ${c.parentCode} 不存在（文件里和已有数据里都没有）`);
      continue;
    }
    if (c.level && parentLevel && childLevel(parentLevel) !== c.level) {
      const want = LEVELS[LEVELS.indexOf(c.level) - 1];
      fail(
        c.row,
        c.code || undefined,
        `${levelName(c.level)}的上级应是${levelName(want)}，但 ${c.parentCode} 是${levelName(parentLevel)}`,
      );
    }
  }

  // A stored node that changes level must not strand its stored children.
  const storedChildren = new Map<string, ExistingOrg[]>();
  for (const e of existing.values()) {
    if (!e.parentId) continue;
    const list = storedChildren.get(e.parentId);
    if (list) list.push(e);
    else storedChildren.set(e.parentId, [e]);
  }
  for (const c of byCode.values()) {
    const before = existing.get(c.code);
    if (!before || !c.level || before.level === c.level) continue;
    const want = childLevel(c.level);
    const stranded = (storedChildren.get(c.code) ?? []).filter((k) => !byCode.has(k._id) && k.level !== want);
    if (stranded.length > 0) {
      fail(
        c.row,
        c.code,
        `${c.code} 下面已有 ${stranded.length} 个${levelName(stranded[0].level)}（如 ${stranded[0]._id}），不能改为${levelName(c.level)}`,
      );
    }
  }

  if (errors.length > 0) {
    errors.sort((a, b) => a.row - b.row);
    return { errors, create: [], update: [], unchanged: 0 };
  }

  // 3. Ancestors over the merged tree (the file wins over what is stored).
  const parentOf = (code: string): string | null => {
    const f = byCode.get(code);
    if (f) return f.parentCode;
    return existing.get(code)?.parentId ?? null;
  };
  const ancestorsMemo = new Map<string, string[]>();
  const ancestorsOf = (code: string): string[] => {
    const hit = ancestorsMemo.get(code);
    if (hit) return hit;
    const chain: string[] = [];
    const seen = new Set<string>([code]);
    for (let p = parentOf(code); p !== null && !seen.has(p); p = parentOf(p)) {
      seen.add(p);
      chain.unshift(p);
    }
    ancestorsMemo.set(code, chain);
    return chain;
  };

  // 4. Positions among siblings: stored nodes keep theirs, new and moved ones go after, in file order.
  const nextOrder = new Map<string | null, number>();
  for (const e of existing.values()) {
    const f = byCode.get(e._id);
    const parent = f ? f.parentCode : (e.parentId ?? null);
    if (f && f.parentCode !== (e.parentId ?? null)) continue;
    if (typeof e.order === 'number') nextOrder.set(parent, Math.max(nextOrder.get(parent) ?? 0, e.order));
  }

  const create: OrgDoc[] = [];
  const update: OrgDoc[] = [];
  let unchanged = 0;
  const depth = (d: OrgDoc) => d.ancestors.length;

  for (const c of checked) {
    const before = existing.get(c.code);
    let order: number;
    if (before && typeof before.order === 'number' && (before.parentId ?? null) === c.parentCode) {
      order = before.order;
    } else {
      order = (nextOrder.get(c.parentCode) ?? 0) + 1;
      nextOrder.set(c.parentCode, order);
    }
    const fields: Fields = {
      level: c.level!,
      name: c.name,
      parentId: c.parentCode,
      ancestors: ancestorsOf(c.code),
      order,
      lat: c.lat,
      lng: c.lng,
      geo: geoPoint(c.lat, c.lng),
      address: c.address,
      kind: c.kind,
      hours: c.hours,
    };
    if (!before) {
      create.push({ _id: c.code, ...fields, createdAt: new Date(now), updatedAt: new Date(now) });
    } else if (sameFields(fields, before)) {
      unchanged++;
    } else {
      update.push({ _id: c.code, ...fields, createdAt: asDate(before.createdAt, now), updatedAt: new Date(now) });
    }
  }

  // Stored nodes outside the file under a node that moved: their ancestors follow.
  for (const e of existing.values()) {
    if (byCode.has(e._id)) continue;
    const anc = ancestorsOf(e._id);
    if (!anc.some((a) => byCode.has(a))) continue;
    const stored = e.ancestors ?? [];
    if (anc.length === stored.length && anc.every((a, i) => a === stored[i])) continue;
    update.push({
      _id: e._id,
      level: e.level,
      name: e.name ?? '',
      parentId: e.parentId ?? null,
      ancestors: anc,
      order: e.order ?? 0,
      lat: e.lat ?? null,
      lng: e.lng ?? null,
      geo: geoPoint(e.lat ?? null, e.lng ?? null),
      address: e.address ?? null,
      kind: e.kind ?? null,
      hours: e.hours ?? null,
      createdAt: asDate(e.createdAt, now),
      updatedAt: new Date(now),
    });
  }

  // Stable sorts: parents before children, file order within a depth.
  create.sort((a, b) => depth(a) - depth(b));
  update.sort((a, b) => depth(a) - depth(b));
  return { errors: [], create, update, unchanged };
}
