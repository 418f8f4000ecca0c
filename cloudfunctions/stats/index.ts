/**
 * stats: the command center (指挥中心) — a node's figures and its children's, the county's assessment,
 * and the public aggregates of the big screen, all read from figures kept as the work happens.
 */
import type { StatsApi } from '../../typings/stats';
import { defineFunction } from '../shared/runtime/handler';
import { overview, publicFigures } from './actions/figures';
import { assessment, setAssessment } from './actions/assessment';

// `export` (the workbooks) is added by its own branch; until then the table is StatsApi without it.
type StatsCoreApi = Omit<StatsApi, 'export'>;

export const main = defineFunction<StatsCoreApi>('stats', {
  overview,
  assessment,
  setAssessment,
  public: publicFigures,
});
