/**
 * 指挥中心 and 考核排名 against the local cloud's demo county: 陈主任 sees the county's figures as
 * stats.overview answers them (实现率 with one decimal), the institutes as bars in the function's order
 * with the laggards marked and the median beside them, the trend and the categories handed to the
 * charts; a tap on an institute opens the page one level down with its orgId, a tap on 已经办好 the
 * orders behind it; the league table shows each score's parts. 李站长 sees only 凤山村.
 */
import { INDICATOR_LABELS, type AssessmentRow, type Overview } from '../../typings/stats';
import { CATEGORIES, CATEGORY_LABELS } from '../../typings/domain';
import { callAs, closeAllPages, exists, launchAs, openPage, tap, textOf, waitFor, type SimPage } from './harness';
import { DEMO_STATION, freshVillager, postOrder, waitForNavigation } from './order-helpers';
import { callsTo, queryOf, routeOf } from './wx-fake';

const DASHBOARD = 'packages/admin/dashboard/index';
const LEAGUE = 'packages/admin/league/index';
const RECORDS = 'packages/admin/records/index';

afterEach(() => closeAllPages());

/** What a villager reads: 96.3%, 1,234, 1.2万. */
const rate = (r: number | null) => (r === null ? '暂无' : `${(Math.round(r * 1000) / 10).toFixed(1)}%`);
const count = (n: number) => (n >= 10000 ? `${(Math.round(n / 1000) / 10).toFixed(1)}万` : n.toLocaleString('en-US'));

/** One wish of 凤山村 fulfilled (so the figures have something in them this year). */
beforeAll(async () => {
  const villager = await freshVillager('stat');
  const id = await postOrder(villager, { category: 'health' });
  await callAs('demo-station-head', 'order', { action: 'review', id, approve: true });
  await callAs('demo-station-head', 'order', { action: 'dispatch', id, volunteer: 'demo-volunteer' });
  await callAs('demo-volunteer', 'order', { action: 'accept', id });
  await callAs('demo-volunteer', 'order', { action: 'fulfil', id, note: '已经办好了。' });
}, 60000);

async function dashboardAs(openid: string, query: Record<string, string> = {}): Promise<SimPage> {
  launchAs(openid);
  const page = openPage(DASHBOARD, query);
  await waitFor('the figures', page, () => exists(page, '#figures') || exists(page, '#error'));
  return page;
}

const year = () => {
  const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
  return { from: `${today.slice(0, 4)}-01-01`, to: today };
};

describe('陈主任 opens 指挥中心', () => {
  let page: SimPage;
  let o: Overview;

  beforeAll(async () => {
    o = await callAs<Overview>('demo-center-admin', 'stats', { action: 'overview', ...year() });
    page = await dashboardAs('demo-center-admin');
  }, 30000);

  test('the county’s headline figures as the function counts them', () => {
    expect(o.orders.fulfilled).toBeGreaterThan(0);
    expect(textOf(page, '#node-title')).toBe(o.name.replace(/新时代文明实践中心$/, ''));
    expect(textOf(page, '#figure-posted')).toBe(`${count(o.orders.posted)}件群众点单 ›`);
    expect(textOf(page, '#figure-fulfilled')).toBe(`${count(o.orders.fulfilled)}件已经办好 ›`);
    expect(textOf(page, '#figure-rate')).toBe(`${rate(o.fulfilmentRate)}实现率 ›`);
    expect(textOf(page, '#figure-checkins')).toBe(`${count(o.activities.checkins)}人次活动签到`);
    expect(textOf(page, '#figure-points')).toBe(`${count(o.points.issued)}分发放积分`);
  });

  test('the institutes in the function’s order (laggards first), laggards marked, the median beside them', () => {
    const rows = page.querySelectorAll('.wm-dash__child');
    // Bars for those with wishes posted (or lagging); the others named in one line below.
    const barred = o.children.filter((c) => c.orders.posted > 0 || c.lagging);
    const idle = o.children.filter((c) => !barred.includes(c));
    expect(barred.length).toBeGreaterThan(0);
    expect(rows.length).toBe(barred.length);
    const shown = rows.map((r) => r.dom?.textContent?.replace(/\s+/g, ' ').trim() ?? '');
    barred.forEach((c, i) => {
      expect(shown[i]).toContain(c.name.replace(/新时代文明实践所$/, ''));
      expect(shown[i]).toContain(rate(c.fulfilmentRate));
      expect(shown[i].includes('落后')).toBe(c.lagging);
    });
    expect(page.querySelectorAll('.wm-dash__child--lagging').length).toBe(barred.filter((c) => c.lagging).length);
    expect(textOf(page, '#median')).toContain(`中位数 ${rate(o.childMedianRate)}`);
    if (idle.length > 0) {
      expect(textOf(page, '#idle')).toBe(
        `这段时间没有点单的（${idle.length}个）：${idle.map((c) => c.name.replace(/新时代文明实践所$/, '')).join('、')}`,
      );
    } else expect(exists(page, '#idle')).toBe(false);
  });

  test('the charts receive the trend by month and the categories posted', () => {
    const trend = page.data.trendChart as { categories: string[]; series: { name: string; data: number[] }[] };
    expect(trend.categories).toEqual(o.trend.map((t) => `${Number(t.month.slice(5, 7))}月`));
    expect(trend.series.map((s) => [s.name, s.data])).toEqual([
      ['点单', o.trend.map((t) => t.posted)],
      ['办好', o.trend.map((t) => t.fulfilled)],
    ]);
    expect(textOf(page, '#trend-chart')).toContain(`办好共${o.trend.reduce((a, t) => a + t.fulfilled, 0)}件`);

    const ring = page.data.categoryChart as { series: { name: string; value: number }[] };
    const posted = CATEGORIES.filter((c) => o.byCategory[c].posted > 0);
    expect(ring.series.map((s) => s.name).sort()).toEqual(posted.map((c) => CATEGORY_LABELS[c]).sort());
    for (const s of ring.series) {
      const c = posted.find((k) => CATEGORY_LABELS[k] === s.name)!;
      expect(s.value).toBe(o.byCategory[c].posted);
    }
    const values = ring.series.map((s) => s.value);
    expect(values).toEqual([...values].sort((a, b) => b - a));
  });

  test('a tap on an institute opens 指挥中心 one level down; a tap on 已经办好 the orders behind it', async () => {
    const first = o.children.find((c) => c.orders.posted > 0)!;
    tap(page, `#child-${first.orgId}`);
    const url = await waitForNavigation(page, 'navigateTo');
    expect(routeOf(url)).toBe(DASHBOARD);
    expect(queryOf(url).orgId).toBe(first.orgId);

    const before = callsTo('navigateTo').length;
    tap(page, '#figure-fulfilled');
    const next = await waitFor('wx.navigateTo', page, () => callsTo('navigateTo')[before]);
    expect(routeOf(String(next.url))).toBe(RECORDS);
    expect(queryOf(String(next.url))).toEqual({ show: 'fulfilled' });
  });
});

describe('the orders behind 已经办好', () => {
  test('lists the area’s fulfilled and closed orders', async () => {
    launchAs('demo-station-head');
    const page = openPage(RECORDS, { show: 'fulfilled' });
    await waitFor('the orders', page, () => exists(page, '#orders'));
    expect(textOf(page, '#records-title')).toBe('已经办好的点单');
    const orders = page.data.orders as { status: string; place: string }[];
    expect(orders.length).toBeGreaterThan(0);
    for (const o of orders) {
      expect(['fulfilled', 'closed']).toContain(o.status);
      expect(o.place).toContain('凤山村');
    }
  });
});

describe('考核排名', () => {
  test('陈主任 sees the institutes ranked, and a tap shows a score’s parts', async () => {
    const answer = await callAs<{ rows: AssessmentRow[] }>('demo-center-admin', 'stats', { action: 'assessment' });
    launchAs('demo-center-admin');
    const page = openPage(LEAGUE);
    await waitFor('the league', page, () => exists(page, '#league'));
    const rows = page.querySelectorAll('.wm-league__row');
    expect(rows.length).toBe(answer.rows.length);
    answer.rows.forEach((r, i) => {
      const t = rows[i].dom?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
      expect(t).toContain(`${r.rank}${r.name.replace(/新时代文明实践(所|站)$/, '')}${r.score.toFixed(1)}分`);
    });
    expect(exists(page, '#level-institute')).toBe(true);

    const top = answer.rows[0];
    expect(exists(page, `#parts-${top.orgId}`)).toBe(false);
    tap(page, `#row-${top.orgId}`);
    await waitFor('the parts', page, () => exists(page, `#parts-${top.orgId}`));
    const parts = page.querySelectorAll(`#parts-${top.orgId} .wm-league__part`);
    expect(parts.length).toBe(top.parts.length);
    top.parts.forEach((p, i) => {
      const t = parts[i].dom?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
      expect(t).toContain(INDICATOR_LABELS[p.key]);
      expect(t).toContain(`${p.score.toFixed(1)}/${p.weight}分`);
    });
    expect(top.parts.reduce((a, p) => a + p.score, 0)).toBeCloseTo(top.score, 0);

    tap(page, '#level-station');
    await waitFor('the stations', page, () =>
      (page.data.rows as { orgId: string }[]).some((r) => r.orgId === DEMO_STATION),
    );
  });
});

describe('李站长 sees only 凤山村', () => {
  test('the dashboard shows 凤山村’s own figures and no other village', async () => {
    const o = await callAs<Overview>('demo-station-head', 'stats', { action: 'overview', ...year() });
    expect(o.orgId).toBe(DEMO_STATION);
    const page = await dashboardAs('demo-station-head');
    expect(textOf(page, '#node-title')).toBe('凤山村');
    expect(textOf(page, '#figure-fulfilled')).toBe(`${count(o.orders.fulfilled)}件已经办好 ›`);
    expect(exists(page, '#open-league')).toBe(false);
  });

  test('another village’s figures are refused in plain words', async () => {
    const county = await callAs<Overview>('demo-center-admin', 'stats', { action: 'overview' });
    const elsewhere = county.children.find((c) => !DEMO_STATION.startsWith(c.orgId))!;
    const page = await dashboardAs('demo-station-head', { orgId: elsewhere.orgId });
    expect(exists(page, '#figures')).toBe(false);
    expect(textOf(page, '#error-message')).toBe('只能查看本站、本所或全县范围内的统计。');
  });

  test('the league table shows their own station only, without the switch', async () => {
    launchAs('demo-station-head');
    const page = openPage(LEAGUE);
    await waitFor('the league', page, () => exists(page, '#league'));
    expect((page.data.rows as { orgId: string }[]).map((r) => r.orgId)).toEqual([DEMO_STATION]);
    expect(exists(page, '#level-institute')).toBe(false);
  });
});
