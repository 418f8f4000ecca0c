/**
 * The county's assessment (考核): the center's weighted indicators, and the league table they give a
 * set of institutes or stations. Each indicator earns its weight in proportion to how close the value
 * comes to its target (capped at the full weight); response time earns it in proportion to how far
 * below the target it stays. Pure: no SDK, no I/O, no clock.
 */
import {
  INDICATORS,
  type AssessmentMethod,
  type AssessmentPart,
  type AssessmentRow,
  type Indicator,
  type IndicatorKey,
} from '../../../../typings/stats';
import type { Level } from '../../../../typings/domain';
import { K, type Delta } from './figures';
import { fulfilmentRate, medianOf } from './summing';

/** The method the demo ships (and what an unset county gets). */
export const DEMO_METHOD: AssessmentMethod = {
  indicators: [
    { key: 'fulfilmentRate', weight: 40, target: 0.95 },
    { key: 'activitiesPerStationMonth', weight: 20, target: 4 },
    { key: 'volunteerParticipation', weight: 15, target: 10 },
    { key: 'ratingAverage', weight: 15, target: 4.8 },
    { key: 'responseHours', weight: 10, target: 24 },
  ],
  updatedAt: null,
  updatedBy: null,
};

/** Why a method will not do, or null. */
export function methodProblem(indicators: readonly Indicator[]): string | null {
  if (indicators.length === 0) return '至少要有一项指标。';
  const keys = new Set<IndicatorKey>();
  for (const i of indicators) {
    if (!INDICATORS.includes(i.key)) return `没有“${String(i.key)}”这项指标。`;
    if (keys.has(i.key)) return '同一项指标只能设一次。';
    keys.add(i.key);
    if (!Number.isInteger(i.weight) || i.weight <= 0 || i.weight > 100) return '权重应当是1到100的整数。';
    if (!(i.target > 0)) return '目标值应当大于0。';
    if (i.key === 'fulfilmentRate' && i.target > 1) return '实现率的目标值应当在0到1之间，比如0.95。';
    if (i.key === 'ratingAverage' && i.target > 5) return '满意度的目标值最高是5。';
  }
  const sum = indicators.reduce((a, i) => a + i.weight, 0);
  if (sum !== 100) return `各项权重加起来应当是100，现在是${sum}。`;
  return null;
}

/** One institute or station as the assessment sees it: its counters over whole months. */
export interface Unit {
  orgId: string;
  name: string;
  level: Level;
  counters: Delta;
  /** Stations it counts (1 for a station). */
  stations: number;
  months: number;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** The value of an indicator for a unit; null when there is nothing to judge by. */
export function valueOf(key: IndicatorKey, u: Unit): number | null {
  const per = u.stations * u.months;
  const c = (k: string) => u.counters[k] ?? 0;
  switch (key) {
    case 'fulfilmentRate':
      return fulfilmentRate(u.counters);
    case 'activitiesPerStationMonth':
      return per > 0 ? round2(c(K.held) / per) : null;
    case 'volunteerParticipation':
      return per > 0 ? round2(c(K.active) / per) : null;
    case 'ratingAverage':
      return c(K.ratingCount) > 0 ? round2(c(K.ratingSum) / c(K.ratingCount)) : null;
    case 'responseHours': {
      const m = medianOf(u.counters, K.accept);
      return m === null ? null : round2(m / 60);
    }
  }
}

export function partOf(i: Indicator, value: number | null): AssessmentPart {
  let share = 0;
  if (value !== null) {
    if (i.key === 'responseHours') share = value <= i.target ? 1 : i.target / value;
    else share = Math.min(1, value / i.target);
  }
  return { key: i.key, value, weight: i.weight, score: round2(i.weight * share) };
}

/** The league table: highest score first; equal scores share a rank (1, 1, 3), then by name. */
export function assess(method: Pick<AssessmentMethod, 'indicators'>, units: readonly Unit[]): AssessmentRow[] {
  const scored = units.map((u) => {
    const parts = method.indicators.map((i) => partOf(i, valueOf(i.key, u)));
    return {
      orgId: u.orgId,
      name: u.name,
      level: u.level,
      rank: 0,
      score: round2(parts.reduce((a, p) => a + p.score, 0)),
      parts,
    };
  });
  scored.sort((a, b) => b.score - a.score || a.name.localeCompare(b.name, 'zh-CN'));
  scored.forEach((r, i) => {
    r.rank = i > 0 && scored[i - 1].score === r.score ? scored[i - 1].rank : i + 1;
  });
  return scored;
}
