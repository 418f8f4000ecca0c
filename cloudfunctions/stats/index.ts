/**
 * stats: the command center (指挥中心) — a node's figures and its children's, the county's assessment,
 * Excel exports, and the public aggregates of the big screen, all read from figures kept as the work
 * happens (exports page through the raw records).
 */
import type { StatsApi } from '../../typings/stats';
import { defineFunction } from '../shared/runtime/handler';
import { overview, publicFigures } from './actions/figures';
import { assessment, setAssessment } from './actions/assessment';
import { exportBook } from './actions/export';

export const main = defineFunction<StatsApi>('stats', {
  overview,
  assessment,
  setAssessment,
  export: exportBook,
  public: publicFigures,
});
