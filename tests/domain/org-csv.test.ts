/**
 * The county office's network list: a file kept in Excel, read in either header language, checked row
 * by row (every bad row reported with the number Excel shows), planned into creates and updates that
 * carry computed ancestors, and written back out in a form that reads in again unchanged.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  decodeCsvBytes,
  exportOrgCsv,
  parseOrgCsv,
  planImport,
  type ExistingOrg,
  type OrgCsvRow,
  type OrgImportPlan,
} from '../../scripts/lib/org-csv';
import type { OrgDoc } from '../../cloudfunctions/shared/org/domain/model';

const FIXTURES = path.join(__dirname, '..', '..', 'tests', 'fixtures', 'org');
const fixture = (name: string): string => fs.readFileSync(path.join(FIXTURES, name), 'utf8');
const NOW = new Date('2024-05-01T02:00:00.000Z');
const LATER = new Date('2024-06-01T02:00:00.000Z');

function rowsOf(text: string): OrgCsvRow[] {
  const r = parseOrgCsv(text);
  if (!r.ok) throw new Error(`expected the file to parse, got:\n${r.errors.map((e) => e.message).join('\n')}`);
  return r.rows;
}

function cleanPlan(rows: OrgCsvRow[], existing = new Map<string, ExistingOrg>(), now = NOW): OrgImportPlan {
  const plan = planImport(rows, existing, now);
  if (plan.errors.length > 0)
    throw new Error(`expected no errors, got:\n${plan.errors.map((e) => e.message).join('\n')}`);
  return plan;
}

const stored = (docs: OrgDoc[]): Map<string, ExistingOrg> => new Map(docs.map((d) => [d._id, d]));
const byId = (docs: OrgDoc[]): Record<string, OrgDoc> => Object.fromEntries(docs.map((d) => [d._id, d]));
const tree = (docs: OrgDoc[]) =>
  docs.map(({ createdAt: _c, updatedAt: _u, ...rest }) => rest).sort((a, b) => (a._id < b._id ? -1 : 1));

describe('reading the file', () => {
  it('reads English and Chinese headers into the same rows, ignoring columns it does not know', () => {
    const en = rowsOf(fixture('small-en.csv'));
    const zh = rowsOf(fixture('small-zh.csv'));
    expect(en).toHaveLength(8);
    expect(zh).toHaveLength(8);
    const strip = (rows: OrgCsvRow[]) => rows.map(({ level: _l, ...r }) => r);
    expect(strip(zh)).toEqual(strip(en));
    expect(en[0]).toEqual({
      row: 2,
      code: 't-01-001-01',
      parentCode: 't-01-001',
      level: 'point',
      name: '新桥村文化礼堂',
      lat: '32.5301',
      lng: '120.4602',
      address: '海安市城东镇新桥村村部',
      kind: 'hall',
      hours: '每天 8:30-17:30',
    });
    // And they plan the same nodes.
    expect(tree(cleanPlan(zh).create)).toEqual(tree(cleanPlan(en).create));
  });

  it('trims cells, keeps quoted commas and quotes, and numbers rows as Excel does across a blank line', () => {
    const rows = rowsOf(fixture('small-en.csv'));
    const institute = rows.find((r) => r.code === 't-01')!;
    expect(institute).toMatchObject({ row: 5, parentCode: 't', name: '城东镇新时代文明实践所' });
    expect(rows.find((r) => r.code === 't')!.row).toBe(7); // line 6 is blank
    const library = rows.find((r) => r.code === 't-01-002-01')!;
    expect(library.name).toBe('东湖社区图书室, 二楼');
    expect(library.address).toBe('海安市城东镇东湖社区 "文化中心" 二楼');
  });

  it('tolerates a UTF-8 BOM and CRLF line ends, as Excel saves them', () => {
    const plain = rowsOf(fixture('small-zh.csv'));
    const excel = rowsOf(`\uFEFF${fixture('small-zh.csv').replace(/\n/g, '\r\n')}`);
    expect(excel).toEqual(plain);
  });

  it('decodes Excel’s GB18030 CSV and UTF-16 text as well as UTF-8', () => {
    const text = fixture('small-zh.csv');
    const gb = Buffer.from(
      // 编码 in GB18030, then the rest of the header in ASCII: enough to tell it is not UTF-8.
      [0xb1, 0xe0, 0xc2, 0xeb],
    );
    expect(decodeCsvBytes(gb)).toBe('编码');
    expect(decodeCsvBytes(Buffer.from(`\uFEFF${text}`, 'utf8'))).toBe(text);
    expect(decodeCsvBytes(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))).toBe(text);
    // Excel's "Unicode text" is tab-separated.
    const tabbed = rowsOf(text.replace(/,/g, '\t').replace('"东湖社区图书室\t 二楼"', '东湖社区图书室'));
    expect(tabbed).toHaveLength(8);
  });

  it('reports a missing required column, an empty file and an unclosed quote with the row', () => {
    const noParent = parseOrgCsv('code,level,name\nt,center,中心\n');
    expect(noParent).toEqual({
      ok: false,
      errors: [expect.objectContaining({ row: 1, message: expect.stringContaining('上级编码') })],
    });
    expect(parseOrgCsv('\uFEFF\r\n')).toMatchObject({
      ok: false,
      errors: [{ row: 1, message: expect.stringContaining('空') }],
    });
    const unclosed = parseOrgCsv('编码,上级编码,层级,名称\nt,,中心,测试中心\nt-01,t,实践所,"城东镇\n');
    expect(unclosed).toMatchObject({
      ok: false,
      errors: [{ row: 3, message: expect.stringMatching(/^第3行：.*引号/) }],
    });
  });
});

describe('checking every row', () => {
  const expected: [number, string, RegExp][] = [
    [5, 'an unknown parent', /^第5行：上级编码 t-01-009 不存在/],
    [6, 'a duplicate code', /^第6行：编码 t-01-001 与第4行重复/],
    [7, 'a code with a space and Chinese in it', /^第7行：编码 新桥 01 格式不对/],
    [8, 'a station under a station', /^第8行：实践站的上级应是实践所，但 t-01-001 是实践站/],
    [9, 'a second center', /^第9行：第2行已经是中心/],
    [10, 'a missing name', /^第10行：名称不能为空/],
    [11, 'a point without coordinates', /^第11行：实践点必须填写纬度和经度/],
    [12, 'coordinates outside China', /^第12行：坐标（纬度 0，经度 0）不在中国境内/],
    [13, 'latitude and longitude swapped', /^第13行：纬度 120.46、经度 32.53 好像填反了/],
    [14, 'a latitude that is not a number', /^第14行：纬度“北纬32度”不是数字/],
    [15, 'an unknown kind', /^第15行：类型“篮球场”不认识/],
    [16, 'an unknown level', /^第16行：层级“村”不认识/],
  ];

  let plan: OrgImportPlan;
  beforeAll(() => {
    plan = planImport(rowsOf(fixture('bad-rows.csv')), new Map(), NOW);
  });

  it.each(expected)('reports row %i: %s', (row, _what, message) => {
    const forRow = plan.errors.filter((e) => e.row === row);
    expect(forRow.map((e) => e.message)).toEqual([expect.stringMatching(message)]);
  });

  it('reports all of them at once, in row order, and nothing for the good rows', () => {
    expect(plan.errors.map((e) => e.row)).toEqual(expected.map(([row]) => row));
    expect(plan.errors.filter((e) => [2, 3, 4, 17].includes(e.row))).toEqual([]);
  });

  it('plans nothing at all when any row is wrong', () => {
    expect(plan).toMatchObject({ create: [], update: [], unchanged: 0 });
  });

  it('names the code of the bad row when there is one', () => {
    expect(plan.errors.find((e) => e.row === 5)?.code).toBe('t-01-009-01');
    expect(plan.errors.find((e) => e.row === 10)?.code).toBe('t-01-001-01');
  });

  it('rejects a second center when the stored network already has one', () => {
    const existing = stored(cleanPlan(rowsOf(fixture('small-zh.csv'))).create);
    const other = rowsOf('编码,上级编码,层级,名称\nx,,中心,另一个中心\n');
    expect(planImport(other, existing, NOW).errors).toEqual([
      { row: 2, code: 'x', message: expect.stringMatching(/^第2行：已有中心 t/) },
    ]);
  });

  it('finds parents among the stored nodes, and reports one that is neither there nor in the file', () => {
    const existing = stored(cleanPlan(rowsOf(fixture('small-zh.csv'))).create);
    const more = rowsOf(
      '编码,上级编码,层级,名称,纬度,经度\n' +
        't-01-001-03,t-01-001,实践点,新桥村田间课堂,32.532,120.462\n' +
        't-01-003-01,t-01-003,实践点,无主的点,32.532,120.462\n',
    );
    expect(planImport(more, existing, NOW).errors.map((e) => e.message)).toEqual([
      '第3行：上级编码 t-01-003 不存在（文件里和已有数据里都没有）',
    ]);
    const ok = cleanPlan(more.slice(0, 1), existing);
    expect(ok.create.map((d) => [d._id, d.ancestors, d.order])).toEqual([
      ['t-01-001-03', ['t', 't-01', 't-01-001'], 3],
    ]);
  });

  it('will not change the level of a stored node that has stored children of the old kind', () => {
    const existing = stored(cleanPlan(rowsOf(fixture('small-zh.csv'))).create);
    // A station promoted to an institute under the center: its stored points would hang under an institute.
    const promote = rowsOf('编码,上级编码,层级,名称\nt-01-001,t,实践所,新桥片区新时代文明实践所\n');
    expect(planImport(promote, existing, NOW).errors.map((e) => e.message)).toEqual([
      '第2行：t-01-001 下面已有 2 个实践点（如 t-01-001-01），不能改为实践所',
    ]);
  });
});

describe('planning the writes', () => {
  it('computes ancestors and order even when parents come after their children', () => {
    const plan = cleanPlan(rowsOf(fixture('small-en.csv')));
    expect(plan.update).toEqual([]);
    expect(plan.unchanged).toBe(0);
    const docs = byId(plan.create);
    expect(Object.keys(docs).sort()).toEqual([
      't',
      't-01',
      't-01-001',
      't-01-001-01',
      't-01-001-02',
      't-01-002',
      't-01-002-01',
      't-01-002-02',
    ]);
    expect(docs['t']).toMatchObject({ level: 'center', parentId: null, ancestors: [], order: 1 });
    expect(docs['t-01']).toMatchObject({ level: 'institute', parentId: 't', ancestors: ['t'], order: 1 });
    expect(docs['t-01-001']).toMatchObject({ level: 'station', ancestors: ['t', 't-01'], order: 1 });
    expect(docs['t-01-002']).toMatchObject({
      level: 'station',
      ancestors: ['t', 't-01'],
      order: 2,
      lat: null,
      lng: null,
      geo: null,
    });
    expect(docs['t-01-001-02']).toMatchObject({
      ancestors: ['t', 't-01', 't-01-001'],
      order: 2,
      kind: 'library',
      address: null,
      hours: null,
    });
    expect(docs['t-01-002-01']).toMatchObject({
      kind: 'library',
      lat: 32.54,
      lng: 120.47,
      geo: { type: 'Point', coordinates: [120.47, 32.54] },
    });
    // A point without a kind is an "other" point; timestamps are the import's.
    expect(docs['t-01-002-02']).toMatchObject({ kind: 'other', hours: '全天开放', createdAt: NOW, updatedAt: NOW });
  });

  it('lists creates parents first, so writing them in order never leaves an orphan', () => {
    const plan = cleanPlan(rowsOf(fixture('small-en.csv')));
    const seen = new Set<string>();
    for (const d of plan.create) {
      if (d.parentId) expect(seen.has(d.parentId)).toBe(true);
      seen.add(d._id);
    }
  });

  it('finds everything unchanged when the same file is imported again', () => {
    const rows = rowsOf(fixture('small-zh.csv'));
    const first = cleanPlan(rows);
    const again = cleanPlan(rows, stored(first.create), LATER);
    expect(again).toEqual({ errors: [], create: [], update: [], unchanged: rows.length });
    // Written the other way round (English headers, BOM, CRLF): still nothing to do.
    const en = rowsOf(`\uFEFF${fixture('small-en.csv').replace(/\n/g, '\r\n')}`);
    expect(cleanPlan(en, stored(first.create), LATER)).toMatchObject({ create: [], update: [], unchanged: 8 });
  });

  it('writes the place as GeoJSON again for nodes stored before the geo index, and nothing else', () => {
    const rows = rowsOf(fixture('small-zh.csv'));
    const first = cleanPlan(rows);
    const old = new Map([...stored(first.create)].map(([id, { geo: _geo, ...rest }]) => [id, rest]));
    const again = cleanPlan(rows, old, LATER);
    const placed = first.create.filter((d) => d.geo !== null);
    expect(placed.length).toBeGreaterThan(0);
    expect(again.update.map((d) => d._id).sort()).toEqual(placed.map((d) => d._id).sort());
    for (const d of again.update) expect(d.geo).toEqual({ type: 'Point', coordinates: [d.lng, d.lat] });
  });

  it('updates only what changed, keeping createdAt and position, and leaves nodes outside the file alone', () => {
    const first = cleanPlan(rowsOf(fixture('small-zh.csv')));
    const edited = rowsOf(
      '编码,上级编码,层级,名称,纬度,经度,地址,类型,开放时间\n' +
        't-01-001-02,t-01-001,实践点,新桥村农家书屋（新馆）,32.5311,120.4612,,农家书屋,\n' +
        't-01-001-01,t-01-001,实践点,新桥村文化礼堂,32.5301,120.4602,海安市城东镇新桥村村部,文化礼堂,每天 8:30-17:30\n',
    );
    const plan = cleanPlan(edited, stored(first.create), LATER);
    expect(plan.create).toEqual([]);
    expect(plan.unchanged).toBe(1);
    expect(plan.update).toEqual([
      expect.objectContaining({
        _id: 't-01-001-02',
        name: '新桥村农家书屋（新馆）',
        order: 2,
        createdAt: NOW,
        updatedAt: LATER,
      }),
    ]);
  });

  it('moves a station to another institute: it goes last there, and its stored points follow', () => {
    const first = cleanPlan(rowsOf(fixture('small-zh.csv')));
    const existing = stored(first.create);
    const move = rowsOf(
      '编码,上级编码,层级,名称\n' +
        't-01-002,t-02,实践站,东湖社区新时代文明实践站\n' +
        't-02,t,实践所,孙庄街道新时代文明实践所\n',
    );
    const plan = cleanPlan(move, existing, LATER);
    expect(plan.create.map((d) => [d._id, d.ancestors, d.order])).toEqual([['t-02', ['t'], 2]]);
    const updates = byId(plan.update);
    expect(updates['t-01-002']).toMatchObject({ parentId: 't-02', ancestors: ['t', 't-02'], order: 1 });
    expect(updates['t-01-002-01']).toMatchObject({
      parentId: 't-01-002',
      ancestors: ['t', 't-02', 't-01-002'],
      order: 1,
    });
    expect(updates['t-01-002-02']).toMatchObject({ ancestors: ['t', 't-02', 't-01-002'] });
    expect(Object.keys(updates).sort()).toEqual(['t-01-002', 't-01-002-01', 't-01-002-02']);
  });

  it('puts new nodes after the stored siblings, in file order', () => {
    const existing = stored(cleanPlan(rowsOf(fixture('small-zh.csv'))).create);
    const add = rowsOf(
      'code,parent_code,level,name,lat,lng\n' +
        't-01-001-09,t-01-001,point,九号点,32.53,120.46\n' +
        't-01-001-05,t-01-001,point,五号点,32.53,120.46\n',
    );
    expect(cleanPlan(add, existing).create.map((d) => [d._id, d.order])).toEqual([
      ['t-01-001-09', 3],
      ['t-01-001-05', 4],
    ]);
  });
});

describe('exporting', () => {
  it('writes Chinese headers with a BOM and CRLF, parents before children, and reads back into the same tree', () => {
    const docs = cleanPlan(rowsOf(fixture('small-en.csv'))).create;
    const text = exportOrgCsv([...docs].reverse());
    expect(text.startsWith('\uFEFF编码,上级编码,层级,名称,纬度,经度,地址,类型,开放时间\r\n')).toBe(true);
    const rows = rowsOf(text);
    expect(rows.map((r) => r.code)).toEqual([
      't',
      't-01',
      't-01-001',
      't-01-001-01',
      't-01-001-02',
      't-01-002',
      't-01-002-01',
      't-01-002-02',
    ]);
    expect(rows[3]).toMatchObject({ level: '实践点', kind: '文化礼堂' });
    expect(tree(cleanPlan(rows).create)).toEqual(tree(docs));
    expect(cleanPlan(rows, stored(docs))).toMatchObject({ create: [], update: [], unchanged: docs.length });
  });
});
